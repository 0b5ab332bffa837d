import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { credentialKey, type XnatAuth } from './auth.js';

export interface SessionStoreOptions {
  /** Most credentials with a live session at once; the least recently used is forgotten. */
  max?: number;
  /** Forget a session after this long unused (XNAT's own timeout is usually 15–30 minutes). */
  idleMs?: number;
}

/**
 * XNAT JSESSIONIDs per credential, so XNAT checks a password once per session instead of on
 * every request. Keys are an HMAC of the credential under a per-process secret: neither the
 * password nor a reversible form of it is ever a key.
 */
export class SessionStore {
  private readonly secret = randomBytes(32);
  private readonly sessions: LRUCache<string, string>;
  private readonly logins = new Map<string, Promise<string>>();

  constructor(options: SessionStoreOptions = {}) {
    this.sessions = new LRUCache({ max: options.max ?? 1000, ttl: options.idleMs ?? 10 * 60_000, updateAgeOnGet: true });
  }

  keyOf(auth: Extract<XnatAuth, { kind: 'basic' }>): string {
    return credentialKey(this.secret, auth);
  }

  get(key: string): string | undefined {
    return this.sessions.get(key);
  }

  /** The session of `key`, logging in once even when many requests ask at the same time. */
  async obtain(key: string, login: () => Promise<string>): Promise<string> {
    const known = this.sessions.get(key);
    if (known) return known;
    let pending = this.logins.get(key);
    if (!pending) {
      pending = login().then(
        (id) => {
          this.sessions.set(key, id);
          return id;
        },
      ).finally(() => this.logins.delete(key));
      this.logins.set(key, pending);
    }
    return pending;
  }

  /** Forgets `id` for `key` unless a newer session already replaced it. */
  drop(key: string, id: string): void {
    if (this.sessions.get(key) === id) this.sessions.delete(key);
  }

  /** Empties the store, handing back the sessions so they can be ended at XNAT. */
  drain(): string[] {
    const ids = [...this.sessions.values()];
    this.sessions.clear();
    return ids;
  }
}
