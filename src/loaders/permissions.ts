import DataLoader from 'dataloader';
import { projectAccess, type ProjectAccess } from '../xnat/access.js';
import type { XnatArchive } from '../xnat/archive.js';

/** The caller's rights per project, from their XNAT groups. */
export class PermissionLoaders {
  /** The caller's XNAT groups: one request per GraphQL request, for every project's access. */
  private readonly groups;

  constructor(archive: XnatArchive) {
    this.groups = new DataLoader<'all', Set<string>>(async (keys) => {
      const groups = await archive.userGroups();
      return keys.map(() => groups);
    });
  }

  /** The caller's role and rights in a project (src/xnat/access.ts). */
  async access(project: string): Promise<ProjectAccess> {
    return projectAccess(await this.groups.load('all'), project);
  }
}
