import type { XnatArchive } from '../xnat/archive.js';
import type { TypeSpecificDetails } from '../xnat/records.js';
import { experiment, type Experiment } from './models.js';
import { byText, groupBy, mapLoader, type LoaderOptions } from './options.js';

const sortExperiments = (list: Experiment[]) => list.sort((a, b) => byText(a.label, b.label));

/** Experiments of many subjects (or projects) in one request; type-only columns per session type. */
export class ExperimentLoaders {
  private readonly ofSubject;
  private readonly ofProject;
  private readonly typeSpecific;

  constructor(archive: XnatArchive, options: LoaderOptions) {
    this.ofSubject = mapLoader<string, Experiment[]>(
      options,
      async (subjects) => groupBy(sortExperiments((await archive.experimentsOfSubjects(subjects)).map(experiment)), (e) => e.subjectId),
      [],
    );
    this.ofProject = mapLoader<string, Experiment[]>(
      options,
      async (projects) => groupBy(sortExperiments((await archive.experimentsOfProjects(projects)).map(experiment)), (e) => e.project),
      [],
    );
    this.typeSpecific = mapLoader<Experiment, TypeSpecificDetails | null>(
      options,
      async (sessions) => {
        const found = new Map<Experiment, TypeSpecificDetails | null>();
        const byType = groupBy(sessions, (s) => s.xsiType);
        await Promise.all(
          [...byType].map(async ([xsiType, list]) => {
            const details = await archive.typeSpecificDetails(xsiType, list.map((s) => s.id));
            for (const session of list) found.set(session, details.get(session.id) ?? null);
          }),
        );
        return found;
      },
      null,
      (session) => session.id,
    );
  }

  experimentsOfSubject(subjectId: string): Promise<Experiment[]> {
    return this.ofSubject.load(subjectId);
  }

  experimentsOfProject(project: string): Promise<Experiment[]> {
    return this.ofProject.load(project);
  }

  async experimentOfSubject(subjectId: string, labelOrId: string): Promise<Experiment | null> {
    const list = await this.experimentsOfSubject(subjectId);
    return list.find((e) => e.label === labelOrId) ?? list.find((e) => e.id === labelOrId) ?? null;
  }

  /** MR field strength, PET tracer…: columns that would narrow a mixed listing, fetched per type. */
  typeSpecificOf(session: Experiment): Promise<TypeSpecificDetails | null> {
    return this.typeSpecific.load(session);
  }
}
