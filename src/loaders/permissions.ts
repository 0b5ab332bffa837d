import { projectAccess, type ProjectAccess } from '../xnat/access.js';
import type { XnatArchive } from '../xnat/archive.js';
import { batchLoader, type LoaderOptions } from './options.js';

/** The caller's rights per project, from their XNAT groups. */
export class PermissionLoaders {
  /** The caller's XNAT groups: one request per GraphQL request, for every project's access. */
  private readonly groups;
  /** Per data type, the projects where XNAT itself lets the caller edit that data. */
  private readonly editable;

  constructor(archive: XnatArchive, options: LoaderOptions) {
    this.groups = batchLoader<'all', Set<string>>('user groups', options, async (keys) => {
      const groups = await archive.userGroups();
      return keys.map(() => groups);
    });
    this.editable = batchLoader<string, Set<string>>('edit permissions', options, (dataTypes) =>
      Promise.all(dataTypes.map((dataType) => archive.projectsPermitting('edit', dataType))),
    );
  }

  /** The caller's role and rights in a project (src/xnat/access.ts). */
  async access(project: string): Promise<ProjectAccess> {
    return projectAccess(await this.groups.load('all'), project);
  }

  /**
   * Whether XNAT lets the caller edit data of `dataType` in `project`, by its own permissions
   * listing: what the groups' default role permissions do not tell when a site customised them.
   */
  async mayEditData(project: string, dataType: string): Promise<boolean> {
    return (await this.editable.load(dataType)).has(project);
  }
}
