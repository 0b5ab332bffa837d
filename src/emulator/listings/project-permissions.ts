import type { User } from '../auth.js';
import type { ProjectRecord } from '../model.js';
import { type Action, canSeeProject, may } from '../permissions.js';
import type { Query } from '../query.js';
import { HttpError } from '../responses.js';
import type { Table } from './table.js';

/**
 * `GET /data/projects?restrict=edit|delete` (DefaultProjectHandler): the readable projects whose
 * `xnat:projectData/ID` the user may edit or delete — the project scope, so owners only; any
 * other value means read. Answers the test a project must pass, or undefined without `restrict`.
 */
export function projectRestriction(user: User, query: Query): ((project: ProjectRecord) => boolean) | undefined {
  const restrict = query.get('restrict');
  if (restrict === 'edit' || restrict === 'delete') return (p) => canSeeProject(user, p) && may(user, restrict, 'project', p);
  return undefined;
}

const PERMISSIONS = ['active', 'create', 'delete', 'edit', 'read'];

/**
 * `GET /data/projects?permissions=<action>&dataType=<xsi type>` (PermissionsProjectHandler →
 * `DefaultGroupsAndPermissionsCache.getProjectsForDatatypeAction`): the projects where the
 * user's groups, or the guest user, may perform the action on data of that type — XNAT's own
 * answer, permissions a site customised included. A bare table of `id` and `secondary_id`
 * sorted by `secondary_id`, whatever `columns` asks; every project for an administrator.
 * Undefined without `permissions`.
 */
export function permittedProjects(projects: Iterable<ProjectRecord>, user: User, query: Query): Table | undefined {
  const permission = query.get('permissions');
  if (permission === undefined) return undefined;
  const dataType = query.get('dataType');
  if (!dataType) throw new HttpError(500, 'Failed to identify projects');
  const action = permission.toLowerCase();
  if (!PERMISSIONS.includes(action)) throw new HttpError(500, 'Failed to identify projects');
  // The query matches `<dataType>/project` in the element access of the user's groups. Project
  // groups map that field for their data types but map xnat:projectData by `xnat:projectData/ID`,
  // so for that type only administrators get projects.
  const asked: Action = action === 'active' ? 'read' : (action as Action);
  const permitted = (p: ProjectRecord) =>
    user.siteAdmin || (dataType.toLowerCase() !== 'xnat:projectdata' && canSeeProject(user, p) && may(user, asked, 'data', p));
  const rows = [...projects]
    .filter(permitted)
    .map((p) => ({ id: p.id, secondary_id: p.fields['secondary_ID'] ?? '' }))
    .sort((a, b) => (a.secondary_id < b.secondary_id ? -1 : a.secondary_id > b.secondary_id ? 1 : 0));
  return { columns: ['id', 'secondary_id'], rows, meta: [] };
}
