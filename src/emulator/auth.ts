import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AliasTokens } from './alias-tokens.js';
import type { Sessions } from './sessions.js';

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
 * The outcome of XNAT's security filter for one request. `newSession` is a session the request
 * opened (sent back as `Set-Cookie`): a Basic login always registers one, and a login refused by
 * the session cap opens one too (XNAT registers it before counting).
 */
export type Authentication =
  | { ok: true; user: User; sessionId: string; newSession: boolean }
  | { ok: false; reason: 'no-credentials' | 'refused'; newSession?: string };

/** XNAT's default `uiLoginFailureMessage`, sent with every refused Basic login (AdminUtils). */
export const LOGIN_FAILURE_MESSAGE =
  'Your login attempt failed because the username and password combination you provided was invalid or your user ' +
  'already has the maximum number of user sessions open. After 20 failed login attempts, your user account will be locked.';

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

export interface LockoutOptions {
  /** XNAT's `maxFailedLogins` (default 20): refused logins in a row that lock the account; 0 never locks. */
  maxFailedLogins?: number;
  /** XNAT's `maxFailedLoginsLockoutDuration` (default 1 hour): how long a locked account stays locked. */
  lockoutMs?: number;
  /** The clock (epoch ms). */
  now?: () => number;
}

export const DEFAULT_MAX_FAILED_LOGINS = 20;

/**
 * XNAT's failed-login accounting (`XnatAuthenticationEventPublisher.FailedAttemptsManager`,
 * `HibernateXdatUserAuthService.addFailedLoginAttempt`): every refused login of a known user but
 * `guest` counts; the count reaching `maxFailedLogins` locks the account, after which even the
 * right password is refused (`XnatDatabaseAuthenticationProvider.additionalAuthenticationChecks`)
 * until `ResetFailedLogins` clears locks older than the lockout duration. A login accepted before
 * then clears the count.
 */
class FailedLogins {
  readonly #counts = new Map<string, { count: number; lockedAt?: number }>();
  readonly #max: number;
  readonly #lockoutMs: number;
  readonly #now: () => number;

  constructor(options: LockoutOptions) {
    this.#max = options.maxFailedLogins ?? DEFAULT_MAX_FAILED_LOGINS;
    this.#lockoutMs = options.lockoutMs ?? 60 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  locked(login: string): boolean {
    const entry = this.#counts.get(login);
    if (entry?.lockedAt === undefined) return false;
    if (this.#now() - entry.lockedAt < this.#lockoutMs) return true;
    this.#counts.delete(login);
    return false;
  }

  failed(login: string): void {
    if (this.#max <= 0 || login === 'guest') return;
    const entry = this.#counts.get(login) ?? { count: 0 };
    entry.count += 1;
    if (entry.count === this.#max) entry.lockedAt = this.#now();
    this.#counts.set(login, entry);
  }

  succeeded(login: string): void {
    this.#counts.delete(login);
  }

  /** Refused logins counted for `login` since its last accepted one (a test hook). */
  count(login: string): number {
    return this.#counts.get(login)?.count ?? 0;
  }
}

/** The site's user accounts (copies of USERS, so a password change stays in one emulator) and alias tokens. */
export class Accounts {
  readonly users: User[] = USERS.map((u) => ({ ...u, roles: { ...u.roles } }));
  readonly tokens = new AliasTokens();
  readonly failedLogins: FailedLogins;

  constructor(lockout: LockoutOptions = {}) {
    this.failedLogins = new FailedLogins(lockout);
  }

  find(login: string): User | undefined {
    return this.users.find((u) => u.login === login);
  }

  add(user: User): User {
    this.users.push(user);
    return user;
  }

  /**
   * The user a Basic name and secret stand for: a login and its password, or an alias token
   * (`alias:secret`). A refusal of a known login counts toward its lockout; a locked account is
   * refused whatever the secret.
   */
  verify(name: string, secret: string): User | undefined {
    const user = this.find(name);
    if (user) {
      if (this.failedLogins.locked(user.login) || !sameSecret(user.password, secret)) {
        this.failedLogins.failed(user.login);
        return undefined;
      }
      this.failedLogins.succeeded(user.login);
      return user;
    }
    const login = this.tokens.validate(name, secret);
    const owner = login === undefined ? undefined : this.find(login);
    return owner && !this.failedLogins.locked(owner.login) ? owner : undefined;
  }

  /** The login a Basic name names without checking its secret: a login, or an alias token's user. */
  loginOf(name: string): string | undefined {
    return this.tokens.locate(name)?.xdatUserId ?? name;
  }
}

function basicCredentials(header: string | undefined): { name: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { name: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * As XNAT's `XnatBasicAuthenticationFilter` does: a live session is used as it is, and Basic
 * credentials beside it are not checked — unless they name another user (an alias token of the
 * session's user is the same user). Otherwise Basic credentials are checked and, when right,
 * log in through the session strategy (`Sessions.login`), which may refuse at the session cap.
 */
export function authenticate(req: IncomingMessage, accounts: Accounts, sessions: Sessions): Authentication {
  const requested = sessionCookie(req);
  const sessionUser = requested === undefined ? undefined : sessions.get(requested);
  const basic = basicCredentials(req.headers.authorization);
  if (sessionUser && requested !== undefined && (!basic?.name || accounts.loginOf(basic.name) === sessionUser.login)) {
    return { ok: true, user: sessionUser, sessionId: requested, newSession: false };
  }
  if (!basic?.name) return { ok: false, reason: 'no-credentials' };
  const user = accounts.verify(basic.name, basic.secret);
  if (!user) return { ok: false, reason: 'refused' };
  const live = requested !== undefined && sessions.has(requested) ? requested : undefined;
  const { id, accepted } = sessions.login(user, live);
  return accepted ? { ok: true, user, sessionId: id, newSession: true } : { ok: false, reason: 'refused', newSession: id };
}
