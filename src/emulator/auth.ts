import { LRUCache } from 'lru-cache';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type ProjectRole = 'owner' | 'member' | 'collaborator';

export interface User {
  login: string;
  password: string;
  /** Site administrators read, edit and delete everything. */
  siteAdmin: boolean;
  /** Explicit project memberships; public projects are readable without one. */
  roles: Record<string, ProjectRole>;
}

/**
 * The demo users: `admin` (site administrator), `guest` (no project role: public projects, and
 * the protected project's record only), and one user per role on the protected project
 * `PROT_NEURO`: `owner`, `member`, `collab` (collaborator). None has a role in `PRIV_ONC`.
 */
export const USERS: readonly User[] = [
  { login: 'admin', password: 'admin', siteAdmin: true, roles: {} },
  { login: 'guest', password: 'guest', siteAdmin: false, roles: {} },
  { login: 'owner', password: 'owner', siteAdmin: false, roles: { PROT_NEURO: 'owner' } },
  { login: 'member', password: 'member', siteAdmin: false, roles: { PROT_NEURO: 'member' } },
  { login: 'collab', password: 'collab', siteAdmin: false, roles: { PROT_NEURO: 'collaborator' } },
];

export const REALM = 'XNAT Protected Area';

/**
 * Servlet-style sessions keyed by JSESSIONID. Like a servlet container's, they time out when
 * unused (XNAT's default is 15 minutes), so a long-running emulator does not keep every one.
 */
export class Sessions {
  readonly #byId = new LRUCache<string, User>({ max: 10_000, ttl: 15 * 60_000, updateAgeOnGet: true });

  open(user: User): string {
    const id = randomBytes(16).toString('hex').toUpperCase();
    this.#byId.set(id, user);
    return id;
  }

  get(id: string): User | undefined {
    return this.#byId.get(id);
  }

  close(id: string): void {
    this.#byId.delete(id);
  }
}

export type Authentication =
  | { ok: true; user: User; sessionId: string | undefined }
  | { ok: false };

function sessionCookie(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'JSESSIONID') return value.join('=');
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function basicUser(header: string, users: readonly User[]): User | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const login = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return users.find((u) => u.login === login && sameSecret(u.password, password));
}

/**
 * As XnatSecureGuard does: a live session wins and its Basic header is not re-checked;
 * otherwise Basic credentials must name a user. Anything else is unauthenticated.
 */
export function authenticate(
  req: IncomingMessage,
  users: readonly User[],
  sessions: Sessions,
): Authentication {
  const sessionId = sessionCookie(req);
  const sessionUser = sessionId === undefined ? undefined : sessions.get(sessionId);
  if (sessionUser) return { ok: true, user: sessionUser, sessionId };
  const header = req.headers.authorization;
  const user = header === undefined ? undefined : basicUser(header, users);
  return user ? { ok: true, user, sessionId: undefined } : { ok: false };
}
