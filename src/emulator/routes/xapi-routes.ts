import type { IncomingMessage, ServerResponse } from 'node:http';
import type { User } from '../auth.js';
import { groupsOf } from '../permissions.js';
import { HttpError, sendText } from '../responses.js';

/**
 * The XAPI user routes a client needs to learn its own access (`UsersApi`):
 * - `GET /xapi/users/username`: the signed-in user's name, as text (`getUsername`);
 * - `GET /xapi/users/{username}/groups`: that user's groups as a JSON array
 *   (`usersIdGroupsGet`, `restrictTo = AccessLevel.User`: a user may ask about themself, a site
 *   administrator about anyone; others get 403, an unknown user 404).
 */
export function handleXapi(req: IncomingMessage, res: ServerResponse, pathname: string, user: User, users: readonly User[]): void {
  const parts = pathname.split('/').slice(1);
  if (parts[1] !== 'users') throw new HttpError(404, 'Not Found');
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Method not allowed');
  if (parts.length === 3 && parts[2] === 'username') return sendText(res, 200, user.login);
  if (parts.length === 4 && parts[3] === 'groups') {
    let login: string;
    try {
      login = decodeURIComponent(parts[2]!);
    } catch {
      throw new HttpError(400, 'Malformed URL');
    }
    if (!user.siteAdmin && login !== user.login) throw new HttpError(403, `User ${user.login} may not see the groups of ${login}`);
    const target = users.find((u) => u.login === login);
    if (!target) throw new HttpError(404, `User ${login} not found`);
    return sendText(res, 200, JSON.stringify(groupsOf(target)), 'application/json');
  }
  throw new HttpError(404, 'Not Found');
}
