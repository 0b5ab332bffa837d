import type { ProjectRole, User } from './auth.js';
import type { ProjectRecord } from './model.js';

/**
 * XNAT's default project permissions (`init_project_group_functions.sql`, `default_perms`): each
 * project has the groups `{project}_owner`, `_member` and `_collaborator`, with these rights on
 * three scopes —
 *
 * | scope | Owners | Members | Collaborators |
 * |---|---|---|---|
 * | `project` (`xnat:projectData/ID`: the project itself, its resources) | read edit create delete | read | read |
 * | `data` (`<type>/project`: subjects, sessions, scans owned by the project) | read edit create delete | read edit create | read |
 * | `shared` (`<type>/sharing/share/project`: data shared into the project) | read | read | read |
 *
 * A site may change what a project's groups may do with its data (`ProjectRecord.dataPermissions`).
 * Site administrators (the `ALL_DATA_ADMIN` group) may do everything. Every user also has the
 * guest user's rights (`PermissionsServiceImpl.setAccessibilityInternal`): a public project's
 * record and data, owned or shared into it, are readable by all; a protected project's record
 * only; a private project's nothing.
 */
export type Action = 'read' | 'edit' | 'create' | 'delete';
export type Scope = 'project' | 'data' | 'shared';

const DEFAULT_PERMISSIONS: Record<Scope, Record<ProjectRole, readonly Action[]>> = {
  project: { owner: ['read', 'edit', 'create', 'delete'], member: ['read'], collaborator: ['read'] },
  data: { owner: ['read', 'edit', 'create', 'delete'], member: ['read', 'edit', 'create'], collaborator: ['read'] },
  shared: { owner: ['read'], member: ['read'], collaborator: ['read'] },
};

/** A role group's rights on a scope of `project`: the site's own for its data, else XNAT's defaults. */
function rights(project: ProjectRecord, scope: Scope, role: ProjectRole): readonly Action[] {
  return (scope === 'data' && project.dataPermissions?.[role]) || DEFAULT_PERMISSIONS[scope][role];
}

/** What the guest user (and so every user) may read per accessibility level. */
function guestReads(project: ProjectRecord, scope: Scope): boolean {
  if (project.accessibility === 'public') return true;
  return project.accessibility === 'protected' && scope === 'project';
}

/** Whether the user may perform `action` on `scope` of `project`. */
export function may(user: User, action: Action, scope: Scope, project: ProjectRecord): boolean {
  if (user.siteAdmin) return true;
  const role = user.roles[project.id];
  if (role && rights(project, scope, role).includes(action)) return true;
  return action === 'read' && guestReads(project, scope);
}

/** The project appears in `/data/projects` and can be named in a URL (public, protected, or a role). */
export function canSeeProject(user: User, project: ProjectRecord): boolean {
  return may(user, 'read', 'project', project);
}

/** The project's subjects and sessions are readable (protected projects: members only). */
export function canReadData(user: User, project: ProjectRecord): boolean {
  return may(user, 'read', 'data', project);
}

/**
 * The XNAT groups the user belongs to, as `GET /xapi/users/{username}/groups` lists them
 * (`UsersApi.usersIdGroupsGet` → `Groups.getGroupsForUser(user).keySet()`). The site's first
 * administrator is in `ALL_DATA_ADMIN` (`init_security_000.sql`).
 */
export function groupsOf(user: User): string[] {
  const groups = Object.entries(user.roles).map(([project, role]) => `${project}_${role}`);
  return user.siteAdmin ? ['ALL_DATA_ADMIN', ...groups] : groups;
}

/**
 * `Permissions.can<Action>(user, securityItem)` for the object a write addresses: a project is
 * checked on the project scope; a subject, session or scan on the data scope of the project
 * that owns it (sharing grants read only, so a shared object is written through its owner).
 */
export function mayOn(user: User, action: Action, target: { kind: string; project: ProjectRecord }): boolean {
  return may(user, action, target.kind === 'project' ? 'project' : 'data', target.project);
}

/**
 * Whether a subject or experiment is readable: through the data scope of its owning project or
 * the shared scope of a project it is shared into (XFT's security clause ORs both fields).
 */
export function canReadItem(user: User, owning: ProjectRecord | undefined, sharedInto: readonly ProjectRecord[]): boolean {
  return (owning !== undefined && may(user, 'read', 'data', owning)) || sharedInto.some((p) => may(user, 'read', 'shared', p));
}
