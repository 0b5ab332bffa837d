import { randomBytes, randomUUID } from 'node:crypto';

/** An XNAT alias token (`org.nrg.xdat.entities.AliasToken`), as its JSON serialization names it. */
export interface AliasToken {
  id: number;
  alias: string;
  secret: string;
  xdatUserId: string;
  singleUse: boolean;
  /** Epoch ms: issue time plus the `aliasTokenTimeout` site preference (default 2 days). */
  estimatedExpirationTime: number;
  validIPAddresses: string[];
  enabled: boolean;
  created: number;
  timestamp: number;
  disabled: number;
}

const ALIAS_TOKEN_TIMEOUT_MS = 2 * 24 * 3600_000;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 64-character alphanumeric secret, as `RandomStringUtils.random(64, 0, 0, true, true, …)` makes. */
function secret(): string {
  return [...randomBytes(64)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/**
 * XNAT's alias tokens (`HibernateAliasTokenService`): a UUID alias and a secret that stand in
 * for a user's name and password in Basic credentials, until they expire or are invalidated.
 */
export class AliasTokens {
  readonly #byAlias = new Map<string, AliasToken>();
  #nextId = 1;

  issue(login: string): AliasToken {
    const now = Date.now();
    const token: AliasToken = {
      id: this.#nextId++,
      alias: randomUUID(),
      secret: secret(),
      xdatUserId: login,
      singleUse: false,
      estimatedExpirationTime: now + ALIAS_TOKEN_TIMEOUT_MS,
      validIPAddresses: [],
      enabled: true,
      created: now,
      timestamp: now,
      disabled: 0,
    };
    this.#byAlias.set(token.alias, token);
    return token;
  }

  /** The live token with this alias (XNAT's scheduled clean-up removes expired ones). */
  locate(alias: string): AliasToken | undefined {
    const token = this.#byAlias.get(alias);
    if (token && token.estimatedExpirationTime <= Date.now()) {
      this.#byAlias.delete(alias);
      return undefined;
    }
    return token;
  }

  /** The login the token stands for when `secret` matches (`AliasTokenService.validateToken`). */
  validate(alias: string, secret: string): string | undefined {
    const token = this.locate(alias);
    return token && token.secret === secret ? token.xdatUserId : undefined;
  }

  /** The live tokens issued for `login`. */
  of(login: string): AliasToken[] {
    return [...this.#byAlias.keys()].map((alias) => this.locate(alias)).filter((t): t is AliasToken => t?.xdatUserId === login);
  }

  invalidate(alias: string): void {
    this.#byAlias.delete(alias);
  }
}
