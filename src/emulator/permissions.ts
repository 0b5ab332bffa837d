import type { User } from './auth.js';
import type { ProjectRecord } from './model.js';

/** Project-level rights, the granularity at which the emulator models XNAT's permissions. */
export function canRead(user: User, project: ProjectRecord): boolean {
  return user.siteAdmin || project.accessibility === 'public' || project.id in user.roles;
}

export function canEdit(user: User, project: ProjectRecord): boolean {
  const role = user.roles[project.id];
  return user.siteAdmin || role === 'owner' || role === 'member';
}

export function canDelete(user: User, project: ProjectRecord): boolean {
  return user.siteAdmin || user.roles[project.id] === 'owner';
}
