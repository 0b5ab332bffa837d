import type DataLoader from 'dataloader';
import type { XnatArchive } from '../xnat/archive.js';
import { SearchQueries } from '../xnat/search.js';
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
import { experiment, scan, subject, type Experiment, type Scan, type Subject } from './models.js';
import { byText, groupBy, mapLoader, type LoaderOptions } from './options.js';

/**
 * Filtered listings: every owner asked with the same filter in one tick shares one listing with
 * the filter pushed down (xnat/search.ts), refined here (filters.ts).
 */
export class SearchLoaders {
  private readonly queries: SearchQueries;

  constructor(
    archive: XnatArchive,
    private readonly options: LoaderOptions,
  ) {
    this.queries = new SearchQueries(archive);
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
        'subjects (filtered)',
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
        `experiments of ${level}s (filtered)`,
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
