import DataLoader from 'dataloader';
import { projectAccess, type ProjectAccess } from '../xnat/access.js';
import type { XnatArchive } from '../xnat/archive.js';
import { DashboardQueries, type QcResultRow, type ScanSummaryRow } from '../xnat/dashboard.js';
import type { FieldValues } from '../xnat/field-paths.js';
import {
  experimentMatcher,
  matchesNothing,
  modalityMatcher,
  pushdownOfExperiments,
  pushdownOfLabel,
  pushdownOfScans,
  scanMatcher,
  subjectMatcher,
  type ExperimentFilter,
  type ScanFilter,
  type SubjectFilter,
} from './filters.js';
import { experiment, scan, subject, type Assessor, type Experiment, type Project, type Scan, type Subject } from './models.js';
import { byText, groupBy, mapLoader, type LoaderOptions } from './options.js';

/** One `fields(paths)` request: an object and the paths asked of it. */
interface FieldRequest<T> {
  object: T;
  paths: readonly string[];
}

const fieldKey = (id: string, paths: readonly string[]) => `${id}\u0000${paths.join('\u0000')}`;

/**
 * A loader that gathers every `fields(paths)` of one level in a tick into one listing with
 * `columns=ID,<all paths>` (so many objects and many paths cost one request per level).
 */
function fieldLoader<T>(
  idOf: (object: T) => string,
  fetch: (objects: readonly T[], paths: readonly string[]) => Promise<FieldValues>,
): DataLoader<FieldRequest<T>, Array<{ path: string; value: string | null }>, string> {
  return new DataLoader(
    async (requests) => {
      const paths = [...new Set(requests.flatMap((r) => r.paths))];
      const objects = [...new Map(requests.map((r) => [idOf(r.object), r.object])).values()];
      const values = await fetch(objects, paths);
      return requests.map((r) => r.paths.map((path) => ({ path, value: values.get(idOf(r.object))?.get(path) ?? null })));
    },
    { cacheKeyFn: (r) => fieldKey(idOf(r.object), r.paths) },
  );
}

/** Per-request loaders of the dashboard fields: filtered listings, aggregates, any field, permissions. */
export class DashboardLoaders {
  readonly queries: DashboardQueries;
  private readonly summary;
  private readonly qc;
  /** The caller's XNAT groups: one request per GraphQL request, for every project's access. */
  private readonly groups = new DataLoader<'all', Set<string>>(async (keys) => {
    const groups = await this.archive.userGroups();
    return keys.map(() => groups);
  });
  readonly projectFields;
  readonly subjectFields;
  readonly experimentFields;
  readonly scanFields;
  readonly assessorFields;

  constructor(
    private readonly archive: XnatArchive,
    private readonly options: LoaderOptions,
  ) {
    const queries = new DashboardQueries(archive);
    this.queries = queries;
    this.summary = mapLoader<string, ScanSummaryRow[]>(
      options,
      async (projects) => groupBy(await queries.scanSummaryOfProjects(projects), (r) => r.project),
      [],
    );
    this.qc = mapLoader<string, QcResultRow[]>(
      options,
      async (projects) => groupBy(await queries.qcResultsOfProjects(projects), (r) => r.project),
      [],
    );
    this.projectFields = fieldLoader<Project>(
      (p) => p.id,
      (_projects, paths) => queries.projectFields(paths),
    );
    this.subjectFields = fieldLoader<Subject>(
      (s) => s.id,
      (subjects, paths) =>
        queries.subjectFields(
          subjects.map((s) => s.id),
          paths,
        ),
    );
    this.experimentFields = fieldLoader<Experiment>(
      (e) => e.id,
      (sessions, paths) =>
        queries.experimentFields(
          sessions.map((e) => e.id),
          paths,
        ),
    );
    // Assessors are experiments: the same `ID=` listing, in its own batch (assessor-type paths).
    this.assessorFields = fieldLoader<Assessor>(
      (a) => a.id,
      (assessors, paths) =>
        queries.experimentFields(
          assessors.map((a) => a.id),
          paths,
        ),
    );
    this.scanFields = fieldLoader<Scan>(
      (s) => `${s.session.id}/${s.id}`,
      (scans, paths) => queries.scanFields([...new Set(scans.map((s) => s.session.id))], paths),
    );
  }

  /**
   * Image sessions of a project with modality, date and one row per scan (one request for all
   * projects); with a filter only the matching sessions (one request for all projects per filter).
   */
  scanSummaryOf(project: string, filter?: ExperimentFilter | null): Promise<ScanSummaryRow[]> {
    if (!filter || Object.keys(filter).length === 0) return this.summary.load(project);
    if (matchesNothing(filter) || (filter.projects && !filter.projects.includes(project))) return Promise.resolve([]);
    const key = JSON.stringify(filter);
    let loader = this.filteredSummaries.get(key);
    if (!loader) {
      const matches = experimentMatcher(filter);
      const modality = modalityMatcher(filter);
      // The owning projects come from the loader's keys, the rest of the filter is pushed down.
      const { projects: _owners, ...pushdown } = pushdownOfExperiments(filter);
      loader = mapLoader<string, ScanSummaryRow[]>(
        this.options,
        async (projects) => {
          const rows = await this.queries.scanSummaryOfProjects(projects, pushdown);
          return groupBy(
            rows.filter((r) => modality(r.modality) && matches(r)),
            (r) => r.project,
          );
        },
        [],
      );
      this.filteredSummaries.set(key, loader);
    }
    return loader.load(project);
  }

  private readonly filteredSummaries = new Map<string, DataLoader<string, ScanSummaryRow[], unknown>>();

  /** Manual QC assessments of a project with their pass values (one request for all projects). */
  qcResultsOf(project: string): Promise<QcResultRow[]> {
    return this.qc.load(project);
  }

  /** The caller's role and rights in a project (src/xnat/access.ts). */
  async access(project: string): Promise<ProjectAccess> {
    return projectAccess(await this.groups.load('all'), project);
  }

  /** Site-wide experiments, filter pushed down to `/data/experiments` and refined here. */
  async experimentsWhere(filter: ExperimentFilter | null | undefined): Promise<Experiment[]> {
    if (matchesNothing(filter)) return [];
    return (await this.listExperiments(filter, {})).sort((a, b) => byText(a.project, b.project) || byText(a.label, b.label));
  }

  /**
   * Experiments of one project (or subject) matching `filter`: every project (subject) asked
   * with the same filter in one tick shares ONE filtered listing, `project=P1,P2` (`subject_ID=…`)
   * plus the pushed-down filter.
   */
  experimentsOfProjectWhere(project: string, filter: ExperimentFilter): Promise<Experiment[]> {
    return this.filteredLoader('project', filter).load(project);
  }

  experimentsOfSubjectWhere(subject: string, filter: ExperimentFilter): Promise<Experiment[]> {
    return this.filteredLoader('subject', filter).load(subject);
  }

  /** Subjects of a project whose label matches the pattern: `label=` pushed to `/data/subjects`, one listing per filter. */
  subjectsOfProjectWhere(project: string, filter: SubjectFilter): Promise<Subject[]> {
    const key = JSON.stringify(['subjects', filter]);
    let loader = this.filteredSubjects.get(key);
    if (!loader) {
      const matches = subjectMatcher(filter);
      loader = mapLoader<string, Subject[]>(
        this.options,
        async (projects) => {
          const rows = await this.queries.subjectsWhere(projects, pushdownOfLabel(filter.label));
          return groupBy(
            rows
              .map(subject)
              .filter(matches)
              .sort((a, b) => byText(a.label, b.label)),
            (s) => s.project,
          );
        },
        [],
      );
      this.filteredSubjects.set(key, loader);
    }
    return loader.load(project);
  }

  private readonly filteredSubjects = new Map<string, DataLoader<string, Subject[], unknown>>();
  private readonly filtered = new Map<string, DataLoader<string, Experiment[], unknown>>();

  private filteredLoader(level: 'project' | 'subject', filter: ExperimentFilter): DataLoader<string, Experiment[], unknown> {
    const key = JSON.stringify([level, filter]);
    let loader = this.filtered.get(key);
    if (!loader) {
      loader = mapLoader<string, Experiment[]>(
        this.options,
        async (owners) => {
          if (matchesNothing(filter)) return new Map();
          const listed = await this.listExperiments(filter, level === 'project' ? { projects: owners } : { subjects: owners });
          return groupBy(
            listed.sort((a, b) => byText(a.label, b.label)),
            (e) => (level === 'project' ? e.project : e.subjectId),
          );
        },
        [],
      );
      this.filtered.set(key, loader);
    }
    return loader;
  }

  private async listExperiments(
    filter: ExperimentFilter | null | undefined,
    scope: { projects?: readonly string[]; subjects?: readonly string[] },
  ): Promise<Experiment[]> {
    const matches = experimentMatcher(filter);
    const modality = modalityMatcher(filter);
    const listed = await this.queries.experimentsWhere({ ...pushdownOfExperiments(filter), ...scope });
    return listed
      .filter((e) => (filter?.modalities ? modality(e.modality) : true))
      .map((e) => experiment(e.row))
      .filter(matches);
  }

  /** One answer per pair of filters: a query that lists the same scans twice (a page and a count) asks XNAT once. */
  private readonly scanLists = new Map<string, Promise<readonly Scan[]>>();

  /** Site-wide scans from the scan-column join, both filters pushed down and refined here. */
  scansWhere(scanFilter: ScanFilter | null | undefined, experimentFilter: ExperimentFilter | null | undefined): Promise<readonly Scan[]> {
    const key = JSON.stringify([scanFilter ?? null, experimentFilter ?? null]);
    let scans = this.scanLists.get(key);
    if (!scans) {
      scans = this.listScans(scanFilter, experimentFilter);
      this.scanLists.set(key, scans);
    }
    return scans;
  }

  private async listScans(
    scanFilter: ScanFilter | null | undefined,
    experimentFilter: ExperimentFilter | null | undefined,
  ): Promise<Scan[]> {
    if (matchesNothing(scanFilter) || matchesNothing(experimentFilter)) return [];
    const sessionMatches = experimentMatcher(experimentFilter);
    const modality = modalityMatcher(experimentFilter);
    const scanMatches = scanMatcher(scanFilter);
    const listed = await this.queries.scansWhere(pushdownOfExperiments(experimentFilter), pushdownOfScans(scanFilter));
    const out: Scan[] = [];
    for (const entry of listed) {
      if (experimentFilter?.modalities && !modality(entry.experiment.modality)) continue;
      const session = experiment(entry.experiment.row);
      if (!sessionMatches(session)) continue;
      for (const row of entry.scans) {
        const s = scan(session, row);
        if (scanMatches(s)) out.push(s);
      }
    }
    return out.sort(
      (a, b) => byText(a.session.project, b.session.project) || byText(a.session.label, b.session.label) || byText(a.id, b.id),
    );
  }
}
