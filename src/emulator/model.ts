import type { ProjectRole } from './auth.js';
import type { Action } from './permissions.js';
import type { Readable } from 'node:stream';

/**
 * The emulator's archive records. Values are kept as XNAT keeps them for REST: strings keyed by
 * the XMLPathShortcuts name (`label`, `type`, `series_description`, …), so listings can serve any
 * `columns=` entry and filter on it without per-field code.
 */
export type Fields = Record<string, string>;

/**
 * XNAT custom variables (`<type>/fields/field`, an `xnat:…_field` child list of name and value)
 * of a project, subject or experiment, by name. Image scans have none in XNAT's schema.
 */
export type CustomFields = Record<string, string>;

export type Accessibility = 'public' | 'protected' | 'private';

export interface ProjectRecord {
  /** XNAT project ID (also the URL segment). */
  id: string;
  accessibility: Accessibility;
  /** Shortcut-keyed values: secondary_ID, name, description, keywords, pi_firstname, pi_lastname … */
  fields: Fields;
  /**
   * What the project's role groups may do with its data where the site changed XNAT's defaults
   * (an owner edits a group's permissions in the project's access settings).
   */
  dataPermissions?: Partial<Record<ProjectRole, readonly Action[]>>;
  custom?: CustomFields;
}

/**
 * An XNAT `sharing/share` element (`xnat:projectParticipant` for subjects,
 * `xnat:experimentData_share` for experiments): the object also appears in `project`, under
 * `label` there (empty: its own label).
 */
export interface Share {
  project: string;
  label: string;
}

export interface SubjectRecord {
  /** Accession ID, e.g. XNAT_S00001. */
  id: string;
  /** The owning project. */
  project: string;
  label: string;
  /** Projects the subject is shared into. */
  shares?: Share[];
  /** gender, handedness, yob, group, insert_date, insert_user … */
  fields: Fields;
  custom?: CustomFields;
}

export interface ExperimentRecord {
  /** Accession ID, e.g. XNAT_E00001. */
  id: string;
  /** The owning project. */
  project: string;
  subjectId: string;
  label: string;
  /** Projects the experiment is shared into. */
  shares?: Share[];
  /** Concrete type: xnat:mrSessionData, xnat:petSessionData, xnat:ctSessionData, fs:fsData … */
  xsiType: string;
  /**
   * Image assessors only (xnat:imageAssessorData/imageSession_ID): the session they assess.
   * `subjectId` of an assessor is that session's subject, kept for lookups; XNAT lists no
   * subject for it (an image assessor is not a subject assessor).
   */
  sessionId?: string;
  /** date (YYYY-MM-DD), time, modality, scanner, fieldStrength, tracer_name, insert_date … */
  fields: Fields;
  custom?: CustomFields;
}

export interface ScanRecord {
  experimentId: string;
  /** Scan ID, unique only within its session ("1", "2", …). */
  id: string;
  /** Concrete type: xnat:mrScanData, xnat:petScanData, xnat:ctScanData … */
  xsiType: string;
  /** Global database key, XNAT's xnat_imagescandata_id. */
  dbId: number;
  /** type, series_description, quality, frames, note, modality … */
  fields: Fields;
}

/**
 * A reconstruction of an image session (xnat:reconstructedImageData, the session's
 * `reconstructions/reconstructedImage` list). Its ID is unique within its session only.
 */
export interface ReconstructionRecord {
  experimentId: string;
  /** The reconstruction's ID (`xnat:reconstructedImageData/ID`). */
  id: string;
  /** Global database key, XNAT's xnat_reconstructedimagedata_id. */
  dbId: number;
  /** type, baseScanType … */
  fields: Fields;
}

export type ResourceParent =
  | { kind: 'project'; project: string }
  | { kind: 'subject'; subjectId: string }
  | { kind: 'experiment'; experimentId: string }
  | { kind: 'scan'; experimentId: string; scanId: string }
  /** An image assessor's `out` resources (img_assessor_out_resource). */
  | { kind: 'assessor'; assessorId: string }
  /** A reconstruction's `out` resources (recon_out_resource). */
  | { kind: 'reconstruction'; experimentId: string; reconstructionId: string };

export interface ResourceRecord {
  /** Global database key, XNAT's xnat_abstractresource_id. */
  dbId: number;
  label: string;
  parent: ResourceParent;
  format: string;
  content: string;
  description: string;
  tags: string[];
  /**
   * False for a resource whose file_count/file_size XNAT never stored (listed as ""): stats are
   * kept in the resource row and filled only when files are added or removed through XNAT.
   */
  statsStored?: false;
}

export interface FileRecord {
  resourceDbId: number;
  /** Path relative to the resource, '/'-separated, may contain folders (`sub/a.dcm`). */
  path: string;
  size: number;
  format: string;
  content: string;
  tags: string[];
  /** Hex MD5 of the bytes, as XNAT stores when checksums are on. */
  digest: string;
  /** Key of the bytes in the BlobStore. */
  blobKey: string;
}

/** File bytes of a dataset, produced lazily so a large dataset never sits in memory. */
export type FileSource = () => Readable | Buffer;

export interface DatasetFile extends Omit<FileRecord, 'size' | 'digest' | 'blobKey'> {
  source: FileSource;
}

/**
 * The files of one resource described by a count rather than a record each, as a real archive's
 * DICOM series is: one file per slice or frame, names, sizes and bytes derived from the index.
 * The site has checksums off, so no digest is stored.
 */
export interface FileSeries {
  resourceDbId: number;
  count: number;
  /** Path of the i-th file (0-based), relative to the resource. */
  path(index: number): string;
  /** The index whose path this is, or -1. */
  indexOf(path: string): number;
  size(index: number): number;
  format: string;
  content: string;
  source(index: number): Readable | Buffer;
}

export interface Dataset {
  projects: ProjectRecord[];
  subjects: SubjectRecord[];
  experiments: ExperimentRecord[];
  /** Image assessors (experiments with a `sessionId`), kept apart so session counts stay sessions. */
  assessors?: ExperimentRecord[];
  scans: ScanRecord[];
  /** Reconstructions of image sessions; absent where a dataset has none. */
  reconstructions?: ReconstructionRecord[];
  resources: ResourceRecord[];
  files: DatasetFile[];
  /** Large datasets' file series (site:SCALE); absent elsewhere. */
  series?: FileSeries[];
}

export interface StoredBlob {
  key: string;
  size: number;
  digest: string;
}

/** File bytes on disk, streamed in and out; keys are opaque and never derived from user input. */
export interface BlobStore {
  readonly root: string;
  put(body: Readable | Buffer): Promise<StoredBlob>;
  /** Byte range is inclusive, as in HTTP Range. */
  open(key: string, range?: { start: number; end: number }): Readable;
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}
