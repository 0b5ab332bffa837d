import { chunked, type XnatArchive } from './archive.js';
import { SCAN } from './field-paths.js';
import { experimentsPath, subjectsPath } from './paths.js';
import type { ExperimentRow, ScanRow, SubjectRow } from './records.js';
import {
  experimentColumns,
  parseExperiments,
  parseScanJoin,
  parseSubjects,
  scanJoinColumns,
  subjectColumns,
  type RawRow,
} from './resultset.js';

/**
 * Search: filtered site-wide listings of experiments, subjects and scans. Filters are pushed into
 * XNAT's query parameters where XNAT honours them (QueryOrganizerResource.processStringQuery):
 * comma lists are ORs, `*` is a case-insensitive "contains" LIKE, dates are
 * `MM/DD/YYYY-MM/DD/YYYY` ranges; the gateway refines the answer (loaders/filters.ts).
 */

/** What XNAT can be asked to filter on `/data/experiments` (the gateway refines the answer). */
export interface ExperimentPushdown {
  projects?: readonly string[];
  /** Subject accession IDs (`subject_ID=`). */
  subjects?: readonly string[];
  /** Only a single type is pushed (XNAT ignores a comma list of types). */
  xsiType?: string;
  modalities?: readonly string[];
  dateFrom?: string;
  dateTo?: string;
  /** A label pattern as XNAT's LIKE understands it (already known to be a superset). */
  label?: string;
}

export interface ScanPushdown {
  types?: readonly string[];
  qualities?: readonly string[];
}

/** ISO YYYY-MM-DD → XNAT's MM/DD/YYYY. */
function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}

/**
 * Longest comma list (URL-encoded) pushed to XNAT only to narrow its answer. The scope list
 * (projects or subjects) is split into requests instead (`scoped`); a narrowing list is applied by
 * the gateway in any case, so a longer one is left to the gateway alone. With the scope's
 * 4000-character chunks (chunkIds), four such lists, a label and the columns, the request line
 * stays under the 8 KB that Tomcat (maxHttpHeaderSize) and nginx (large_client_header_buffers)
 * take by default; a longer one XNAT refuses before any REST code runs.
 */
const maxNarrowingListChars = 500;

/** A comma list XNAT splits back into the same pieces (no piece may contain a comma or be empty), short enough to push. */
function orList(values: readonly string[] | undefined): string | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.some((v) => v === '' || v.includes(','))) return undefined;
  const joined = values.join(',');
  return encodeURIComponent(joined).length <= maxNarrowingListChars ? joined : undefined;
}

export function experimentParams(filter: ExperimentPushdown): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  if (filter.subjects) {
    params['subject_ID'] = filter.subjects.join(',');
    // Beside a subject scope, projects only narrow.
    const projects = orList(filter.projects);
    if (projects) params['project'] = projects;
  } else if (filter.projects) params['project'] = filter.projects.join(',');
  const modalities = orList(filter.modalities);
  if (filter.xsiType) params['xsiType'] = filter.xsiType;
  // Only imaging sessions have a modality, whether or not the list itself can be pushed.
  else if (filter.modalities?.length) params['xsiType'] = 'xnat:imageSessionData';
  if (modalities) params['modality'] = modalities;
  if (filter.dateFrom || filter.dateTo) {
    // Open ends as far-away dates: an `a-b` range with both ends is what every XNAT version parses.
    params['date'] = `${usDate(filter.dateFrom ?? '1000-01-01')}-${usDate(filter.dateTo ?? '9999-12-31')}`;
  }
  if (filter.label) params['label'] = filter.label;
  return params;
}

export interface ListedExperiment {
  row: ExperimentRow;
  /** The session's modality column, when the listing carried it. */
  modality: string | null;
}

/**
 * Runs `fetch` once per chunk of the filter's scope — its subjects, else its projects — split so
 * each request's URL stays short (chunkIds). An experiment belongs to one subject and one
 * project, so the chunks' rows never overlap.
 */
function scoped<T>(filter: ExperimentPushdown, fetch: (part: ExperimentPushdown) => Promise<T[]>): Promise<T[]> {
  if (filter.subjects && filter.subjects.length > 0) return chunked(filter.subjects, (subjects) => fetch({ ...filter, subjects }));
  if (filter.projects && filter.projects.length > 0) return chunked(filter.projects, (projects) => fetch({ ...filter, projects }));
  return fetch(filter);
}

export class SearchQueries {
  constructor(private readonly archive: XnatArchive) {}

  /** `GET /data/experiments` with the filter pushed down (owning projects only), per chunk of its scope. */
  experimentsWhere(filter: ExperimentPushdown): Promise<ListedExperiment[]> {
    return scoped(filter, (part) => this.experimentsWhereOnce(part));
  }

  private async experimentsWhereOnce(filter: ExperimentPushdown): Promise<ListedExperiment[]> {
    const params = experimentParams(filter);
    // The gateway applies a modality filter itself, pushed down or not (a list with an empty or
    // comma piece is not), so it needs every session's modality.
    const withModality = (filter.modalities?.length ?? 0) > 0;
    const columns = withModality ? [...experimentColumns, 'modality'] : experimentColumns;
    const rows = await this.archive.table('experimentsWhere', experimentsPath, { ...params, columns: columns.join(',') });
    const parsed = parseExperiments(rows);
    return parsed.map((row, i) => ({ row, modality: withModality ? rows[i]!['modality'] || null : null }));
  }

  /** Subjects of the projects whose label matches XNAT's `label=` filter (a LIKE with `*`). */
  subjectsWhere(projects: readonly string[], label: string | undefined): Promise<SubjectRow[]> {
    return chunked(projects, async (chunk) =>
      parseSubjects(
        await this.archive.table('subjectsWhere', subjectsPath, {
          project: chunk.join(','),
          ...(label ? { label } : {}),
          columns: subjectColumns.join(','),
        }),
      ),
    );
  }

  /**
   * Scans across sessions from the experiment listing joined with scan columns, scan filters
   * pushed into the join (XNAT honours `xnat:imageScanData/type=` there; the scan listing itself
   * ignores filters). One row per scan; sessions without matching scans drop out.
   */
  async scansWhere(
    experiments: ExperimentPushdown,
    scans: ScanPushdown,
  ): Promise<Array<{ experiment: ListedExperiment; scans: ScanRow[] }>> {
    const scanParams: Record<string, string> = {};
    const types = orList(scans.types);
    const qualities = orList(scans.qualities);
    if (types) scanParams[`${SCAN}/type`] = types;
    if (qualities) scanParams[`${SCAN}/quality`] = qualities;
    const columns = [...experimentColumns, ...scanJoinColumns.filter((c) => c !== 'ID')].join(',');
    // Each row is one scan of one session, and a session is in one chunk of the scope.
    const rows = await scoped(experiments, (part) => {
      const params = experimentParams(part);
      params['xsiType'] ??= 'xnat:imageSessionData';
      return this.archive.table('scansWhere', experimentsPath, { ...params, ...scanParams, columns });
    });
    const sessions = new Map<string, RawRow>();
    for (const row of rows) if (row['ID'] && !sessions.has(row['ID'])) sessions.set(row['ID'], row);
    const parsed = parseExperiments([...sessions.values()]);
    const byId = parseScanJoin(rows);
    return parsed.map((row) => {
      const entry = byId.get(row.id);
      return { experiment: { row, modality: entry?.session.modality ?? null }, scans: entry?.scans ?? [] };
    });
  }
}
