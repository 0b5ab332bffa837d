import { badUserInput } from '../errors.js';
import type { RawRow } from './resultset.js';

/**
 * Any-field lookups (pyxnat's `attrs.get` / `attrs.mget`): which field paths are accepted, which
 * data type a path belongs to, what XNAT calls the column it answers with, and reading the cells
 * back out of a listing row.
 */

export const SCAN = 'xnat:imageScanData';
export const RECONSTRUCTION = 'xnat:reconstructedImageData';

/** Values of requested paths per object ID (or `sessionId/scanId`), null for XNAT's "" and unknown paths. */
export type FieldValues = Map<string, Map<string, string | null>>;

/** Experiment-level shortcuts that belong to a session subtype (a column of them narrows the listing). */
const EXPERIMENT_SUBTYPE_SHORTCUTS: Record<string, string> = {
  scanner: 'xnat:imageSessionData',
  operator: 'xnat:imageSessionData',
  dcmAccessionNumber: 'xnat:imageSessionData',
  dcmPatientId: 'xnat:imageSessionData',
  dcmPatientName: 'xnat:imageSessionData',
  session_type: 'xnat:imageSessionData',
  modality: 'xnat:imageSessionData',
  UID: 'xnat:imageSessionData',
  studyInstanceUID: 'xnat:imageSessionData',
  coil: 'xnat:mrSessionData',
  fieldStrength: 'xnat:mrSessionData',
  marker: 'xnat:mrSessionData',
  studyType: 'xnat:petSessionData',
  patientID: 'xnat:petSessionData',
  patientName: 'xnat:petSessionData',
  stabilization: 'xnat:petSessionData',
  scan_start_time: 'xnat:petSessionData',
  injection_start_time: 'xnat:petSessionData',
};

/** Scan shortcuts (XMLPathShortcuts) as XML paths, for the scan-column join of the experiment listing. */
const SCAN_SHORTCUT_PATHS: Record<string, string> = {
  ID: `${SCAN}/ID`,
  type: `${SCAN}/type`,
  UID: `${SCAN}/UID`,
  note: `${SCAN}/note`,
  quality: `${SCAN}/quality`,
  condition: `${SCAN}/condition`,
  series_description: `${SCAN}/series_description`,
  documentation: `${SCAN}/documentation`,
  scanner: `${SCAN}/scanner`,
  modality: `${SCAN}/modality`,
  frames: `${SCAN}/frames`,
  validation_method: `${SCAN}/validation/method`,
  validation_status: `${SCAN}/validation/status`,
  validation_date: `${SCAN}/validation/date`,
  validation_notes: `${SCAN}/validation/notes`,
  xnat_imagescandata_id: `${SCAN}/xnat_imagescandata_id`,
  scanTime: `${SCAN}/startTime`,
  coil: 'xnat:mrScanData/coil',
  fieldStrength: 'xnat:mrScanData/fieldStrength',
  marker: 'xnat:mrScanData/marker',
  stabilization: 'xnat:mrScanData/stabilization',
  insert_date: `${SCAN}/meta/insert_date`,
  insert_user: `${SCAN}/meta/insert_user/login`,
  last_modified: `${SCAN}/meta/last_modified`,
  xsiType: `${SCAN}/extension_item/element_name`,
};

/** Reconstruction shortcuts (XMLPathShortcuts RECON_DATA) as XML paths, for the reconstruction join. */
const RECONSTRUCTION_SHORTCUT_PATHS: Record<string, string> = {
  ID: `${RECONSTRUCTION}/ID`,
  type: `${RECONSTRUCTION}/type`,
  baseScanType: `${RECONSTRUCTION}/baseScanType`,
  xnat_reconstructedimagedata_id: `${RECONSTRUCTION}/xnat_reconstructedimagedata_id`,
  xsiType: `${RECONSTRUCTION}/extension_item/element_name`,
};

/**
 * Path segments of letters, digits and `_ : . -`, each optionally with one predicate as XNAT's
 * paths write them: `fields/field[name=cohort]/field` (a custom variable),
 * `demographics[@xsi:type=xnat:demographicData]/weight`.
 */
const FIELD_PATH =
  /^[A-Za-z0-9_:.-]+(\[@?[A-Za-z0-9_:.-]+=[A-Za-z0-9_:.-]+\])?(\/[A-Za-z0-9_:.-]+(\[@?[A-Za-z0-9_:.-]+=[A-Za-z0-9_:.-]+\])?)*$/;

/** A shortcut name or XML path as pyxnat's `attrs.get` takes it; anything else is BAD_USER_INPUT. */
export function checkFieldPath(path: string): string {
  if (path.length > 200 || !FIELD_PATH.test(path)) {
    throw badUserInput(
      `Invalid XNAT field path ${JSON.stringify(path)}: use a shortcut (e.g. "gender") or an XML path (e.g. "xnat:mrSessionData/fieldStrength", "xnat:subjectData/fields/field[name=cohort]/field"); only letters, digits and _ : / . - are allowed, plus one [name=value] per segment.`,
    );
  }
  return path;
}

/**
 * The experiment subtype a requested column belongs to (its requests carry `xsiType=` of it).
 * Paths into other families (`xnat:subjectData/…`, scans) join that family on the listing and
 * must not become the root type, so they are asked without `xsiType`.
 */
export function experimentColumnType(path: string): string | undefined {
  if (!path.includes('/')) return EXPERIMENT_SUBTYPE_SHORTCUTS[path];
  const type = path.slice(0, path.indexOf('/'));
  if (/^xnat:(experimentData|subjectAssessorData|subjectData|projectData)$/i.test(type) || /ScanData$/i.test(type)) return undefined;
  // Sessions and assessors of any namespace: xnat:mrSessionData, xnat:qcManualAssessorData, fs:fsData.
  return /^[A-Za-z][\w-]*:\w+Data$/i.test(type) ? type : undefined;
}

/** A scan field path as the XML path the scan-column join is asked for (undefined: an unknown shortcut). */
export function scanColumnPath(path: string): string | undefined {
  return path.includes('/') ? path : SCAN_SHORTCUT_PATHS[path];
}

/** A reconstruction field path as the XML path its join is asked for (undefined: an unknown shortcut). */
export function reconstructionColumnPath(path: string): string | undefined {
  return path.includes('/') ? path : RECONSTRUCTION_SHORTCUT_PATHS[path];
}

/** The response key XNAT gives a requested column, when it can be told from the path alone. */
function keyFor(row: RawRow, key: string): string | undefined {
  if (key in row) return key;
  const lower = key.toLowerCase();
  const keys = Object.keys(row);
  const find = (name: string) => keys.find((k) => k.toLowerCase() === name);
  if (!key.includes('/')) return find(lower);
  // A path equal to a shortcut's path is named by the shortcut (QueryOrganizerResource.formatHeaders), which is
  // usually the last segment (`…/fieldStrength`) or the last two joined (`tracer/name` → `tracer_name`).
  const segments = lower.split('/');
  return find(lower) ?? find(segments.slice(-2).join('_')) ?? find(segments[segments.length - 1]!);
}

/**
 * The cells of `row` answering `paths` (keyed by path; "" — XNAT's null — and unknown paths are
 * null). A single path whose column name cannot be told from the path gets the single column
 * nobody else claimed.
 */
export function cellsFor(
  row: RawRow,
  paths: readonly string[],
  keyOf: (path: string) => string | undefined,
  reserved: readonly string[],
): Map<string, string | null> {
  const claimed = new Set(reserved.map((k) => k.toLowerCase()));
  claimed.add('uri');
  const keys = new Map<string, string | undefined>();
  for (const path of paths) {
    const asked = keyOf(path);
    const key = asked === undefined ? undefined : keyFor(row, asked);
    keys.set(path, key);
    if (key !== undefined) claimed.add(key.toLowerCase());
  }
  const unmatched = paths.filter((p) => keys.get(p) === undefined && keyOf(p) !== undefined);
  const unclaimed = Object.keys(row).filter((k) => !claimed.has(k.toLowerCase()));
  if (unmatched.length === 1 && unclaimed.length === 1) keys.set(unmatched[0]!, unclaimed[0]);
  const out = new Map<string, string | null>();
  for (const path of paths) {
    const key = keys.get(path);
    const value = key === undefined ? undefined : row[key];
    out.set(path, value === undefined || value === '' ? null : value);
  }
  return out;
}

/** The values of `paths` in each row, keyed by the row's `idKey` cell (rows without one are skipped). */
export function valuesOf(rows: RawRow[], idKey: string, paths: readonly string[]): FieldValues {
  const out: FieldValues = new Map();
  for (const row of rows) {
    const id = row[idKey];
    if (!id) continue;
    out.set(
      id,
      cellsFor(row, paths, (p) => p, [idKey]),
    );
  }
  return out;
}
