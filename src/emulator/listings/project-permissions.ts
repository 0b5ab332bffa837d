import type { User } from '../auth.js';
import type { ProjectRecord } from '../model.js';
import { type Action, canSeeProject, may } from '../permissions.js';
import type { Query } from '../query.js';
import { HttpError } from '../responses.js';

/**
 * `GET /data/projects?restrict=edit|delete` (DefaultProjectHandler: the projects whose
 * `xnat:projectData/ID` the user may edit or delete — the project scope, so owners only; any
 * other value means read) and `?permissions=<action>&dataType=<xsi type>`
 * (PermissionsProjectHandler: projects where the user may perform the action on that data type —
 * the project scope for `xnat:projectData`, the data scope for other types).
 * Answers the test a project must pass, or undefined when neither parameter is present.
 */
export function projectPermissionFilter(user: User, query: Query): ((project: ProjectRecord) => boolean) | undefined {
  const permission = query.get('permissions');
  if (permission !== undefined) {
    const dataType = query.get('dataType');
    if (!dataType) throw new HttpError(400, 'The permissions parameter needs a dataType.');
    const action = permission.toLowerCase();
    const scope = dataType.toLowerCase() === 'xnat:projectdata' ? 'project' : 'data';
    if (action === 'active') return (p) => canSeeProject(user, p) && may(user, 'read', scope, p);
    if (!['read', 'edit', 'create', 'delete'].includes(action)) throw new HttpError(400, `Unknown permission ${action}`);
    return (p) => canSeeProject(user, p) && may(user, action as Action, scope, p);
  }
  const restrict = query.get('restrict');
  if (restrict === 'edit' || restrict === 'delete') return (p) => canSeeProject(user, p) && may(user, restrict, 'project', p);
  return undefined;
}
