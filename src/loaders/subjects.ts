import type { XnatArchive } from '../xnat/archive.js';
import type { SubjectRow } from '../xnat/records.js';
import type { SubjectFilter } from './filters.js';
import { subject, type Subject } from './models.js';
import { byLabelOrId, byText, groupBy, mapLoader, type LoaderOptions } from './options.js';
import type { SearchLoaders } from './search.js';

/**
 * Subjects of projects, owned and shared into them. One project: its own listing
 * (`/data/projects/{p}/subjects`, owned and shared in one request). Several: the owners'
 * site-wide listing plus a site-wide probe for subjects shared into any of them (two requests);
 * only when the probe finds some, each project's listing for those subjects, because only that
 * listing gives a shared subject the label it has in the project.
 */
export async function subjectsOfProjects(archive: XnatArchive, projects: readonly string[]): Promise<SubjectRow[]> {
  if (projects.length === 1) return archive.subjectsInProject(projects[0]!);
  const [owned, sharedIds] = await Promise.all([archive.subjectsOfProjects(projects), archive.sharedSubjectIds(projects)]);
  if (sharedIds.length === 0) return owned;
  const shared = await Promise.all(projects.map((p) => archive.subjectsInProject(p, sharedIds)));
  return [...owned, ...shared.flat().filter((s) => s.ownerProject !== s.project)];
}

export class SubjectLoaders {
  private readonly ofProject;

  constructor(
    archive: XnatArchive,
    options: LoaderOptions,
    private readonly search: SearchLoaders,
  ) {
    this.ofProject = mapLoader<string, Subject[]>(
      'subjects',
      options,
      async (projects) =>
        groupBy(
          (await subjectsOfProjects(archive, projects)).map(subject).sort((a, b) => byText(a.label, b.label)),
          (s) => s.project,
        ),
      [],
    );
  }

  /** With a filter, only the matching ones, from the filtered listing (search.ts). */
  subjectsOf(project: string, filter?: SubjectFilter | null): Promise<Subject[]> {
    if (filter) return this.search.subjectsOfProjectWhere(project, filter);
    return this.ofProject.load(project);
  }

  /** By label (in the project), or by accession ID as XNAT also accepts; null when absent. */
  async subjectOf(project: string, labelOrId: string): Promise<Subject | null> {
    const subjects = await this.subjectsOf(project);
    return byLabelOrId(subjects, labelOrId, (s) => s.id);
  }
}
