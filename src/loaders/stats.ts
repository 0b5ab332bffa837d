import type DataLoader from 'dataloader';
import type { XnatArchive } from '../xnat/archive.js';
import { StatsQueries, type QcResultRow, type ScanSummaryRow } from '../xnat/stats.js';
import { experimentMatcher, matchesNothing, modalityMatcher, pushdownOfExperiments, type ExperimentFilter } from './filters.js';
import { groupBy, mapLoader, type LoaderOptions } from './options.js';

export type { ScanSummaryRow } from '../xnat/stats.js';

/** The listings behind the aggregates, per project, every project of a request in one request. */
export class StatsLoaders {
  private readonly queries: StatsQueries;
  private readonly summary;
  private readonly qc;

  constructor(
    archive: XnatArchive,
    private readonly options: LoaderOptions,
  ) {
    const queries = new StatsQueries(archive);
    this.queries = queries;
    this.summary = mapLoader<string, ScanSummaryRow[]>(
      'scan summaries',
      options,
      async (projects) => groupBy(await queries.scanSummaryOfProjects(projects), (r) => r.project),
      [],
    );
    this.qc = mapLoader<string, QcResultRow[]>(
      'qc results',
      options,
      async (projects) => groupBy(await queries.qcResultsOfProjects(projects), (r) => r.project),
      [],
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
        'scan summaries (filtered)',
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
}
