/**
 * Domain records of the archive, as the gateway uses them: typed values (numbers for sizes and
 * counts, ISO strings for dates, null for "XNAT has no value"). resultset.ts produces them from
 * XNAT's all-string tables; nothing above src/xnat sees an XNAT column name.
 */

import type { CoordinatesOf, OwnerLevel } from '../levels.js';

export interface ProjectRow {
  /** XNAT project ID, also what pyxnat calls the project's label. */
  id: string;
  secondaryId: string | null;
  name: string | null;
  description: string | null;
  keywords: string[];
  pi: string | null;
}

export interface SubjectRow {
  /** Accession ID, e.g. XNAT_S00001. */
  id: string;
  /** The project the subject was listed in: its owner, or a project it is shared into. */
  project: string;
  /** The project that owns the subject. */
  ownerProject: string;
  /** The label in `project` (a shared subject may have its own label there). */
  label: string;
  group: string | null;
  gender: string | null;
  handedness: string | null;
  yob: number | null;
  age: number | null;
  /** ISO local date-time (XNAT server time), e.g. 2017-03-21T14:05:07.123 */
  insertDate: string | null;
}

export interface ExperimentRow {
  /** Accession ID, e.g. XNAT_E00001. */
  id: string;
  /** The project the experiment was listed in: its owner, or a project it is shared into. */
  project: string;
  /** The project that owns the experiment. */
  ownerProject: string;
  subjectId: string;
  subjectLabel: string | null;
  label: string;
  /** Concrete data type, e.g. xnat:mrSessionData. */
  xsiType: string;
  /** YYYY-MM-DD */
  date: string | null;
  /** HH:mm:ss[.SSS] */
  time: string | null;
  visitId: string | null;
  note: string | null;
  insertDate: string | null;
}

/** An image assessor (xnat:imageAssessorData and its subtypes: QC, FreeSurfer…) of a session. */
export interface AssessorRow {
  /** Accession ID (assessors are experiments), e.g. XNAT_E00057. */
  id: string;
  /** Accession ID of the assessed session (xnat:imageAssessorData/imageSession_ID). */
  sessionId: string;
  project: string;
  label: string;
  /** Concrete data type, e.g. xnat:qcManualAssessorData, fs:fsData. */
  xsiType: string;
  /** YYYY-MM-DD */
  date: string | null;
  insertDate: string | null;
}

/** A reconstruction (xnat:reconstructedImageData) of an image session. */
export interface ReconstructionRow {
  /** Accession ID of the reconstructed session. */
  sessionId: string;
  /** The reconstruction's ID, unique within its session only: pyxnat's `id()`. */
  id: string;
  type: string | null;
  /** The type of the scans it was built from. */
  baseScanType: string | null;
}

/** Columns that only image sessions have; they come with the scan listing of the session. */
export interface ImageSessionDetails {
  modality: string | null;
  scanner: string | null;
}

/** The scans of an image session, with the session columns their listing carries. */
export interface SessionScans {
  session: ImageSessionDetails;
  scans: ScanRow[];
}

/** Columns that exist only on one session subtype (asking for them on others filters rows out). */
export interface TypeSpecificDetails {
  fieldStrength: string | null;
  tracer: string | null;
}

export interface ScanRow {
  /** Accession ID of the session the scan belongs to. */
  sessionId: string;
  /** Scan ID, unique within its session only ("1", "2", …): pyxnat's scan label. */
  id: string;
  type: string | null;
  seriesDescription: string | null;
  quality: string | null;
  frames: number | null;
  modality: string | null;
  note: string | null;
}

export interface ResourceRow {
  /** XNAT's xnat_abstractresource_id. */
  dbId: number;
  label: string;
  format: string | null;
  content: string | null;
  fileCount: number | null;
  totalSize: number | null;
  tags: readonly string[];
}

export interface FileRow {
  /** xnat_abstractresource_id of the resource holding the file. */
  resourceDbId: number;
  /** File name (last path component). */
  name: string;
  /** Path relative to the resource, '/'-separated; folders allowed. */
  path: string;
  size: number | null;
  format: string | null;
  content: string | null;
  tags: readonly string[];
  digest: string | null;
}

/** A resource as a multi-owner resources listing shows it. */
export interface ListedResource extends ResourceRow {
  /** Scan ID / reconstruction / assessor ID the resource hangs under ("" for plain resources). */
  catId: string;
  category: string | null;
}

/** A file as a files listing shows it. */
export interface ListedFile extends FileRow {
  /** Session accession ID (or label) read from the URI, when the file hangs under an experiment. */
  uriExperiment: string | null;
}

/**
 * Coordinates of archive objects: enough to address them in XNAT (paths.ts) and to find them
 * again through the list loaders, with accession IDs rather than labels because IDs never change.
 */
export type ProjectRef = CoordinatesOf<'project'>;
export type SubjectRef = CoordinatesOf<'subject'>;
export type ExperimentRef = CoordinatesOf<'experiment'>;
export type ScanRef = CoordinatesOf<'scan'>;
/** `assessor` is the assessor's accession ID; `experiment` is its session's. */
export type AssessorRef = CoordinatesOf<'assessor'>;
/** `reconstruction` is the reconstruction's ID; `experiment` is its session's accession ID. */
export type ReconstructionRef = CoordinatesOf<'reconstruction'>;
/** The coordinates of anything that holds resources, tagged with its level. */
export type OwnerRef = { [L in OwnerLevel]: { kind: L } & CoordinatesOf<L> }[OwnerLevel];
export interface ResourceRef {
  owner: OwnerRef;
  /** Resource label, unique under its owner. */
  label: string;
}
export interface FileRef {
  resource: ResourceRef;
  path: string;
}
