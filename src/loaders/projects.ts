import DataLoader from 'dataloader';
import type { XnatArchive } from '../xnat/archive.js';
import { project, type Project } from './models.js';
import { byText } from './options.js';

/** Projects: XNAT lists every readable project in one request and cannot filter it for non-admins. */
export class ProjectLoaders {
  private readonly all = new DataLoader<'all', Project[]>(async (keys) => {
    const rows = await this.archive.projects();
    const projects = rows.map(project).sort((a, b) => byText(a.id, b.id));
    return keys.map(() => projects);
  });

  constructor(private readonly archive: XnatArchive) {}

  projects(): Promise<Project[]> {
    return this.all.load('all');
  }

  /** null when absent or not readable: pyxnat's `exists()`. */
  async project(id: string): Promise<Project | null> {
    return (await this.projects()).find((p) => p.id === id) ?? null;
  }
}
