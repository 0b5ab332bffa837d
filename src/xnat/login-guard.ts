import { LRUCache } from 'lru-cache';
import type { GraphQLError } from 'graphql';
import { serveDefaults } from '../config/defaults.js';
import { gatewayError } from '../errors.js';

export interface LoginGuardOptions {
  /** Refused logins of one user name in a row after which the gateway stops asking XNAT; 0 never stops. */
  maxFailures?: number;
  /** How long the gateway keeps refusing on its own, counted from the last refusal. */
  coolDownMs?: number;
  now?: () => number;
}

interface Refusals {
  count: number;
  lastAt: number;
}

/**
 * XNAT locks an account after `maxFailedLogins` (20 by default) refused logins in a row, for an
 * hour, right password or not (docs/xnat-conformance.md). Every caller of a gateway logs in as
 * some XNAT user, so one script retrying a wrong password, or anyone guessing, would lock that
 * user out of XNAT everywhere. The guard keeps the gateway's share of those refusals below
 * XNAT's limit: a credential XNAT just refused is refused again without asking, and after
 * `maxFailures` refusals of a user name in a row only credentials XNAT accepted before still
 * reach it, until the cool-down has passed since the last refusal.
 *
 * Keys are credential and user-name keys (HMACs, see auth.ts): no name or password is held.
 */
export class LoginGuard {
  private readonly maxFailures: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private readonly refusedUsers = new LRUCache<string, Refusals>({ max: 10_000 });
  /** When XNAT last refused each credential. */
  private readonly refusedCredentials = new LRUCache<string, number>({ max: 10_000 });
  private readonly acceptedCredentials = new LRUCache<string, true>({ max: 10_000 });

  constructor(options: LoginGuardOptions = {}) {
    this.maxFailures = options.maxFailures ?? serveDefaults.loginFailureLimit;
    this.coolDownMs = options.coolDownMs ?? serveDefaults.loginCoolDownMs;
    this.now = options.now ?? Date.now;
  }

  /** Throws UNAUTHENTICATED when this login must not reach XNAT. */
  check(userKey: string, credentialKey: string): void {
    if (this.maxFailures <= 0) return;
    const refusedAt = this.refusedCredentials.get(credentialKey);
    if (refusedAt !== undefined && this.now() - refusedAt < this.coolDownMs) throw refusedBefore();
    const refusals = this.refusedUsers.get(userKey);
    if (!refusals || refusals.count < this.maxFailures || this.acceptedCredentials.has(credentialKey)) return;
    const waitMs = refusals.lastAt + this.coolDownMs - this.now();
    if (waitMs > 0) throw tooManyRefusals(refusals.count, waitMs);
    this.refusedUsers.delete(userKey);
  }

  refused(userKey: string, credentialKey: string): void {
    if (this.maxFailures <= 0) return;
    this.refusedCredentials.set(credentialKey, this.now());
    const count = (this.refusedUsers.get(userKey)?.count ?? 0) + 1;
    this.refusedUsers.set(userKey, { count, lastAt: this.now() });
  }

  accepted(userKey: string, credentialKey: string): void {
    this.refusedUsers.delete(userKey);
    this.refusedCredentials.delete(credentialKey);
    this.acceptedCredentials.set(credentialKey, true);
  }
}

const refusedBefore = (): GraphQLError =>
  gatewayError(
    'UNAUTHENTICATED',
    'XNAT refused these credentials a moment ago; the gateway does not send them again for a while, so that XNAT does not lock the account.',
  );

const tooManyRefusals = (count: number, waitMs: number): GraphQLError =>
  gatewayError(
    'UNAUTHENTICATED',
    `XNAT refused ${count} logins of this user in a row. So that XNAT does not lock the account (it does after 20 refused logins ` +
      `by default, for an hour), the gateway sends it only credentials XNAT accepted before for another ${Math.ceil(waitMs / 60_000)} minute(s).`,
  );
