import type { ServerResponse } from 'node:http';
import type { AliasToken } from '../alias-tokens.js';
import type { Accounts, User } from '../auth.js';
import { HttpError, sendText } from '../responses.js';

const TOKEN_SERVICE = /^\/(?:data|REST)\/services\/tokens\/([^/]+)(?:\/(.*))?$/;
const ALIAS_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `pathname` is one of the alias-token service routes (`XNATApplication`: `/services/tokens/…`). */
export function isTokenServicePath(pathname: string): boolean {
  return TOKEN_SERVICE.test(pathname);
}

function json(res: ServerResponse, body: unknown): void {
  sendText(res, 200, JSON.stringify(body), 'application/json');
}

/**
 * `GET /data/services/tokens/{OPERATION}[/user/{USERNAME} | /{TOKEN}[/{SECRET}]]`, as
 * `AliasTokenRestlet` answers it: `issue` a token for yourself (admins: for anyone), `show` your
 * tokens, `validate` an alias and secret (`{"valid": login-or-null}`), `invalidate` a token.
 * The guest user gets no tokens; non-admins touch only their own.
 */
export function handleTokenService(res: ServerResponse, method: string, pathname: string, user: User, accounts: Accounts): void {
  const [, operation = '', rest] = TOKEN_SERVICE.exec(pathname) ?? [];
  if (method !== 'GET') throw new HttpError(405, 'Method Not Allowed');
  const parts = rest ? rest.split('/') : [];
  const username = parts[0] === 'user' && parts.length === 2 ? parts[1]! : user.login;
  const tokenId = parts[0] === 'user' ? undefined : parts[0];
  const secret = parts[0] === 'user' ? undefined : parts[1];

  let token: AliasToken | undefined;
  if (tokenId !== undefined && tokenId !== '') {
    token = ALIAS_FORMAT.test(tokenId) ? accounts.tokens.locate(tokenId) : undefined;
    if (!token) throw new HttpError(404, `Can't find an alias token with the ${ALIAS_FORMAT.test(tokenId) ? 'alias' : 'ID'} ${tokenId}`);
  }
  if (!username || username.toLowerCase() === 'guest') throw new HttpError(403, "The guest user can't request alias tokens");
  const own =
    username.toLowerCase() === user.login.toLowerCase() && (!token || token.xdatUserId.toLowerCase() === user.login.toLowerCase());
  if (!own && !user.siteAdmin)
    throw new HttpError(403, 'Non-admin users can only request operations on alias tokens for their own account');

  switch (operation) {
    case 'issue': {
      const owner = accounts.find(username);
      if (!owner) throw new HttpError(400, `An error occurred retrieving the user: ${username}`);
      return json(res, accounts.tokens.issue(owner.login));
    }
    case 'show':
      return json(res, accounts.tokens.of(username));
    case 'validate':
      if (!token || !secret) throw new HttpError(401, 'You must specify both token and secret to validate a token.');
      return json(res, { valid: accounts.tokens.validate(token.alias, secret) ?? null });
    case 'invalidate':
      if (token) accounts.tokens.invalidate(token.alias);
      return json(res, { result: 'OK' });
    default:
      throw new HttpError(400, `Unknown operation: ${operation}`);
  }
}
