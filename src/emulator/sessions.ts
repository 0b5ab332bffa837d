import { randomBytes, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { User } from './auth.js';

export interface SessionOptions {
  /**
   * XNAT's `concurrentMaxSessions` site preference (default 1000): the most sessions one user may
   * hold. Logins past it are refused until some of the user's sessions end.
   */
  concurrentMaxSessions?: number;
  /** The servlet container's session timeout, reset by every use (XNAT's web.xml: 15 minutes). */
  timeoutMs?: number;
}

/** An HTTP session; `authenticated` is false for one opened by a login the session cap refused. */
interface Session {
  user: User;
  authenticated: boolean;
  /** The session's `XNAT_CSRF` token, set when the session is created (`XnatSessionEventPublisher`). */
  csrfToken: string;
}

export const DEFAULT_CONCURRENT_MAX_SESSIONS = 1000;

/**
 * Servlet sessions keyed by JSESSIONID, and Spring Security's session registry over them.
 * XNAT's session strategy (`SecurityConfig.sessionAuthenticationStrategy`) runs, in this order,
 * on every successful login, Basic included: session-fixation protection (a session the request
 * already had is replaced by a new id), registration of the new session under the user, then the
 * concurrency check — which, because registration came first, refuses a login once the user holds
 * more than `concurrentMaxSessions`, leaving the refused session registered (it counts until it
 * times out).
 */
export class Sessions {
  readonly #byId: LRUCache<string, Session>;
  /** Session ids per login, pruned of expired ones when counted. */
  readonly #byLogin = new Map<string, Set<string>>();
  readonly #opened = new Map<string, number>();
  readonly concurrentMaxSessions: number;

  constructor(options: SessionOptions = {}) {
    this.concurrentMaxSessions = options.concurrentMaxSessions ?? DEFAULT_CONCURRENT_MAX_SESSIONS;
    this.#byId = new LRUCache<string, Session>({
      // Bounds memory against clients that never send their cookie back; XNAT itself has no bound.
      max: 100_000,
      ttl: options.timeoutMs ?? 15 * 60_000,
      updateAgeOnGet: true,
      dispose: (session, id) => this.#byLogin.get(session.user.login)?.delete(id),
    });
  }

  /** The user of a live, authenticated session. */
  get(id: string): User | undefined {
    const session = this.#byId.get(id);
    return session?.authenticated ? session.user : undefined;
  }

  /** The `XNAT_CSRF` token of a live session. */
  csrfToken(id: string): string | undefined {
    return this.#byId.get(id)?.csrfToken;
  }

  /** Whether `id` names a live session, authenticated or not. */
  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /**
   * A successful authentication of `user`, as XNAT's session strategy handles it: `replacing`
   * (the session the request came with, if live) ends, a new session is registered, and the
   * login is accepted unless the user now holds more sessions than the cap allows.
   */
  login(user: User, replacing?: string): { id: string; accepted: boolean } {
    if (replacing !== undefined) this.#byId.delete(replacing);
    const id = randomBytes(16).toString('hex').toUpperCase();
    const accepted = this.liveIds(user.login).length < this.concurrentMaxSessions;
    this.#byId.set(id, { user, authenticated: accepted, csrfToken: randomUUID() });
    let ids = this.#byLogin.get(user.login);
    if (!ids) this.#byLogin.set(user.login, (ids = new Set()));
    ids.add(id);
    this.#opened.set(user.login, (this.#opened.get(user.login) ?? 0) + 1);
    return { id, accepted };
  }

  close(id: string): void {
    this.#byId.delete(id);
  }

  /** Ends every session of every user, as an XNAT restart does. */
  closeAll(): void {
    this.#byId.clear();
    this.#byLogin.clear();
  }

  /** The live sessions registered to `login` (refused ones included, as in XNAT's registry). */
  liveIds(login: string): string[] {
    const ids = this.#byLogin.get(login);
    if (!ids) return [];
    for (const id of ids) if (!this.#byId.has(id)) ids.delete(id);
    return [...ids];
  }

  /** How many sessions logins of `login` have opened since the emulator started (a test hook). */
  opened(login: string): number {
    return this.#opened.get(login) ?? 0;
  }
}
