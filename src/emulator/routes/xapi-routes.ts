import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Accounts, User } from '../auth.js';
import { groupsOf } from '../permissions.js';
import { HttpError, sendText } from '../responses.js';
import type { Sessions } from '../sessions.js';

/** What an XAPI handler needs about one authenticated request. */
export interface XapiContext {
  req: IncomingMessage;
  res: ServerResponse;
  user: User;
  /** The request's own session (kept by `DELETE /xapi/users/active/{user}`). */
  sessionId: string;
  accounts: Accounts;
  sessions: Sessions;
}

const MAX_BODY_BYTES = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request entity too large');
    chunks.push(chunk);
  }
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'The request body must be a JSON object');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'Malformed URL');
  }
}

function json(res: ServerResponse, body: unknown): void {
  sendText(res, 200, JSON.stringify(body), 'application/json');
}

/** `AccessLevel.User`: the user themselves, or a site admin. */
function selfOrAdmin(ctx: XapiContext, username: string): void {
  if (!ctx.user.siteAdmin && ctx.user.login !== username) throw new HttpError(403, `Not authorized to access the user ${username}`);
}

function userModel(user: User) {
  return { username: user.login, admin: user.siteAdmin, enabled: true, verified: true };
}

/**
 * The parts of XNAT's `UsersApi` (`/xapi/users`) that concern credentials and sessions:
 * - `POST /xapi/users` (admins): a new user from `{"username", "password"}` (201; 409 when taken).
 * - `PUT /xapi/users/{username}` (admins) with a JSON body; a `password` sets a new password.
 *   Existing sessions stay alive (XNAT does not end them), so only new logins see the change.
 * - `GET /xapi/users/active/{username}`: the ids of the user's live sessions (304 when none).
 * - `DELETE /xapi/users/active/{username}`: ends them, except the request's own.
 * And the routes a client needs to learn its own access:
 * - `GET /xapi/users/username`: the signed-in user's name, as text (`getUsername`);
 * - `GET /xapi/users/{username}/groups`: that user's groups as a JSON array
 *   (`usersIdGroupsGet`, `restrictTo = AccessLevel.User`: a user may ask about themself, a site
 *   administrator about anyone; others get 403, an unknown user 404).
 */
export async function handleXapi(ctx: XapiContext, pathname: string): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  const reading = method === 'GET' || method === 'HEAD';
  if (pathname === '/xapi/users/username' && reading) return sendText(ctx.res, 200, ctx.user.login);
  const groups = /^\/xapi\/users\/([^/]+)\/groups$/.exec(pathname);
  if (groups) {
    if (!reading) throw new HttpError(405, 'Method not allowed');
    const username = decode(groups[1]!);
    if (!ctx.user.siteAdmin && username !== ctx.user.login)
      throw new HttpError(403, `User ${ctx.user.login} may not see the groups of ${username}`);
    const target = ctx.accounts.find(username);
    if (!target) throw new HttpError(404, `User ${username} not found`);
    return json(ctx.res, groupsOf(target));
  }
  const active = /^\/xapi\/users\/active\/([^/]+)$/.exec(pathname);
  if (active) {
    const username = decode(active[1]!);
    selfOrAdmin(ctx, username);
    if (!ctx.accounts.find(username)) throw new HttpError(404, `User not found: ${username}`);
    const ids = ctx.sessions.liveIds(username);
    if (method === 'GET') {
      if (ids.length === 0) throw new HttpError(304, `No sessions found for user ${username}`);
      return json(ctx.res, ids);
    }
    if (method === 'DELETE') {
      if (ids.length === 0) throw new HttpError(304, `No sessions were found for the user ${username}`);
      const ended = ids.filter((id) => id !== ctx.sessionId);
      for (const id of ended) ctx.sessions.close(id);
      return json(ctx.res, ended);
    }
    throw new HttpError(405, 'Method Not Allowed');
  }
  if (pathname === '/xapi/users' && method === 'POST') {
    if (!ctx.user.siteAdmin) throw new HttpError(403, 'Not authorized to create users.');
    const body = await readJson(ctx.req);
    if (
      typeof body.username !== 'string' ||
      !/^[A-Za-z0-9_-]+$/.test(body.username) ||
      typeof body.password !== 'string' ||
      body.password === ''
    ) {
      throw new HttpError(400, 'The submitted data was invalid.');
    }
    if (ctx.accounts.find(body.username)) throw new HttpError(409, `The user ${body.username} already exists.`);
    const user = ctx.accounts.add({ login: body.username, password: body.password, siteAdmin: false, roles: {} });
    return sendText(ctx.res, 201, JSON.stringify(userModel(user)), 'application/json');
  }
  const account = /^\/xapi\/users\/([^/]+)$/.exec(pathname);
  if (account && method === 'PUT') {
    if (!ctx.user.siteAdmin) throw new HttpError(403, 'Not authorized to update this user.');
    const username = decode(account[1]!);
    const user = ctx.accounts.find(username);
    if (!user) throw new HttpError(404, `User not found: ${username}`);
    const body = await readJson(ctx.req);
    if (typeof body.username === 'string' && body.username !== '' && body.username !== username) {
      throw new HttpError(400, 'The username for the submitted user object must match the username for the API call');
    }
    if (typeof body.password !== 'string' || body.password === '')
      throw new HttpError(304, `No attributes were changed for user ${username}`);
    user.password = body.password;
    return json(ctx.res, userModel(user));
  }
  if (account && method === 'GET') {
    const username = decode(account[1]!);
    selfOrAdmin(ctx, username);
    const user = ctx.accounts.find(username);
    if (!user) throw new HttpError(404, `User not found: ${username}`);
    return json(ctx.res, userModel(user));
  }
  throw new HttpError(404, 'Not Found');
}
