import { createHmac } from 'node:crypto';

/** The XNAT identity one gateway request acts as. Passed per call: the client holds no user state. */
export type XnatAuth = { kind: 'basic'; user: string; password: string } | { kind: 'anonymous' };

export function authorizationHeader(auth: XnatAuth): string | undefined {
  if (auth.kind === 'anonymous') return undefined;
  return `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}`;
}

/**
 * A key standing for a credential: an HMAC-SHA256 of user and password under `secret`, so
 * neither the password nor a reversible form of it is ever stored as a key. Equal for equal
 * credentials under the same secret only.
 */
export function credentialKey(secret: Buffer, auth: Extract<XnatAuth, { kind: 'basic' }>): string {
  return createHmac('sha256', secret).update(auth.user).update('\0').update(auth.password).digest('base64url');
}

/** A key standing for a Basic user name (an HMAC under `secret`), for counting its refused logins. */
export function userNameKey(secret: Buffer, auth: Extract<XnatAuth, { kind: 'basic' }>): string {
  return createHmac('sha256', secret).update('user\0').update(auth.user).digest('base64url');
}
