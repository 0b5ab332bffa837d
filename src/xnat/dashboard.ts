import { chunked, chunkedMap, type XnatArchive } from './archive.js';
import { cellsFor, experimentColumnType, SCAN, scanColumnPath, valuesOf, type FieldValues } from './field-paths.js';
import { experimentsPath, projectsPath, subjectsPath } from './paths.js';
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
 * The dashboard's XNAT requests: filtered site-wide listings, the per-project scan summary behind
 * the aggregates, any-field lookups (pyxnat's `attrs.mget`) and permission listings. Filters are
 * pushed into XNAT's query parameters where XNAT honours them (QueryOrganizerResource.processStringQuery): comma lists
 * are ORs, `*` is a case-insensitive "contains" LIKE, dates are `MM/DD/YYYY-MM/DD/YYYY` ranges.
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

function experimentParams(filter: ExperimentPushdown): Record<string, string | undefined> {
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

export interface ScanSummaryRow {
  sessionId: string;
  project: string;
  date: string | null;
  modality: string | null;
  /** The session's label and data type: filled only when the summary was asked with a filter. */
  label: string;
  xsiType: string;
  /** null for a session without scans. */
  scanId: string | null;
  scanType: string | null;
}

/** One manual QC assessment: its project and its `pass` value as XNAT stores it (null when unset). */
export interface QcResultRow {
  project: string;
  result: string | null;
}

/** The pass/fail field of XNAT's manual QC assessor type (xnat:qcAssessmentData has none). */
const QC_TYPE = 'xnat:qcManualAssessorData';
const QC_PASS = `${QC_TYPE}/pass`;

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

export class DashboardQueries {
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

  /**
   * Every image session of the projects with its modality, date and scan types: one row per scan.
   * With a filter, XNAT is asked for the matching sessions only (the gateway refines the answer by
   * the rows' label and type, so those columns come along).
   */
  scanSummaryOfProjects(projects: readonly string[], filter: ExperimentPushdown = {}): Promise<ScanSummaryRow[]> {
    const filtered = Object.keys(filter).length > 0;
    const columns = ['ID', 'project', 'date', 'modality', ...(filtered ? ['label', 'xsiType'] : []), `${SCAN}/ID`, `${SCAN}/type`];
    return chunked(projects, async (chunk) => {
      const rows = await this.archive.table('scanSummaryOfProjects', experimentsPath, {
        ...experimentParams(filter),
        xsiType: filter.xsiType ?? 'xnat:imageSessionData',
        project: chunk.join(','),
        columns: columns.join(','),
      });
      return rows
        .filter((r) => r['ID'])
        .map((r) => ({
          sessionId: r['ID']!,
          project: r['project'] ?? '',
          date: /^\d{4}-\d{2}-\d{2}/.test(r['date'] ?? '') ? r['date']!.slice(0, 10) : null,
          modality: r['modality'] || null,
          label: r['label'] ?? '',
          xsiType: r['xsiType'] ?? '',
          scanId: r[`${SCAN}/ID`.toLowerCase()] || null,
          scanType: r[`${SCAN}/type`.toLowerCase()] || null,
        }));
    });
  }

  /** Every manual QC assessor of the projects (owned by them) with its pass value: one row each. */
  qcResultsOfProjects(projects: readonly string[]): Promise<QcResultRow[]> {
    return chunked(projects, async (chunk) => {
      const rows = await this.archive.table('qcResultsOfProjects', experimentsPath, {
        xsiType: QC_TYPE,
        project: chunk.join(','),
        columns: ['ID', 'project', QC_PASS].join(','),
      });
      return rows.filter((r) => r['ID']).map((r) => ({ project: r['project'] ?? '', result: r[QC_PASS.toLowerCase()] || null }));
    });
  }

  // ---- any field (pyxnat attrs.get / attrs.mget) --------------------------------------------

  async projectFields(paths: readonly string[]): Promise<FieldValues> {
    const rows = await this.archive.table('projectFields', projectsPath, { columns: ['ID', ...paths].join(',') });
    return valuesOf(rows, 'ID', paths);
  }

  subjectFields(subjects: readonly string[], paths: readonly string[]): Promise<FieldValues> {
    return chunkedMap(subjects, async (chunk) =>
      valuesOf(
        await this.archive.table('subjectFields', subjectsPath, { ID: chunk.join(','), columns: ['ID', ...paths].join(',') }),
        'ID',
        paths,
      ),
    );
  }

  /**
   * Columns of a session subtype narrow the experiment listing to that subtype, so paths are
   * asked in one request per data type they belong to (one request when none is a subtype's).
   */
  async experimentFields(experiments: readonly string[], paths: readonly string[]): Promise<FieldValues> {
    const groups = new Map<string | undefined, string[]>();
    for (const path of paths) {
      const type = experimentColumnType(path);
      groups.set(type, [...(groups.get(type) ?? []), path]);
    }
    const out: FieldValues = new Map();
    const parts = await Promise.all(
      [...groups].map(([xsiType, group]) =>
        chunkedMap(experiments, async (chunk) =>
          valuesOf(
            await this.archive.table('experimentFields', experimentsPath, {
              ...(xsiType ? { xsiType } : {}),
              ID: chunk.join(','),
              columns: ['ID', ...group].join(','),
            }),
            'ID',
            group,
          ),
        ),
      ),
    );
    for (const part of parts) {
      for (const [id, values] of part) {
        const known = out.get(id) ?? new Map<string, string | null>();
        for (const [path, value] of values) known.set(path, value);
        out.set(id, known);
      }
    }
    return out;
  }

  /**
   * Scan fields through the scan-column join, keyed `sessionId/scanId`. Scan shortcuts are sent
   * as their XML paths; unknown shortcuts are not asked for at all (XNAT would drop them).
   */
  scanFields(sessions: readonly string[], paths: readonly string[]): Promise<FieldValues> {
    const asked = [...new Set(paths.map(scanColumnPath).filter((p): p is string => p !== undefined))];
    const idKey = `${SCAN}/ID`.toLowerCase();
    return chunkedMap(sessions, async (chunk) => {
      const rows = await this.archive.table('scanFields', experimentsPath, {
        xsiType: 'xnat:imageSessionData',
        ID: chunk.join(','),
        columns: ['ID', `${SCAN}/ID`, ...asked.filter((p) => p.toLowerCase() !== idKey)].join(','),
      });
      const out: FieldValues = new Map();
      for (const row of rows) {
        const scanId = row[idKey];
        if (!row['ID'] || !scanId) continue;
        const values = cellsFor(row, paths, scanColumnPath, ['ID', idKey]);
        for (const path of paths) if (scanColumnPath(path)?.toLowerCase() === idKey) values.set(path, scanId);
        out.set(`${row['ID']}/${scanId}`, values);
      }
      return out;
    });
  }
}
