import type { XnatArchive } from '../xnat/archive.js';
import { subject, type Subject } from './models.js';
import { byText, groupBy, mapLoader, type LoaderOptions } from './options.js';

/** Subjects of many projects in one request (owner project only). */
export class SubjectLoaders {
  private readonly ofProject;

  constructor(archive: XnatArchive, options: LoaderOptions) {
    this.ofProject = mapLoader<string, Subject[]>(
      options,
      async (projects) => {
        const rows = await archive.subjectsOfProjects(projects);
        return groupBy(rows.map(subject).sort((a, b) => byText(a.label, b.label)), (s) => s.project);
      },
      [],
    );
  }

  subjectsOf(project: string): Promise<Subject[]> {
    return this.ofProject.load(project);
  }

  /** By label, or by accession ID as XNAT also accepts; null when absent. */
  async subjectOf(project: string, labelOrId: string): Promise<Subject | null> {
    const subjects = await this.subjectsOf(project);
    return subjects.find((s) => s.label === labelOrId) ?? subjects.find((s) => s.id === labelOrId) ?? null;
  }
}
