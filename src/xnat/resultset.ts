import { z } from 'zod';
import { upstreamError } from '../errors.js';
import { RECONSTRUCTION as RECON, SCAN } from './field-paths.js';
import type {
  AssessorRow,
  ExperimentRow,
  ImageSessionDetails,
  ListedFile,
  ListedResource,
  ProjectRow,
  ReconstructionRow,
  ScanRow,
  SessionScans,
  SubjectRow,
  TypeSpecificDetails,
} from './records.js';

/**
 * XNAT's ResultSet tables at the boundary: the envelope is validated, every cell is a string
 * (XNAT writes all cells as strings; null arrives as ""), and each listing's rows are reshaped
 * into the domain records of records.ts.
 */

export type RawRow = Record<string, string>;

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v)));
const rawRow = z.record(z.string(), cell);
const envelope = z.object({ ResultSet: z.object({ Result: z.array(rawRow) }) });

/**
 * One row of `ResultSet.Result`, every cell as a string (what `rawRow` checks, written out: it
 * runs once per row of listings with a million rows).
 */
export function resultRow(value: unknown, route: string, index: number): RawRow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notFlat(route, index);
  const row = value as Record<string, unknown>;
  for (const key in row) {
    const v = row[key];
    if (typeof v === 'string') continue;
    if (v === null) row[key] = '';
    else if (typeof v === 'number' || typeof v === 'boolean') row[key] = String(v);
    else throw notFlat(route, index);
  }
  return row as RawRow;
}

const notFlat = (route: string, index: number) =>
  upstreamError(`XNAT answered a ResultSet whose row ${index} is not a flat object to GET ${route}`);

export function parseResultSet(body: string, route: string): RawRow[] {
  const start = body.trimStart();
  if (start.startsWith('<')) throw upstreamError(`XNAT answered HTML instead of a JSON table to GET ${route}`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw upstreamError(`XNAT answered malformed JSON to GET ${route}`);
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) throw upstreamError(`XNAT answered JSON without a ResultSet table to GET ${route}`);
  return parsed.data.ResultSet.Result;
}

// ---- cell conversions ----------------------------------------------------------------------

/** "" (XNAT's null) → null. */
const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : v));
const required = z.string().min(1);
const number = z
  .string()
  .optional()
  .transform((v) => {
    if (v === undefined || v.trim() === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  });
/** "2017-03-21 14:05:07.123" (JDBC timestamp text) → "2017-03-21T14:05:07.123". */
const dateTime = text.transform((v) => (v === null ? null : v.replace(' ', 'T')));
/** Dates are JDBC `toString()` (YYYY-MM-DD); anything else is kept only if it starts like one. */
const date = text.transform((v) => (v !== null && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null));
const list = (separator: RegExp) =>
  text.transform((v) =>
    v === null
      ? []
      : v
          .split(separator)
          .map((s) => s.trim())
          .filter(Boolean),
  );

// Cell conversions written out, for the listings that run once per scan, resource or file
// of an archive: a zod schema's intermediate objects outlive a listing's stream and fill the heap.
const cellText = (v: string | undefined) => (v === undefined || v === '' ? null : v);
const cellNumber = (v: string | undefined) => {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
/** Rows without tags (most of them) share one empty list. */
const NO_TAGS: readonly string[] = Object.freeze([]);
const cellTags = (v: string | undefined): readonly string[] =>
  v
    ? v
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : NO_TAGS;

/**
 * Listings repeat a few values on every row: a format, a content, a scan type, the session a
 * file hangs under. The JSON parser makes each cell its own string, so a million-file listing
 * would hold "DICOM" a million times; rows keep one shared copy instead. The table is bounded
 * in entries and in their length (labels are untrusted) and starts over when full; stored
 * copies are fresh strings, so a value cut from a longer one (a URI) does not keep it alive.
 */
const SHARED_VALUES_LIMIT = 4096;
/** Values that repeat are short; a long one is kept as it is. */
const SHARED_VALUE_LENGTH = 64;
const sharedValues = new Map<string, string>();
function shared(v: string): string;
function shared(v: string | null): string | null;
function shared(v: string | null): string | null {
  if (v === null || v.length > SHARED_VALUE_LENGTH) return v;
  const known = sharedValues.get(v);
  if (known !== undefined) return known;
  if (sharedValues.size >= SHARED_VALUES_LIMIT) sharedValues.clear();
  const copy = JSON.parse(JSON.stringify(v)) as string;
  sharedValues.set(copy, copy);
  return copy;
}
const cellShared = (v: string | undefined) => shared(cellText(v));

/** The first present key among alternatives (shortcut name vs lower-cased XML path). */
function pick(row: RawRow, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = row[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Each raw row of a listing as a domain record. */
function parseRows<T>(rows: RawRow[], schema: z.ZodType<T>, what: string): T[] {
  return rows.map((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw upstreamError(`XNAT ${what} listing row ${index} is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
    }
    return parsed.data;
  });
}

// ---- projects ------------------------------------------------------------------------------

export const projectColumns = ['ID', 'secondary_ID', 'name', 'description', 'keywords', 'pi_firstname', 'pi_lastname'];

const projectRow = z
  .object({
    ID: required,
    secondary_ID: text,
    name: text,
    description: text,
    keywords: list(/[\s,]+/),
    pi_firstname: text,
    pi_lastname: text,
  })
  .transform(
    (r): ProjectRow => ({
      id: r.ID,
      secondaryId: r.secondary_ID,
      name: r.name,
      description: r.description,
      keywords: r.keywords,
      pi: [r.pi_firstname, r.pi_lastname].filter(Boolean).join(' ') || null,
    }),
  );

export function parseProjects(rows: RawRow[]): ProjectRow[] {
  return parseRows(rows, projectRow, 'project');
}

// ---- subjects ------------------------------------------------------------------------------

export const subjectColumns = ['ID', 'label', 'project', 'group', 'gender', 'handedness', 'yob', 'age', 'insert_date'];

const subjectRow = z
  .object({
    ID: required,
    label: required,
    project: required,
    group: text,
    gender: text,
    handedness: text,
    yob: number,
    age: number,
    insert_date: dateTime,
  })
  .transform(
    (r): SubjectRow => ({
      id: r.ID,
      project: r.project,
      // ProjectSubjectList keeps the owner in `project` for shared rows too.
      ownerProject: r.project,
      label: r.label,
      group: r.group,
      gender: r.gender,
      handedness: r.handedness,
      yob: r.yob,
      age: r.age,
      insertDate: r.insert_date,
    }),
  );

export function parseSubjects(rows: RawRow[]): SubjectRow[] {
  return parseRows(rows, subjectRow, 'subject');
}

// ---- experiments ---------------------------------------------------------------------------

/** Only experimentData / subjectAssessorData columns: a subtype column would narrow the listing to that subtype. */
export const experimentColumns = [
  'ID',
  'label',
  'project',
  'subject_ID',
  'subject_label',
  'xsiType',
  'date',
  'time',
  'visit_id',
  'note',
  'insert_date',
];

/**
 * In `/data/projects/{p}/experiments` a shared experiment's `project` cell is p (ProjSubExptList
 * rewrites it, with `label` and `subject_label`, after the query); this path is not the `project`
 * shortcut's, so its cell keeps the owner.
 */
const OWNER_COLUMN = 'xnat:subjectassessordata/project';
export const projectExperimentColumns = [...experimentColumns, 'xnat:subjectAssessorData/project'];

const experimentRow = z
  .object({
    ID: required,
    label: required,
    project: required,
    subject_ID: z.string(),
    subject_label: text,
    xsiType: required,
    date,
    time: text,
    visit_id: text,
    note: text,
    insert_date: dateTime,
    [OWNER_COLUMN]: text.optional(),
  })
  .transform(
    (r): ExperimentRow => ({
      id: r.ID,
      project: r.project,
      ownerProject: r[OWNER_COLUMN] ?? r.project,
      subjectId: r.subject_ID,
      subjectLabel: r.subject_label,
      label: r.label,
      xsiType: r.xsiType,
      date: r.date,
      time: r.time,
      visitId: r.visit_id,
      note: r.note,
      insertDate: r.insert_date,
    }),
  );

export function parseExperiments(rows: RawRow[]): ExperimentRow[] {
  return parseRows(rows, experimentRow, 'experiment');
}

// ---- image assessors -----------------------------------------------------------------------

/** The assessed session's ID: a field of xnat:imageAssessorData itself (no join), also the filter. */
export const ASSESSOR_SESSION = 'xnat:imageAssessorData/imageSession_ID';
/** Columns of the experiment listing rooted at xnat:imageAssessorData; XNAT names the session column by its lower-cased path. */
export const assessorColumns = ['ID', 'label', 'project', 'xsiType', 'date', 'insert_date', ASSESSOR_SESSION];

const assessorRow = z
  .object({
    ID: required,
    label: required,
    project: required,
    xsiType: required,
    date,
    insert_date: dateTime,
    'xnat:imageassessordata/imagesession_id': required,
  })
  .transform(
    (r): AssessorRow => ({
      id: r.ID,
      sessionId: r['xnat:imageassessordata/imagesession_id'],
      project: r.project,
      label: r.label,
      xsiType: r.xsiType,
      date: r.date,
      insertDate: r.insert_date,
    }),
  );

export function parseAssessors(rows: RawRow[]): AssessorRow[] {
  return parseRows(rows, assessorRow, 'assessor');
}

/** Per session type, the shortcut columns that exist on that type only. */
export const typeSpecificColumns: Record<string, string[]> = {
  'xnat:mrSessionData': ['fieldStrength'],
  'xnat:petSessionData': ['tracer_name'],
};

export function parseTypeSpecific(rows: RawRow[]): Map<string, TypeSpecificDetails> {
  const out = new Map<string, TypeSpecificDetails>();
  for (const row of rows) {
    const id = row['ID'];
    if (!id) continue;
    out.set(id, {
      fieldStrength: text.parse(pick(row, 'fieldStrength', 'xnat:mrsessiondata/fieldstrength')),
      tracer: text.parse(pick(row, 'tracer_name', 'xnat:petsessiondata/tracer/name')),
    });
  }
  return out;
}

// ---- scans (the experiment listing joined with scan columns, one row per scan) --------------

export const scanJoinColumns = [
  'ID',
  'modality',
  'scanner',
  `${SCAN}/ID`,
  `${SCAN}/type`,
  `${SCAN}/series_description`,
  `${SCAN}/quality`,
  `${SCAN}/frames`,
  `${SCAN}/note`,
  `${SCAN}/modality`,
];

const scanKey = (field: string) => `${SCAN}/${field}`.toLowerCase();

/** One row of the scan join: its session's columns, and its scan (null: a session without scans). */
export interface ScanJoinRow {
  sessionId: string;
  session: ImageSessionDetails;
  scan: ScanRow | null;
}

/** One scan join row as a compact record, as the listing streams in. */
export function toScanJoinRow(row: RawRow): ScanJoinRow {
  const sessionId = row['ID'];
  if (!sessionId) throw upstreamError('XNAT scan listing row without a session ID');
  const id = row[scanKey('ID')];
  const session = shared(sessionId);
  return {
    sessionId: session,
    session: { modality: cellShared(row['modality']), scanner: cellShared(row['scanner']) },
    scan: id
      ? {
          sessionId: session,
          id: shared(id),
          type: cellShared(row[scanKey('type')]),
          seriesDescription: cellShared(row[scanKey('series_description')]),
          quality: cellShared(row[scanKey('quality')]),
          frames: cellNumber(row[scanKey('frames')]),
          modality: cellShared(row[scanKey('modality')]),
          note: cellText(row[scanKey('note')]),
        }
      : null,
  };
}

/** Groups join rows by session; a session without scans comes as one row whose `scan` is null. */
export function groupScanJoin(rows: readonly ScanJoinRow[]): Map<string, SessionScans> {
  const out = new Map<string, SessionScans>();
  for (const { sessionId, session, scan } of rows) {
    let entry = out.get(sessionId);
    if (!entry) {
      entry = { session, scans: [] };
      out.set(sessionId, entry);
    }
    if (scan && !entry.scans.some((s) => s.id === scan.id)) entry.scans.push(scan);
  }
  return out;
}

export function parseScanJoin(rows: RawRow[]): Map<string, SessionScans> {
  return groupScanJoin(rows.map(toScanJoinRow));
}

// ---- reconstructions (the experiment listing joined with reconstruction columns) -------------

/** One row per reconstruction (a session without any: one row with an empty ID); keys are the lower-cased paths. */
export const reconstructionJoinColumns = ['ID', `${RECON}/ID`, `${RECON}/type`, `${RECON}/baseScanType`];

const reconKey = (field: string) => `${RECON}/${field}`.toLowerCase();

export function parseReconstructionJoin(rows: RawRow[]): ReconstructionRow[] {
  const seen = new Set<string>();
  const out: ReconstructionRow[] = [];
  for (const row of rows) {
    const sessionId = row['ID'];
    if (!sessionId) throw upstreamError('XNAT reconstruction listing row without a session ID');
    const id = row[reconKey('ID')];
    if (!id || seen.has(`${sessionId}\u0000${id}`)) continue;
    seen.add(`${sessionId}\u0000${id}`);
    out.push({ sessionId, id, type: text.parse(row[reconKey('type')]), baseScanType: text.parse(row[reconKey('baseScanType')]) });
  }
  return out;
}

// ---- resources -----------------------------------------------------------------------------

/**
 * The image-session listing joined with a child level's resource IDs (`xnat:imageScanData/file`,
 * `xnat:reconstructedImageData/out/file`: the child's resource list in XNAT's schema): one row per
 * (session, child, resource), which tells the session of each resource row of a multi-session
 * resource listing.
 */
export function childResourceColumns(resourceList: string): string[] {
  const type = resourceList.slice(0, resourceList.indexOf('/'));
  return ['ID', `${type}/ID`, `${resourceList}/xnat_abstractresource_id`];
}

/** A join row as [resource ID, session], as the listing streams in; null for a child without resources. */
export function toChildResourceSession(resourceList: string): (row: RawRow) => [number, string] | null {
  const key = `${resourceList}/xnat_abstractresource_id`.toLowerCase();
  return (row) => {
    const session = row['ID'];
    const id = row[key];
    return session && id && /^\d+$/.test(id) ? [Number(id), session] : null;
  };
}

/** One resources listing row as a compact record. */
export function toResource(r: RawRow, index: number): ListedResource {
  const id = r['xnat_abstractresource_id'];
  const label = r['label'];
  if (id === undefined || !/^\d+$/.test(id))
    throw upstreamError(`XNAT resource listing row ${index} is invalid at xnat_abstractresource_id`);
  if (label === undefined) throw upstreamError(`XNAT resource listing row ${index} is invalid at label`);
  return {
    dbId: Number(id),
    label: shared(label),
    format: cellShared(r['format']),
    content: cellShared(r['content']),
    fileCount: cellNumber(r['file_count']),
    totalSize: cellNumber(r['file_size']),
    tags: cellTags(r['tags']),
    catId: shared(r['cat_id']?.trim() ?? ''),
    category: cellShared(r['category']),
  };
}

// ---- files ---------------------------------------------------------------------------------

/**
 * File URIs look like `/experiments/E1/scans/2/resources/123/files/sub/a.dcm` (XNATTemplate's
 * `resource_path` plus the catalog path; project and subject forms too). XNAT writes them
 * unencoded, so they are read exactly as they are: a `%` in a URI is a `%` in the name.
 */
export function parseFileUri(uri: string): { experiment: string | null; resourceId: string; path: string } | null {
  const match = /\/resources\/([^/]+)\/files\/(.+)$/s.exec(uri);
  if (!match) return null;
  const before = uri.slice(0, match.index);
  const experiment = /\/experiments\/([^/]+)(?:\/|$)/.exec(before)?.[1] ?? null;
  return { experiment, resourceId: match[1]!, path: match[2]! };
}

/** One files listing row as a compact record. */
export function toFile(r: RawRow, index: number): ListedFile {
  const uri = r['URI'] ? parseFileUri(r['URI']) : null;
  const dbId = Number(r['cat_ID'] || uri?.resourceId);
  if (typeof r['Name'] !== 'string' || !uri || !Number.isInteger(dbId)) {
    throw upstreamError(
      `XNAT file listing row ${index} is invalid: unexpected file ${JSON.stringify(r['Name'])} at URI ${JSON.stringify(r['URI'] ?? '')}`,
    );
  }
  const name = r['Name'] || uri.path.split('/').pop()!;
  return {
    resourceDbId: dbId,
    name,
    // The path is cut from the URI and would keep the whole URI alive; most files sit at the
    // resource's top, where the path is the name.
    path: uri.path === name ? name : uri.path,
    size: cellNumber(r['Size']),
    format: cellShared(r['file_format']),
    content: cellShared(r['file_content']),
    tags: cellTags(r['file_tags']),
    digest: cellText(r['digest']),
    uriExperiment: shared(uri.experiment),
  };
}
