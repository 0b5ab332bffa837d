import { type Family, familyOf, isA, isTypeName, ROOT_TYPE, SHORTCUTS, shortcutForField, shortcutForPath } from '../datatypes.js';
import { customFieldName } from '../field-schema.js';
import type { ExperimentRecord, ProjectRecord, ReconstructionRecord, ResourceRecord, ScanRecord, SubjectRecord } from '../model.js';

/** One listing row before rendering: the records its cells are read from. */
export interface RowContext {
  project?: ProjectRecord;
  subject?: SubjectRecord;
  experiment?: ExperimentRecord;
  scan?: ScanRecord;
  /** A reconstruction of the session, when the listing joins `xnat:reconstructedImageData` columns. */
  reconstruction?: ReconstructionRecord;
  /**
   * A resource of the scan (or of the reconstruction), when the listing joins
   * `xnat:imageScanData/file` (`xnat:reconstructedImageData/out/file`).
   */
  resource?: ResourceRecord;
  /** The session an image assessor assesses (`experiment` is then the assessor). */
  session?: ExperimentRecord;
  /** One custom variable of the row's record, when the listing joins `<type>/fields/field`. */
  customField?: { name: string; value: string };
}

export type Getter = (row: RowContext) => string;

export interface Column {
  /** Output name: the shortcut name, or the lower-cased xpath when no shortcut has that path. */
  key: string;
  /** The family whose record the value comes from. */
  family: Family;
  /** A concrete/abstract type named by an xpath prefix, e.g. xnat:mrSessionData. */
  type: string;
  get: Getter;
  /** The column reads the scan's (reconstruction's) resources (`…/file/…`, `…/out/file/…`), one row per resource. */
  joinsResources?: boolean;
  /** Multi-valued fields (`sharing/share/…`): a filter matches when any value does. */
  values?: (row: RowContext) => string[];
  /** The column reads the custom variables (`…/fields/field/name|field`), one row per variable. */
  joinsCustomFields?: boolean;
}

/** Fields of a scan's resource (xnat:abstractResource) a joined listing can show. */
const RESOURCE_FIELDS: Record<string, (r: ResourceRecord) => string> = {
  xnat_abstractresource_id: (r) => String(r.dbId),
  label: (r) => r.label,
};

function fieldValue(fields: Record<string, string>, name: string): string {
  if (name in fields) return fields[name] ?? '';
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(fields)) if (key.toLowerCase() === lower) return value;
  return '';
}

/** An image assessor's session (the `ASSESSOR` arc XNAT joins `session_*` columns through). */
function assessedSession(row: RowContext): ExperimentRecord | undefined {
  const e = row.experiment;
  if (!e) return undefined;
  if (isA(e.xsiType, 'xnat:imageSessionData')) return e;
  return e.sessionId === undefined ? undefined : row.session;
}

/** Experiment values kept outside `fields`, by lower-cased name (xpaths arrive in any case). */
function experimentCore(name: string, row: RowContext): string | undefined {
  const { experiment: e, subject } = row;
  const subjectAssessor = e !== undefined && isA(e.xsiType, 'xnat:subjectAssessorData');
  switch (name.toLowerCase()) {
    case 'id':
      return e?.id;
    case 'label':
      return e?.label;
    case 'project':
      return e?.project;
    case 'xsitype':
      return e?.xsiType;
    case 'subject_id':
      return subjectAssessor ? e.subjectId : '';
    case 'subject_label':
      return subjectAssessor ? subject?.label : '';
    case 'subject_project':
      return subjectAssessor ? subject?.project : '';
    case 'session_id':
      return assessedSession(row)?.id ?? '';
    case 'session_label':
      return assessedSession(row)?.label ?? '';
    case 'session_project':
      return assessedSession(row)?.project ?? '';
    case 'imagesession_id':
      return e?.sessionId ?? '';
    default:
      return undefined;
  }
}

/** Shortcut values of each family, for records that carry them outside `fields`. */
const CORE: Record<Family, (name: string, row: RowContext) => string | undefined> = {
  project: (name, { project }) => (name === 'ID' ? project?.id : undefined),
  subject: (name, { subject }) => ({ ID: subject?.id, label: subject?.label, project: subject?.project })[name],
  experiment: experimentCore,
  scan: (name, { scan }) => ({ ID: scan?.id, xsiType: scan?.xsiType, xnat_imagescandata_id: scan ? String(scan.dbId) : undefined })[name],
  reconstruction: (name, { reconstruction: r }) =>
    ({
      ID: r?.id,
      xsiType: r ? ROOT_TYPE.reconstruction : undefined,
      xnat_reconstructedimagedata_id: r ? String(r.dbId) : undefined,
      image_session_ID: r?.experimentId,
    })[name],
};

/**
 * Experiment shortcuts that read another record through a join (`session_*`: an assessor's
 * session); their values are not limited to records of their path's type.
 */
const JOINED = new Set(['session_ID', 'session_label', 'session_project']);

/**
 * The data type a shortcut's path starts with, when it is a subtype within the listing's family:
 * QueryOrganizerResource.getRootElementName makes it the listing's root (`subject_ID` →
 * xnat:subjectAssessorData, which leaves out image assessors), and the value is empty for
 * records of other types.
 */
function shortcutType(listing: Family, path: string): string {
  const type = path.slice(0, path.indexOf('/'));
  return listing === 'experiment' && isTypeName(type) && familyOf(type) === listing ? type : ROOT_TYPE[listing];
}

function recordOf(family: Family, row: RowContext): { fields: Record<string, string>; custom?: Record<string, string> } | undefined {
  return { project: row.project, subject: row.subject, experiment: row.experiment, scan: row.scan, reconstruction: row.reconstruction }[
    family
  ];
}

/** The data type of the record of `family` a row holds ('' when it holds none). */
export function typeOf(family: Family, row: RowContext): string {
  if (family === 'experiment') return row.experiment?.xsiType ?? '';
  if (family === 'scan') return row.scan?.xsiType ?? '';
  if (family === 'reconstruction') return row.reconstruction ? ROOT_TYPE.reconstruction : '';
  return ROOT_TYPE[family];
}

/** A value getter for `name` (shortcut or raw field) of `family`, empty unless the record is a `type`. */
function getterFor(family: Family, name: string, type: string): Getter {
  return (row) => {
    const record = recordOf(family, row);
    if (!record || !isA(typeOf(family, row), type)) return '';
    return CORE[family](name, row) ?? fieldValue(record.fields, name);
  };
}

/** `fields/field/name|field`: the custom variables as a joined child list. */
const CUSTOM_LIST = /^fields\/field\/(name|field)$/i;

/** The custom variables of a row's project, subject or experiment record. */
export function customFieldsOf(family: Family, row: RowContext): Record<string, string> {
  return (family === 'scan' || family === 'reconstruction' ? undefined : recordOf(family, row)?.custom) ?? {};
}

/** A column over custom variables, or undefined when `field` names none. */
function customColumn(key: string, family: Family, type: string, field: string): Column | undefined {
  if (family === 'scan' || family === 'reconstruction') return undefined;
  const byName = customFieldName(field);
  if (byName !== undefined) {
    return { key, family, type, get: (row) => (isA(typeOf(family, row), type) ? (customFieldsOf(family, row)[byName] ?? '') : '') };
  }
  const part = CUSTOM_LIST.exec(field)?.[1]?.toLowerCase();
  if (part === undefined) return undefined;
  return {
    key,
    family,
    type,
    joinsCustomFields: true,
    get: (row) => (part === 'name' ? row.customField?.name : row.customField?.value) ?? '',
  };
}

/**
 * Resolves a `columns=` (or filter) entry as QueryOrganizerResource does: a shortcut of the
 * listing's family, or an xpath whose type prefix names the family of the value. Unknown
 * shortcuts give undefined (XNAT drops them silently).
 */
export function resolveColumn(listing: Family, token: string): Column | undefined {
  if (!token.includes('/')) {
    const shortcut = SHORTCUTS[listing].get(token);
    if (!shortcut) return undefined;
    const type = shortcutType(listing, shortcut.path);
    const custom = customColumn(token, listing, ROOT_TYPE[listing], shortcut.path.slice(shortcut.path.indexOf('/') + 1));
    if (custom) return custom;
    return { key: token, family: listing, type, get: getterFor(listing, token, JOINED.has(token) ? ROOT_TYPE[listing] : type) };
  }
  const key = shortcutForPath(listing, token) ?? token.toLowerCase();
  const slash = token.indexOf('/');
  const type = token.slice(0, slash);
  const field = token.slice(slash + 1);
  const family = isTypeName(type) ? familyOf(type) : undefined;
  if (!family) return { key, family: listing, type: ROOT_TYPE[listing], get: () => '' };
  const resourceList = family === 'scan' ? /^file\//i : family === 'reconstruction' ? /^out\/file\//i : undefined;
  const resourceField = resourceList?.exec(field);
  if (resourceField) {
    // xnat:imageScanData/file (xnat:reconstructedImageData/out/file) is the scan's (reconstruction's)
    // list of resources: XFT joins it like any child list.
    const read = RESOURCE_FIELDS[field.slice(resourceField[0].length).toLowerCase()];
    return { key, family, type, joinsResources: true, get: (row) => (row.resource && read ? read(row.resource) : '') };
  }
  // The value is the family's shortcut with this path or field, else a raw field of that name.
  const custom = customColumn(key, family, type, field);
  if (custom) return custom;
  const share = /^sharing\/share\/(project|label)$/i.exec(field)?.[1]?.toLowerCase() as 'project' | 'label' | undefined;
  if (share && (family === 'subject' || family === 'experiment')) return shareColumn(key, family, type, share);
  const name = shortcutForPath(family, token) ?? shortcutForField(family, field) ?? field.split('/').pop() ?? field;
  return { key, family, type, get: getterFor(family, name, type) };
}

/**
 * `<type>/sharing/share/project|label`: the projects an object is shared into, or its labels
 * there. Emulated as a filter (any share matches, the clause ProjectSubjectList and
 * ProjSubExptList add); as an output column XFT would join one row per share, which the emulator
 * does not reproduce (the cell is empty).
 */
function shareColumn(key: string, family: 'subject' | 'experiment', type: string, field: 'project' | 'label'): Column {
  return {
    key,
    family,
    type,
    get: () => '',
    values: (row) => {
      const record = family === 'subject' ? row.subject : row.experiment;
      if (!record || !isA(typeOf(family, row), type)) return [];
      return (record.shares ?? []).map((s) => s[field]);
    },
  };
}
