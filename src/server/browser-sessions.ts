import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { XnatAuth } from '../xnat/auth.js';

type BasicAuth = Extract<XnatAuth, { kind: 'basic' }>;

/** The cookie naming a browser's sign-in. Its value is a random id; the credential stays on the server. */
export const SESSION_COOKIE = 'xnat_graphql_session';

export interface BrowserSessionOptions {
  /** Sign a browser out after this long without a request. */
  idleMs?: number;
  /** Most signed-in browsers at once; the least recently used is signed out. */
  max?: number;
}

/**
 * Browsers signed in at /login: a random session id (the cookie's value) → the XNAT credential
 * it acts with. Kept in this process's memory only, so a restart signs every browser out.
 */
export class BrowserSessions {
  private readonly sessions: LRUCache<string, BasicAuth>;

  constructor(options: BrowserSessionOptions = {}) {
    this.sessions = new LRUCache({ max: options.max ?? 10_000, ttl: options.idleMs ?? 8 * 60 * 60_000, updateAgeOnGet: true });
  }

  create(auth: BasicAuth): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, auth);
    return id;
  }

  /** The credential of the browser that sent `headers`, if it is signed in. */
  authOf(headers: IncomingHttpHeaders | { get(name: string): string | null }): BasicAuth | undefined {
    const id = sessionIdOf(headers);
    return id ? this.sessions.get(id) : undefined;
  }

  /** Signs the browser out; returns the credential it used, so its XNAT session can end too. */
  end(headers: IncomingHttpHeaders | { get(name: string): string | null }): BasicAuth | undefined {
    const id = sessionIdOf(headers);
    if (!id) return undefined;
    const auth = this.sessions.get(id);
    this.sessions.delete(id);
    return auth;
  }
}

function sessionIdOf(headers: IncomingHttpHeaders | { get(name: string): string | null }): string | undefined {
  const cookie = typeof headers.get === 'function' ? headers.get('cookie') : (headers as IncomingHttpHeaders).cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/** Set-Cookie for a sign-in: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure behind https. */
export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}
