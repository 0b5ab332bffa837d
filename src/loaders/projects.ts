import type { XnatArchive } from '../xnat/archive.js';
import { project, type Project } from './models.js';
import { batchLoader, byText, type LoaderOptions } from './options.js';

/** Projects: XNAT lists every readable project in one request and cannot filter it for non-admins. */
export class ProjectLoaders {
  private readonly all;

  constructor(archive: XnatArchive, options: LoaderOptions) {
    this.all = batchLoader<'all', Project[]>('projects', options, async (keys) => {
      const rows = await archive.projects();
      const projects = rows.map(project).sort((a, b) => byText(a.id, b.id));
      return keys.map(() => projects);
    });
  }

  projects(): Promise<Project[]> {
    return this.all.load('all');
  }

  /** null when absent or not readable: pyxnat's `exists()`. */
  async project(id: string): Promise<Project | null> {
    return (await this.projects()).find((p) => p.id === id) ?? null;
  }
}
