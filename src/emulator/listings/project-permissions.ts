import type { User } from '../auth.js';
import type { ProjectRecord } from '../model.js';
import { canDelete, canEdit, canRead } from '../permissions.js';
import type { Query } from '../query.js';
import { HttpError } from '../responses.js';

/**
 * `GET /data/projects?restrict=edit|delete` (DefaultProjectHandler narrows the readable projects
 * to those the user may edit or delete) and `?permissions=<action>&dataType=<xsi type>`
 * (PermissionsProjectHandler: projects where the user may perform the action on that data
 * type; the emulator models rights per project, so the data type only has to be given).
 * Answers the test a project must pass, or undefined when neither parameter is present.
 */
export function projectPermissionFilter(user: User, query: Query): ((project: ProjectRecord) => boolean) | undefined {
  const permission = query.get('permissions');
  const action = (permission ?? query.get('restrict'))?.toLowerCase();
  if (action === undefined || action === '') return undefined;
  if (permission !== undefined && !query.get('dataType')) throw new HttpError(400, 'The permissions parameter needs a dataType.');
  switch (action) {
    case 'read':
      return (p) => canRead(user, p);
    case 'edit':
    case 'create':
    case 'active':
      return (p) => canRead(user, p) && canEdit(user, p);
    case 'delete':
      return (p) => canRead(user, p) && canDelete(user, p);
    default:
      throw new HttpError(400, `Unknown permission ${action}`);
  }
}
