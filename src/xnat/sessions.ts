import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { serveDefaults } from '../config/defaults.js';
import { credentialKey, userNameKey, type XnatAuth } from './auth.js';

export interface SessionStoreOptions {
  /** Most credentials with a session at once; the least recently used is retired. */
  max?: number;
  /**
   * Absolute age after which a session is no longer used, however busy: the credential logs in
   * again, so XNAT re-checks it (XNAT checks no password while a session lives). Default 5 minutes.
   */
  maxAgeMs?: number;
  /** Told of a session the store stops using while XNAT may still hold it, so it can be ended there. */
  onRetire?: (id: string) => void;
  /** The clock ages are measured with (epoch ms). */
  now?: () => number;
}

interface Held {
  id: string;
  /** When XNAT last accepted the credential (a login, or a request that opened this session). */
  provenAt: number;
}

/**
 * XNAT JSESSIONIDs per credential, so XNAT checks a password once per session instead of on
 * every request — and again at least every `maxAgeMs`. Keys are an HMAC of the credential under a
 * per-process secret: neither the password nor a reversible form of it is ever a key.
 */
export class SessionStore {
  private readonly secret = randomBytes(32);
  private readonly sessions: LRUCache<string, Held>;
  private readonly logins = new Map<string, Promise<string>>();
  /**
   * The session a login refused at XNAT's session cap opened, sent with the next login of the
   * credential: XNAT then replaces it instead of registering one more (which would extend the lockout).
   */
  private readonly refused = new LRUCache<string, string>({ max: 1000, ttl: 15 * 60_000 });
  readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? serveDefaults.sessionMaxAgeMs;
    this.now = options.now ?? Date.now;
    this.sessions = new LRUCache({
      max: options.max ?? 1000,
      dispose: (held, _key, reason) => {
        if (reason === 'evict') options.onRetire?.(held.id);
      },
    });
  }

  keyOf(auth: Extract<XnatAuth, { kind: 'basic' }>): string {
    return credentialKey(this.secret, auth);
  }

  /** The key of the credential's user name alone (login-guard.ts counts refusals by it). */
  userKeyOf(auth: Extract<XnatAuth, { kind: 'basic' }>): string {
    return userNameKey(this.secret, auth);
  }

  /** The session of `key` while it is younger than the maximum age; an older one is retired. */
  get(key: string): string | undefined {
    const held = this.sessions.get(key);
    if (!held) return undefined;
    if (this.now() - held.provenAt < this.maxAgeMs) return held.id;
    this.sessions.delete(key);
    this.options.onRetire?.(held.id);
    return undefined;
  }

  /** The session of `key`, logging in once even when many requests ask at the same time. */
  async obtain(key: string, login: () => Promise<string>): Promise<string> {
    const known = this.get(key);
    if (known) return known;
    let pending = this.logins.get(key);
    if (!pending) {
      pending = login()
        .then((id) => {
          this.sessions.set(key, { id, provenAt: this.now() });
          this.refused.delete(key);
          return id;
        })
        .finally(() => this.logins.delete(key));
      this.logins.set(key, pending);
    }
    return pending;
  }

  /**
   * XNAT opened `fresh` for a request sent with `sent` (which it no longer knew), checking the
   * credential as it did: `fresh` becomes the session of `key` unless another request or a login
   * already replaced `sent`. False means `fresh` is surplus, to be ended at XNAT.
   */
  adopt(key: string, sent: string | undefined, fresh: string): boolean {
    if (this.logins.has(key)) return false;
    const held = this.sessions.peek(key);
    if (held && held.id !== sent) return false;
    this.sessions.set(key, { id: fresh, provenAt: this.now() });
    return true;
  }

  /** Forgets `id` for `key` unless a newer session already replaced it. */
  drop(key: string, id: string): void {
    if (this.sessions.peek(key)?.id === id) this.sessions.delete(key);
  }

  /** Notes the session a login refused at XNAT's session cap opened. */
  noteRefused(key: string, id: string): void {
    this.refused.set(key, id);
  }

  /** The session to send with the next login of `key` (one a refused login opened), if any. */
  refusedSession(key: string): string | undefined {
    return this.refused.get(key);
  }

  /** Empties the store, handing back the sessions so they can be ended at XNAT. */
  drain(): string[] {
    const ids = [...this.sessions.values()].map((held) => held.id);
    this.sessions.clear();
    return ids;
  }
}
