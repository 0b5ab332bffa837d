import { childIdOf, LEVELS, type SessionChildLevel } from '../levels.js';
import { badUserInput } from '../errors.js';
import type { ExperimentRef, FileRef, OwnerRef, ResourceRef, ScanRef } from './records.js';
import type { XnatVersion } from './version.js';

/**
 * XNAT URL building. Every label or ID becomes exactly one path segment; names that would
 * change the meaning of a path (".", "..", empty, backslash, control characters, XNAT's list
 * and wildcard syntax) are refused before any request is made.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

function refuse(value: string, what: string, why: string): never {
  throw badUserInput(`Invalid ${what} ${JSON.stringify(value)}: ${why}`);
}

function checkPathPart(value: string, what: string): void {
  if (value === '' || value === '.' || value === '..') refuse(value, what, 'empty, "." and ".." are not allowed.');
  if (value.includes('\\') || CONTROL.test(value)) refuse(value, what, 'backslashes and control characters are not allowed.');
}

/**
 * Characters a URL path carries as they are (RFC 3986 `pchar` without `%`), less `;` (a path
 * parameter to the servlet container) and, in route variables, XNAT's list syntax `,`.
 */
const RAW_FILE_CHAR = /[A-Za-z0-9\-._~!$&'()+=:@,/]/;

/** The distinct characters of `value` that cannot travel raw in a URL path, quoted for a message. */
function unsentable(value: string, raw: RegExp): string {
  const bad = [...new Set([...value].filter((c) => !raw.test(c)))];
  return bad.map((c) => JSON.stringify(c)).join(', ');
}

/**
 * An ID or label that becomes one path segment. Commas and `ALL` are refused too: XNAT reads
 * them as lists and wildcards in session, scan and resource segments, which would address other
 * objects than the one named.
 */
export function checkName(value: string, what = 'name'): string {
  checkPathPart(value, what);
  if (value.includes('*')) refuse(value, what, '"*" is a wildcard to XNAT.');
  if (value.includes('/')) refuse(value, what, 'slashes are not allowed.');
  if (value.includes(',')) refuse(value, what, 'commas are not allowed.');
  if (value === 'ALL') refuse(value, what, '"ALL" means every object to XNAT.');
  return value;
}

/**
 * A project, subject, experiment or resource segment. XNAT hands these route variables over
 * undecoded (SecureResource.getParameter; Restlet's Variable decodes nothing), so a value is
 * sent exactly as it is, and one that would need a `%` escape cannot be addressed at all.
 */
export function segment(value: string, what = 'name'): string {
  checkName(value, what);
  const bad = unsentable(value, RAW_FILE_CHAR);
  if (bad || value.includes('/')) refuse(value, what, `XNAT does not decode this part of a URL, so ${bad} cannot be sent in it.`);
  return value;
}

/**
 * A resource label XNAT takes as that label: XNATCatalogTemplate reads a digits-only token as
 * a resource's numeric ID and `NULL` as "the resource without a label".
 */
export function checkResourceLabel(label: string): string {
  segment(label, 'resource label');
  if (/^\d+$/.test(label)) refuse(label, 'resource label', 'XNAT reads a label of digits only as a numeric resource ID.');
  if (label === 'NULL') refuse(label, 'resource label', 'XNAT reads "NULL" as the resource without a label.');
  return label;
}

/** A file path inside a resource: folders allowed, but no empty, "." or ".." segment. */
export function checkFilePath(path: string): string[] {
  const parts = path.split('/');
  for (const part of parts) checkPathPart(part, 'file path segment');
  return parts;
}

/**
 * The text to put after `/files/` so that this XNAT release arrives at exactly `path`
 * (version.ts FilePathDecoding); BAD_USER_INPUT saying why when no text does.
 */
export function encodeFilePath(path: string, xnat: XnatVersion): string {
  const parts = checkFilePath(path);
  // FileList.handleDelete turns a trailing `*` into a regex, and GET treats `*` as a pattern.
  if (path.includes('*')) refuse(path, 'file path', '"*" is a wildcard to XNAT.');
  const encoded = () => parts.map(encodeURIComponent).join('/');
  if (xnat.filePaths === 'always') return encoded();
  if (xnat.filePaths === 'space-or-plus' && /[ +]/.test(path)) return encoded();
  const bad = unsentable(path, RAW_FILE_CHAR);
  if (!bad) return path;
  const why =
    xnat.filePaths === 'none'
      ? `XNAT ${xnat.version} uses file paths exactly as sent, undecoded, so ${bad} cannot be part of one.`
      : `XNAT ${xnat.version} decodes a file path only when it holds a space or "+", so ${bad} cannot be sent in a path without one.`;
  return refuse(path, 'file path', why);
}

/** Query values keep ',', ':' and '/' readable: XNAT splits lists on commas and reads XML paths. */
export function encodeQuery(query: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const encoded = encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/');
    parts.push(`${encodeURIComponent(key)}=${encoded}`);
  }
  return parts.join('&');
}

// ---- Addresses of archive objects (XNAT REST paths) -------------------------------------

export const projectsPath = '/data/projects';
export const subjectsPath = '/data/subjects';
export const experimentsPath = '/data/experiments';
export const usernamePath = '/xapi/users/username';

export function userGroupsPath(username: string): string {
  return `/xapi/users/${segment(username, 'username')}/groups`;
}

export function projectPath(project: string): string {
  return `/data/projects/${segment(project, 'project ID')}`;
}

function subjectPath(project: string, subject: string): string {
  return `${projectPath(project)}/subjects/${segment(subject, 'subject')}`;
}

function experimentPath(experiment: string): string {
  return `/data/experiments/${segment(experiment, 'experiment')}`;
}

/** `/data/experiments/E1,E2,…` — XNAT accepts comma lists of sessions in this segment (GET only). */
export function experimentListPath(experiments: readonly string[]): string {
  return `/data/experiments/${experiments.map((e) => segment(e, 'experiment')).join(',')}`;
}

export function ownerPath(owner: OwnerRef): string {
  switch (owner.kind) {
    case 'project':
      return projectPath(owner.project);
    case 'subject':
      return subjectPath(owner.project, owner.subject);
    case 'experiment':
      return experimentPath(owner.experiment);
    default:
      return `${experimentPath(owner.experiment)}/${LEVELS[owner.kind].collection}/${childSegment(owner.kind, childIdOf(owner))}`;
  }
}

/** A session child's ID as one path segment, encoded as XNAT reads it back (levels.ts `decodesId`). */
export function childSegment(level: SessionChildLevel, id: string): string {
  const { decodesId, idName } = LEVELS[level];
  return decodesId ? encodeURIComponent(checkName(id, idName)) : segment(id, idName);
}

/**
 * The project-scoped URL of an object, as pyxnat builds `_uri` (with accession IDs, which XNAT
 * finds under `/projects/{p}` as well as labels): the routes whose PUT applies field values with
 * the resource's shortcuts (`SubjectResource`, `SubjAssessmentResource`, `ScanResource`,
 * `ExptAssessmentResource`, `ProjectResource`). `/data/experiments/{id}` is `ExperimentResource`,
 * whose PUT has no shortcut mapping and no existing item to update.
 */
export function objectPath(owner: OwnerRef): string {
  if (owner.kind === 'project') return projectPath(owner.project);
  const subject = subjectPath(owner.project, owner.subject);
  if (owner.kind === 'subject') return subject;
  const experiment = `${subject}/experiments/${segment(owner.experiment, 'experiment')}`;
  if (owner.kind === 'experiment') return experiment;
  return `${experiment}/${LEVELS[owner.kind].collection}/${childSegment(owner.kind, childIdOf(owner))}`;
}

/**
 * `/data/experiments/E1,E2/assessors/A1,A2`: XNATTemplate takes comma lists in both segments on
 * GET and finds each assessor by its accession ID, so one request reaches the assessors of many
 * sessions.
 */
export function sessionChildListPath(level: SessionChildLevel, sessions: readonly string[], ids: readonly string[]): string {
  return `${experimentListPath(sessions)}/${LEVELS[level].collection}/${ids.map((id) => childSegment(level, id)).join(',')}`;
}

export function resourcePath(ref: ResourceRef): string {
  return `${ownerPath(ref.owner)}/resources/${checkResourceLabel(ref.label)}`;
}

/** The files listing of a resource. */
export function resourceFilesPath(ref: ResourceRef): string {
  return `${resourcePath(ref)}/files`;
}

/** Every file of a resource as one zip, built by XNAT as it streams. */
export function resourceZipRequest(ref: ResourceRef): { path: string; query: { format: 'zip' } } {
  return { path: resourceFilesPath(ref), query: { format: 'zip' } };
}

/**
 * A scan type as one token of XNAT's scan segment (XNATTemplate matches each comma-separated token
 * against scan ID or type; `[SLASH]` stands for a slash). Commas cannot be expressed in a list.
 */
export function checkScanType(type: string): string {
  checkPathPart(type, 'scan type');
  if (type.includes('*')) refuse(type, 'scan type', '"*" is a wildcard to XNAT.');
  if (type.includes(',')) refuse(type, 'scan type', 'commas are not allowed.');
  if (type === 'ALL' || type === 'NULL') refuse(type, 'scan type', `"${type}" has a meaning of its own to XNAT.`);
  return type;
}

function scanTypeToken(type: string): string {
  return encodeURIComponent(checkScanType(type).replace(/\//g, '[SLASH]'));
}

/** `/resources/L1,L2` narrowing a files listing to those resource labels, or nothing for all. */
function resourceListSegment(labels: readonly string[]): string {
  return labels.length === 0 ? '' : `/resources/${labels.map(checkResourceLabel).join(',')}`;
}

/** Every file of a scan's resources (or of the named ones) as one zip: FileList under `scans/{SCAN_ID}`. */
export function scanZipRequest(ref: ScanRef, resources: readonly string[]): { path: string; query: { format: 'zip' } } {
  const scan = ownerPath({ kind: 'scan', ...ref });
  return { path: `${scan}${resourceListSegment(resources)}/files`, query: { format: 'zip' } };
}

/**
 * Every scan file of a session as one zip (`scans/ALL/files`, as xnatpy's `download_dir`), or of
 * the scans of the given types and the resources with the given labels.
 */
export function sessionScansZipRequest(
  ref: ExperimentRef,
  scanTypes: readonly string[],
  resources: readonly string[],
): { path: string; query: { format: 'zip' } } {
  const scans = scanTypes.length === 0 ? 'ALL' : scanTypes.map(scanTypeToken).join(',');
  return { path: `${experimentPath(ref.experiment)}/scans/${scans}${resourceListSegment(resources)}/files`, query: { format: 'zip' } };
}

export function filePath(ref: FileRef, xnat: XnatVersion): string {
  return `${resourceFilesPath(ref.resource)}/${encodeFilePath(ref.path, xnat)}`;
}

// ---- pyxnat's `_uri` ----------------------------------------------------------------------

/** What pyxnat builds when an object is selected by labels: project ID, then labels downwards. */
export function labelUri(parts: { project: string; subjectLabel?: string; experimentLabel?: string; scan?: string }): string {
  let uri = `/data/projects/${encodeURIComponent(parts.project)}`;
  if (parts.subjectLabel !== undefined) uri += `/subjects/${encodeURIComponent(parts.subjectLabel)}`;
  if (parts.experimentLabel !== undefined) uri += `/experiments/${encodeURIComponent(parts.experimentLabel)}`;
  if (parts.scan !== undefined) uri += `/scans/${encodeURIComponent(parts.scan)}`;
  return uri;
}

export function resourceUri(ownerUri: string, label: string): string {
  return `${ownerUri}/resources/${encodeURIComponent(label)}`;
}

export function fileUri(resourceUri: string, path: string): string {
  return `${resourceUri}/files/${path.split('/').map(encodeURIComponent).join('/')}`;
}

// ---- Metrics ------------------------------------------------------------------------------

const COLLECTIONS = new Set(['projects', 'subjects', 'experiments', 'scans', 'resources', 'assessors', 'reconstructions', 'users']);

/**
 * A low-cardinality template of a request path for metrics and error messages:
 * `/data/experiments/E1,E2/scans/ALL/resources` → `/data/experiments/{ids}/scans/ALL/resources`.
 */
export function routeOf(path: string): string {
  const parts = path.split('?')[0]!.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const previous = parts[i - 1];
    if (previous === 'files' && i > 0) {
      out.push('{path}');
      break;
    }
    if (previous !== undefined && COLLECTIONS.has(previous) && part !== '' && part !== 'ALL' && part !== '*') {
      out.push(part.includes(',') ? '{ids}' : '{id}');
    } else {
      out.push(part);
    }
  }
  return out.join('/');
}

/** Splits a list of IDs so that each comma-joined chunk stays well under URL length limits. */
export function chunkIds(ids: readonly string[], maxChars = 4000): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const id of ids) {
    const cost = encodeURIComponent(id).length + 1;
    if (current.length > 0 && length + cost > maxChars) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(id);
    length += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
