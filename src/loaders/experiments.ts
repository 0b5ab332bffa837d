import type { XnatArchive } from '../xnat/archive.js';
import type { ExperimentRow, TypeSpecificDetails } from '../xnat/records.js';
import type { ExperimentFilter } from './filters.js';
import { experiment, type Experiment } from './models.js';
import { byLabelOrId, byText, groupBy, mapLoader, type LoaderOptions } from './options.js';
import type { SearchLoaders } from './search.js';

const sortExperiments = (list: Experiment[]) => list.sort((a, b) => byText(a.label, b.label));

/** Where a subject was listed: its project there, and whether that project owns it. */
export interface SubjectInProject {
  id: string;
  project: string;
  ownerProject: string;
}

const key = (s: SubjectInProject) => `${s.project}\u0000${s.id}\u0000${s.ownerProject}`;

/**
 * Experiments of subjects, each in the project the subject was listed in, as XNAT lists
 * `/data/projects/{p}/subjects/{s}/experiments`: those owned by or shared into that project.
 * Subjects in their owning project: one site-wide `subject_ID=` listing for all (experiments
 * the project owns). Subjects shared into a project: that project's listing, one request per such
 * project, which gives shared experiments their labels there.
 */
async function experimentsOfSubjects(archive: XnatArchive, subjects: readonly SubjectInProject[]): Promise<Map<string, Experiment[]>> {
  const owned = subjects.filter((s) => s.project === s.ownerProject);
  const sharedByProject = groupBy(
    subjects.filter((s) => s.project !== s.ownerProject),
    (s) => s.project,
  );
  const [ownedRows, ...sharedRows] = await Promise.all([
    archive.experimentsOfSubjects(owned.map((s) => s.id)),
    ...[...sharedByProject].map(([project, list]) => archive.experimentsInProject(project, { subjects: list.map((s) => s.id) })),
  ]);
  const ownedKeys = new Set(owned.map(key));
  const rows = [
    // The site-wide listing has every readable experiment of the subjects; their project keeps its own.
    ...ownedRows!.filter((e) => ownedKeys.has(key({ id: e.subjectId, project: e.project, ownerProject: e.project }))),
    ...sharedRows.flat(),
  ];
  const byPlace = groupBy(sortExperiments(rows.map(experiment)), (e) => `${e.project}\u0000${e.subjectId}`);
  return new Map(subjects.map((s) => [key(s), byPlace.get(`${s.project}\u0000${s.id}`) ?? []]));
}

/**
 * Experiments of projects, owned and shared into them, on the same pattern as subjects
 * (loaders/subjects.ts): one project, its listing; several, the owners' listing and a share probe.
 */
async function experimentsOfProjects(archive: XnatArchive, projects: readonly string[]): Promise<ExperimentRow[]> {
  if (projects.length === 1) return archive.experimentsInProject(projects[0]!);
  const [owned, sharedIds] = await Promise.all([archive.experimentsOfProjects(projects), archive.sharedExperimentIds(projects)]);
  if (sharedIds.length === 0) return owned;
  const shared = await Promise.all(projects.map((p) => archive.experimentsInProject(p, { ids: sharedIds })));
  return [...owned, ...shared.flat().filter((e) => e.ownerProject !== e.project)];
}

/** Experiments of many subjects (or projects) in one request per level; type-only columns per session type. */
export class ExperimentLoaders {
  private readonly ofSubject;
  private readonly ofProject;
  private readonly typeSpecific;

  constructor(
    archive: XnatArchive,
    options: LoaderOptions,
    private readonly search: SearchLoaders,
  ) {
    this.ofSubject = mapLoader<SubjectInProject, Experiment[]>(
      'experiments',
      options,
      async (subjects) => {
        const found = await experimentsOfSubjects(archive, subjects);
        return new Map(subjects.map((s) => [s, found.get(key(s)) ?? []]));
      },
      [],
      key,
    );
    this.ofProject = mapLoader<string, Experiment[]>(
      'experiments of projects',
      options,
      async (projects) => groupBy(sortExperiments((await experimentsOfProjects(archive, projects)).map(experiment)), (e) => e.project),
      [],
    );
    this.typeSpecific = mapLoader<Experiment, TypeSpecificDetails | null>(
      'session details',
      options,
      async (sessions) => {
        const found = new Map<Experiment, TypeSpecificDetails | null>();
        const byType = groupBy(sessions, (s) => s.xsiType);
        await Promise.all(
          [...byType].map(async ([xsiType, list]) => {
            const details = await archive.typeSpecificDetails(
              xsiType,
              list.map((s) => s.id),
            );
            for (const session of list) found.set(session, details.get(session.id) ?? null);
          }),
        );
        return found;
      },
      null,
      (session) => session.id,
    );
  }

  /** With a filter, only the matching ones, from the filtered listing (search.ts). */
  experimentsOfSubject(subject: SubjectInProject, filter?: ExperimentFilter | null): Promise<Experiment[]> {
    if (filter) return this.search.experimentsOfSubjectWhere(subject.id, filter);
    return this.ofSubject.load(subject);
  }

  /** With a filter, only the matching ones, from the filtered listing (search.ts). */
  experimentsOfProject(project: string, filter?: ExperimentFilter | null): Promise<Experiment[]> {
    if (filter) return this.search.experimentsOfProjectWhere(project, filter);
    return this.ofProject.load(project);
  }

  async experimentOfSubject(subject: SubjectInProject, labelOrId: string): Promise<Experiment | null> {
    const list = await this.experimentsOfSubject(subject);
    return byLabelOrId(list, labelOrId, (e) => e.id);
  }

  /** MR field strength, PET tracer…: columns that would narrow a mixed listing, fetched per type. */
  typeSpecificOf(session: Experiment): Promise<TypeSpecificDetails | null> {
    return this.typeSpecific.load(session);
  }
}
