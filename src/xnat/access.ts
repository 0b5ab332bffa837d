/**
 * What a user may do in a project, from the XNAT groups they belong to
 * (`GET /xapi/users/{username}/groups`, UsersApi.usersIdGroupsGet). XNAT gives every project the
 * groups `{project}_owner`, `{project}_member` and `{project}_collaborator`, with the default
 * permissions of `init_project_group_functions.sql` (`default_perms`):
 *
 * | role | project record and project resources | subjects, sessions, scans and their files |
 * |---|---|---|
 * | owner | read, edit, delete | read, create, edit, delete |
 * | member | read | read, create, edit |
 * | collaborator | read | read |
 *
 * and the `ALL_DATA_ADMIN` group (the site's administrators, `init_security_000.sql`) may do
 * everything everywhere. Data shared into a project is read-only there for every role.
 * `/data/projects?restrict=edit` cannot answer this: it tests the project record's edit right,
 * which members lack.
 */
export type ProjectRole = 'OWNER' | 'MEMBER' | 'COLLABORATOR';

export interface ProjectAccess {
  role: ProjectRole | null;
  /** May create and edit the project's own data (subjects, sessions, scans, their resources and files). */
  canEdit: boolean;
  /** May delete the project's own data. */
  canDelete: boolean;
  /** May edit the project record and its project-level resources (owners and administrators). */
  canEditProject: boolean;
}

export const ALL_DATA_ADMIN = 'ALL_DATA_ADMIN';

const ROLES: ReadonlyArray<[suffix: string, role: ProjectRole]> = [
  ['owner', 'OWNER'],
  ['member', 'MEMBER'],
  ['collaborator', 'COLLABORATOR'],
];

export function projectAccess(groups: ReadonlySet<string>, project: string): ProjectAccess {
  const role = ROLES.find(([suffix]) => groups.has(`${project}_${suffix}`))?.[1] ?? null;
  const admin = groups.has(ALL_DATA_ADMIN);
  return {
    role,
    canEdit: admin || role === 'OWNER' || role === 'MEMBER',
    canDelete: admin || role === 'OWNER',
    canEditProject: admin || role === 'OWNER',
  };
}

/** The groups answer: a JSON array of group IDs; anything else is undefined. */
export function parseGroups(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((g) => typeof g === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}
