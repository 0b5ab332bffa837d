import { chunked, type XnatArchive } from './archive.js';
import { SCAN } from './field-paths.js';
import { experimentsPath } from './paths.js';
import { experimentParams, type ExperimentPushdown } from './search.js';

/**
 * Stats: the per-project listings behind the aggregates — one scan-column join of the image
 * sessions, one listing of manual QC assessments — each for all projects of a request at once.
 */

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

export class StatsQueries {
  constructor(private readonly archive: XnatArchive) {}

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
}
