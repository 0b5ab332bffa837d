/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, YYYY-MM-DD. */
  Date: { input: string; output: string; }
  /** A date and time without offset (XNAT server local time), YYYY-MM-DDTHH:mm:ss[.SSS]. */
  LocalDateTime: { input: string; output: string; }
  /** An integer up to 2^53 - 1 (file sizes beyond 2 GiB fit, unlike Int). */
  SafeInt: { input: number; output: number; }
  /** A file part of a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec). */
  Upload: { input: unknown; output: unknown; }
};

/** Counts over one project or all visible projects. Subjects come from the subject listing, experiments from the experiment listing, and everything about imaging sessions and scans from ONE scan-column join of `/data/experiments` for all projects of the request (`xsiType=xnat:imageSessionData&project=P1,P2&columns=ID,project,date,modality,xnat:imageScanData/ID,xnat:imageScanData/type`). Projects are owning projects (shared data is not followed). */
export type ArchiveStats = {
  __typename?: 'ArchiveStats';
  /** Imaging sessions per session modality. */
  byModality: Array<Count>;
  /** Imaging sessions per month (YYYY-MM of the session date; key null for undated sessions). */
  byMonth: Array<Count>;
  /** Scans per scan type. */
  byScanType: Array<Count>;
  /** All experiments, imaging sessions or not. */
  experimentCount: Scalars['Int']['output'];
  scanCount: Scalars['Int']['output'];
  /** Imaging sessions. */
  sessionCount: Scalars['Int']['output'];
  /** Imaging sessions per modality and month (dated sessions only), sorted by month then modality. */
  sessionsByModalityAndMonth: Array<ModalityMonthCount>;
  subjectCount: Scalars['Int']['output'];
};

/** How many items share a key. */
export type Count = {
  __typename?: 'Count';
  count: Scalars['Int']['output'];
  /** null for items without a value. */
  key?: Maybe<Scalars['String']['output']>;
};

/** A CT session (xnat:ctSessionData). */
export type CtSession = Experiment & Node & {
  __typename?: 'CtSession';
  /** XNAT accession ID, e.g. XNAT_E00001. */
  accessionId: Scalars['String']['output'];
  date?: Maybe<Scalars['Date']['output']>;
  /** Any experiment field. A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). Paths of a session subtype are asked in one request per subtype. */
  field?: Maybe<Scalars['String']['output']>;
  /** Several experiment fields in one go (pyxnat attrs.mget). A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  fields: Array<FieldValue>;
  id: Scalars['ID']['output'];
  insertDate?: Maybe<Scalars['LocalDateTime']['output']>;
  label: Scalars['String']['output'];
  modality?: Maybe<Scalars['String']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  project?: Maybe<Project>;
  resource?: Maybe<Resource>;
  /** Session-level resources (scan resources are under each scan). */
  resources?: Maybe<ResourceConnection>;
  /** A scan by scan ID (pyxnat label, e.g. "2"); null when absent. */
  scan?: Maybe<Scan>;
  scanner?: Maybe<Scalars['String']['output']>;
  /** Scans of the session, optionally only those of one scan type (exact match, e.g. "mprage") or matching `filter` (applied by the gateway: XNAT's scan listing ignores filters). */
  scans?: Maybe<ScanConnection>;
  subject?: Maybe<Subject>;
  time?: Maybe<Scalars['String']['output']>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
  visitId?: Maybe<Scalars['String']['output']>;
  /** XNAT data type, e.g. xnat:mrSessionData. */
  xsiType: Scalars['String']['output'];
};


/** A CT session (xnat:ctSessionData). */
export type CtSessionFieldArgs = {
  path: Scalars['String']['input'];
};


/** A CT session (xnat:ctSessionData). */
export type CtSessionFieldsArgs = {
  paths: Array<Scalars['String']['input']>;
};


/** A CT session (xnat:ctSessionData). */
export type CtSessionResourceArgs = {
  label: Scalars['String']['input'];
};


/** A CT session (xnat:ctSessionData). */
export type CtSessionResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A CT session (xnat:ctSessionData). */
export type CtSessionScanArgs = {
  id: Scalars['String']['input'];
};


/** A CT session (xnat:ctSessionData). */
export type CtSessionScansArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ScanFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
};

/** An experiment of a subject; imaging sessions resolve to MrSession, PetSession, CtSession or ImageSession. */
export type Experiment = {
  /** XNAT accession ID, e.g. XNAT_E00001. */
  accessionId: Scalars['String']['output'];
  date?: Maybe<Scalars['Date']['output']>;
  /** Any experiment field. A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). Paths of a session subtype are asked in one request per subtype. */
  field?: Maybe<Scalars['String']['output']>;
  /** Several experiment fields in one go (pyxnat attrs.mget). A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  fields: Array<FieldValue>;
  id: Scalars['ID']['output'];
  insertDate?: Maybe<Scalars['LocalDateTime']['output']>;
  label: Scalars['String']['output'];
  modality?: Maybe<Scalars['String']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  project?: Maybe<Project>;
  resource?: Maybe<Resource>;
  /** Session-level resources (scan resources are under each scan). */
  resources?: Maybe<ResourceConnection>;
  /** A scan by scan ID (pyxnat label, e.g. "2"); null when absent. */
  scan?: Maybe<Scan>;
  scanner?: Maybe<Scalars['String']['output']>;
  /** Scans of the session, optionally only those of one scan type (exact match, e.g. "mprage") or matching `filter` (applied by the gateway: XNAT's scan listing ignores filters). */
  scans?: Maybe<ScanConnection>;
  subject?: Maybe<Subject>;
  time?: Maybe<Scalars['String']['output']>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
  visitId?: Maybe<Scalars['String']['output']>;
  /** XNAT data type, e.g. xnat:mrSessionData. */
  xsiType: Scalars['String']['output'];
};


/** An experiment of a subject; imaging sessions resolve to MrSession, PetSession, CtSession or ImageSession. */
export type ExperimentFieldArgs = {
  path: Scalars['String']['input'];
};


/** An experiment of a subject; imaging sessions resolve to MrSession, PetSession, CtSession or ImageSession. */
export type ExperimentFieldsArgs = {
  paths: Array<Scalars['String']['input']>;
};


/** An experiment of a subject; imaging sessions resolve to MrSession, PetSession, CtSession or ImageSession. */
export type ExperimentResourceArgs = {
  label: Scalars['String']['input'];
};


/** An experiment of a subject; imaging sessions resolve to MrSession, PetSession, CtSession or ImageSession. */
export type ExperimentResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** An experiment of a subject; imaging sessions resolve to MrSession, PetSession, CtSession or ImageSession. */
export type ExperimentScanArgs = {
  id: Scalars['String']['input'];
};


/** An experiment of a subject; imaging sessions resolve to MrSession, PetSession, CtSession or ImageSession. */
export type ExperimentScansArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ScanFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
};

/** A page of a list. Without `first` or `last`, every item up to 5000; `first` is capped at 5000 too. */
export type ExperimentConnection = {
  __typename?: 'ExperimentConnection';
  edges: Array<ExperimentEdge>;
  nodes: Array<Experiment>;
  pageInfo: PageInfo;
  /** Number of items in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type ExperimentEdge = {
  __typename?: 'ExperimentEdge';
  cursor: Scalars['String']['output'];
  node: Experiment;
};

/** Experiments to keep; all given conditions must hold, each list is an OR. On `Query.experiments` and `Query.scans` XNAT filters first (`project=`, a single `xsiType=`, `modality=`, `date=MM/DD/YYYY-MM/DD/YYYY`, `label=` LIKE) and the gateway refines the answer; on `Project.experiments` and `Subject.experiments` the gateway filters the listing it loads anyway (no extra request, except one for `modalities`). */
export type ExperimentFilter = {
  /** Earliest session date (inclusive); undated experiments never match a date bound. */
  dateFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Latest session date (inclusive). */
  dateTo?: InputMaybe<Scalars['Date']['input']>;
  /** Label pattern: without `*` an exact, case-sensitive label; with `*` (any run of characters) a case-insensitive match of the whole label, e.g. `sub-0*`. */
  label?: InputMaybe<Scalars['String']['input']>;
  /** Session modality as XNAT records it (MR, PET, CT…); only imaging sessions match. */
  modalities?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Owning project IDs. */
  projects?: InputMaybe<Array<Scalars['String']['input']>>;
  /** XNAT data types, e.g. xnat:mrSessionData (case-insensitive). One type is pushed to XNAT; several are applied by the gateway. */
  xsiTypes?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** One XNAT field of an object: the path asked for and its value (null when XNAT has none or does not know the path). */
export type FieldValue = {
  __typename?: 'FieldValue';
  path: Scalars['String']['output'];
  value?: Maybe<Scalars['String']['output']>;
};

/** A file in a resource. */
export type File = Node & {
  __typename?: 'File';
  content?: Maybe<Scalars['String']['output']>;
  /** Checksum XNAT stored (MD5 when checksums are on). */
  digest?: Maybe<Scalars['String']['output']>;
  /** The file bytes, streamed by the gateway. */
  downloadUrl: Scalars['String']['output'];
  format?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Path inside the resource (pyxnat label); may contain folders. */
  path: Scalars['String']['output'];
  resource: Resource;
  /** Size in bytes. */
  size?: Maybe<Scalars['SafeInt']['output']>;
  tags: Array<Scalars['String']['output']>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
};

/** A page of a list. Without `first` or `last`, every item up to 5000; `first` is capped at 5000 too. */
export type FileConnection = {
  __typename?: 'FileConnection';
  edges: Array<FileEdge>;
  nodes: Array<File>;
  pageInfo: PageInfo;
  /** Number of items in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type FileEdge = {
  __typename?: 'FileEdge';
  cursor: Scalars['String']['output'];
  node: File;
};

/** An imaging session of another modality (any other xnat:…SessionData type). */
export type ImageSession = Experiment & Node & {
  __typename?: 'ImageSession';
  /** XNAT accession ID, e.g. XNAT_E00001. */
  accessionId: Scalars['String']['output'];
  date?: Maybe<Scalars['Date']['output']>;
  /** Any experiment field. A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). Paths of a session subtype are asked in one request per subtype. */
  field?: Maybe<Scalars['String']['output']>;
  /** Several experiment fields in one go (pyxnat attrs.mget). A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  fields: Array<FieldValue>;
  id: Scalars['ID']['output'];
  insertDate?: Maybe<Scalars['LocalDateTime']['output']>;
  label: Scalars['String']['output'];
  modality?: Maybe<Scalars['String']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  project?: Maybe<Project>;
  resource?: Maybe<Resource>;
  /** Session-level resources (scan resources are under each scan). */
  resources?: Maybe<ResourceConnection>;
  /** A scan by scan ID (pyxnat label, e.g. "2"); null when absent. */
  scan?: Maybe<Scan>;
  scanner?: Maybe<Scalars['String']['output']>;
  /** Scans of the session, optionally only those of one scan type (exact match, e.g. "mprage") or matching `filter` (applied by the gateway: XNAT's scan listing ignores filters). */
  scans?: Maybe<ScanConnection>;
  subject?: Maybe<Subject>;
  time?: Maybe<Scalars['String']['output']>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
  visitId?: Maybe<Scalars['String']['output']>;
  /** XNAT data type, e.g. xnat:mrSessionData. */
  xsiType: Scalars['String']['output'];
};


/** An imaging session of another modality (any other xnat:…SessionData type). */
export type ImageSessionFieldArgs = {
  path: Scalars['String']['input'];
};


/** An imaging session of another modality (any other xnat:…SessionData type). */
export type ImageSessionFieldsArgs = {
  paths: Array<Scalars['String']['input']>;
};


/** An imaging session of another modality (any other xnat:…SessionData type). */
export type ImageSessionResourceArgs = {
  label: Scalars['String']['input'];
};


/** An imaging session of another modality (any other xnat:…SessionData type). */
export type ImageSessionResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** An imaging session of another modality (any other xnat:…SessionData type). */
export type ImageSessionScanArgs = {
  id: Scalars['String']['input'];
};


/** An imaging session of another modality (any other xnat:…SessionData type). */
export type ImageSessionScansArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ScanFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
};

/** Imaging sessions of one modality in one month. */
export type ModalityMonthCount = {
  __typename?: 'ModalityMonthCount';
  count: Scalars['Int']['output'];
  modality?: Maybe<Scalars['String']['output']>;
  /** YYYY-MM of the session date. */
  month: Scalars['String']['output'];
};

/** An MR session (xnat:mrSessionData). */
export type MrSession = Experiment & Node & {
  __typename?: 'MrSession';
  /** XNAT accession ID, e.g. XNAT_E00001. */
  accessionId: Scalars['String']['output'];
  date?: Maybe<Scalars['Date']['output']>;
  /** Any experiment field. A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). Paths of a session subtype are asked in one request per subtype. */
  field?: Maybe<Scalars['String']['output']>;
  /** Magnetic field strength as XNAT records it (e.g. "3.0"). */
  fieldStrength?: Maybe<Scalars['String']['output']>;
  /** Several experiment fields in one go (pyxnat attrs.mget). A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  fields: Array<FieldValue>;
  id: Scalars['ID']['output'];
  insertDate?: Maybe<Scalars['LocalDateTime']['output']>;
  label: Scalars['String']['output'];
  modality?: Maybe<Scalars['String']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  project?: Maybe<Project>;
  resource?: Maybe<Resource>;
  /** Session-level resources (scan resources are under each scan). */
  resources?: Maybe<ResourceConnection>;
  /** A scan by scan ID (pyxnat label, e.g. "2"); null when absent. */
  scan?: Maybe<Scan>;
  scanner?: Maybe<Scalars['String']['output']>;
  /** Scans of the session, optionally only those of one scan type (exact match, e.g. "mprage") or matching `filter` (applied by the gateway: XNAT's scan listing ignores filters). */
  scans?: Maybe<ScanConnection>;
  subject?: Maybe<Subject>;
  time?: Maybe<Scalars['String']['output']>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
  visitId?: Maybe<Scalars['String']['output']>;
  /** XNAT data type, e.g. xnat:mrSessionData. */
  xsiType: Scalars['String']['output'];
};


/** An MR session (xnat:mrSessionData). */
export type MrSessionFieldArgs = {
  path: Scalars['String']['input'];
};


/** An MR session (xnat:mrSessionData). */
export type MrSessionFieldsArgs = {
  paths: Array<Scalars['String']['input']>;
};


/** An MR session (xnat:mrSessionData). */
export type MrSessionResourceArgs = {
  label: Scalars['String']['input'];
};


/** An MR session (xnat:mrSessionData). */
export type MrSessionResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** An MR session (xnat:mrSessionData). */
export type MrSessionScanArgs = {
  id: Scalars['String']['input'];
};


/** An MR session (xnat:mrSessionData). */
export type MrSessionScansArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ScanFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Creates an empty resource under a project, subject, experiment or scan (CONFLICT when the label is taken). */
  createResource: Resource;
  /** Deletes a file; returns the deleted file's id. */
  deleteFile: Scalars['ID']['output'];
  /** Deletes a resource with all its files; returns the deleted resource's id. */
  deleteResource: Scalars['ID']['output'];
  /** Stores a file in a resource of a project, subject, experiment or scan, creating the resource when missing (as XNAT does). With extract, an uploaded zip/tar is unpacked into the resource and the first new file is returned. */
  uploadFile: File;
};


export type MutationCreateResourceArgs = {
  format?: InputMaybe<Scalars['String']['input']>;
  label: Scalars['String']['input'];
  parent: Scalars['ID']['input'];
};


export type MutationDeleteFileArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteResourceArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUploadFileArgs = {
  extract?: InputMaybe<Scalars['Boolean']['input']>;
  file: Scalars['Upload']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  overwrite?: InputMaybe<Scalars['Boolean']['input']>;
  parent: Scalars['ID']['input'];
  resource: Scalars['String']['input'];
};

/** An archive object. Its id encodes its XNAT coordinates, so it stays valid as long as the object exists. */
export type Node = {
  id: Scalars['ID']['output'];
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
};

/** An experiment that is not an imaging session (e.g. a clinical assessment); it has no scans. */
export type OtherExperiment = Experiment & Node & {
  __typename?: 'OtherExperiment';
  /** XNAT accession ID, e.g. XNAT_E00001. */
  accessionId: Scalars['String']['output'];
  date?: Maybe<Scalars['Date']['output']>;
  /** Any experiment field. A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). Paths of a session subtype are asked in one request per subtype. */
  field?: Maybe<Scalars['String']['output']>;
  /** Several experiment fields in one go (pyxnat attrs.mget). A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  fields: Array<FieldValue>;
  id: Scalars['ID']['output'];
  insertDate?: Maybe<Scalars['LocalDateTime']['output']>;
  label: Scalars['String']['output'];
  modality?: Maybe<Scalars['String']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  project?: Maybe<Project>;
  resource?: Maybe<Resource>;
  /** Session-level resources (scan resources are under each scan). */
  resources?: Maybe<ResourceConnection>;
  /** A scan by scan ID (pyxnat label, e.g. "2"); null when absent. */
  scan?: Maybe<Scan>;
  scanner?: Maybe<Scalars['String']['output']>;
  /** Scans of the session, optionally only those of one scan type (exact match, e.g. "mprage") or matching `filter` (applied by the gateway: XNAT's scan listing ignores filters). */
  scans?: Maybe<ScanConnection>;
  subject?: Maybe<Subject>;
  time?: Maybe<Scalars['String']['output']>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
  visitId?: Maybe<Scalars['String']['output']>;
  /** XNAT data type, e.g. xnat:mrSessionData. */
  xsiType: Scalars['String']['output'];
};


/** An experiment that is not an imaging session (e.g. a clinical assessment); it has no scans. */
export type OtherExperimentFieldArgs = {
  path: Scalars['String']['input'];
};


/** An experiment that is not an imaging session (e.g. a clinical assessment); it has no scans. */
export type OtherExperimentFieldsArgs = {
  paths: Array<Scalars['String']['input']>;
};


/** An experiment that is not an imaging session (e.g. a clinical assessment); it has no scans. */
export type OtherExperimentResourceArgs = {
  label: Scalars['String']['input'];
};


/** An experiment that is not an imaging session (e.g. a clinical assessment); it has no scans. */
export type OtherExperimentResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** An experiment that is not an imaging session (e.g. a clinical assessment); it has no scans. */
export type OtherExperimentScanArgs = {
  id: Scalars['String']['input'];
};


/** An experiment that is not an imaging session (e.g. a clinical assessment); it has no scans. */
export type OtherExperimentScansArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ScanFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A PET session (xnat:petSessionData). */
export type PetSession = Experiment & Node & {
  __typename?: 'PetSession';
  /** XNAT accession ID, e.g. XNAT_E00001. */
  accessionId: Scalars['String']['output'];
  date?: Maybe<Scalars['Date']['output']>;
  /** Any experiment field. A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). Paths of a session subtype are asked in one request per subtype. */
  field?: Maybe<Scalars['String']['output']>;
  /** Several experiment fields in one go (pyxnat attrs.mget). A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  fields: Array<FieldValue>;
  id: Scalars['ID']['output'];
  insertDate?: Maybe<Scalars['LocalDateTime']['output']>;
  label: Scalars['String']['output'];
  modality?: Maybe<Scalars['String']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  project?: Maybe<Project>;
  resource?: Maybe<Resource>;
  /** Session-level resources (scan resources are under each scan). */
  resources?: Maybe<ResourceConnection>;
  /** A scan by scan ID (pyxnat label, e.g. "2"); null when absent. */
  scan?: Maybe<Scan>;
  scanner?: Maybe<Scalars['String']['output']>;
  /** Scans of the session, optionally only those of one scan type (exact match, e.g. "mprage") or matching `filter` (applied by the gateway: XNAT's scan listing ignores filters). */
  scans?: Maybe<ScanConnection>;
  subject?: Maybe<Subject>;
  time?: Maybe<Scalars['String']['output']>;
  tracer?: Maybe<Scalars['String']['output']>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
  visitId?: Maybe<Scalars['String']['output']>;
  /** XNAT data type, e.g. xnat:mrSessionData. */
  xsiType: Scalars['String']['output'];
};


/** A PET session (xnat:petSessionData). */
export type PetSessionFieldArgs = {
  path: Scalars['String']['input'];
};


/** A PET session (xnat:petSessionData). */
export type PetSessionFieldsArgs = {
  paths: Array<Scalars['String']['input']>;
};


/** A PET session (xnat:petSessionData). */
export type PetSessionResourceArgs = {
  label: Scalars['String']['input'];
};


/** A PET session (xnat:petSessionData). */
export type PetSessionResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A PET session (xnat:petSessionData). */
export type PetSessionScanArgs = {
  id: Scalars['String']['input'];
};


/** A PET session (xnat:petSessionData). */
export type PetSessionScansArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ScanFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
};

/** An XNAT project. */
export type Project = Node & {
  __typename?: 'Project';
  description?: Maybe<Scalars['String']['output']>;
  /** Experiments owned by the project, across its subjects. */
  experiments?: Maybe<ExperimentConnection>;
  /** Any project field. A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  field?: Maybe<Scalars['String']['output']>;
  /** Several project fields in one go (pyxnat attrs.mget). A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  fields: Array<FieldValue>;
  id: Scalars['ID']['output'];
  keywords: Array<Scalars['String']['output']>;
  /** The project ID (what pyxnat calls the label). */
  label: Scalars['String']['output'];
  name?: Maybe<Scalars['String']['output']>;
  /** Principal investigator, first and last name. */
  pi?: Maybe<Scalars['String']['output']>;
  resource?: Maybe<Resource>;
  /** Project-level resources. */
  resources?: Maybe<ResourceConnection>;
  /** The running title. */
  secondaryId?: Maybe<Scalars['String']['output']>;
  /** Counts of the project; the figures of all projects of one request share the same few XNAT requests. */
  stats: ArchiveStats;
  /** A subject by label (or accession ID); null when absent: pyxnat `exists()`. */
  subject?: Maybe<Subject>;
  /** Subjects owned by the project (subjects shared into it from other projects are not listed). */
  subjects?: Maybe<SubjectConnection>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
  /** Whether the caller may delete the project, from `/data/projects?restrict=delete` (one request for all projects). */
  viewerCanDelete: Scalars['Boolean']['output'];
  /** Whether the caller may edit the project, from `/data/projects?restrict=edit` (one request for all projects). */
  viewerCanEdit: Scalars['Boolean']['output'];
};


/** An XNAT project. */
export type ProjectExperimentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExperimentFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** An XNAT project. */
export type ProjectFieldArgs = {
  path: Scalars['String']['input'];
};


/** An XNAT project. */
export type ProjectFieldsArgs = {
  paths: Array<Scalars['String']['input']>;
};


/** An XNAT project. */
export type ProjectResourceArgs = {
  label: Scalars['String']['input'];
};


/** An XNAT project. */
export type ProjectResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** An XNAT project. */
export type ProjectSubjectArgs = {
  label: Scalars['String']['input'];
};


/** An XNAT project. */
export type ProjectSubjectsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SubjectFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of a list. Without `first` or `last`, every item up to 5000; `first` is capped at 5000 too. */
export type ProjectConnection = {
  __typename?: 'ProjectConnection';
  edges: Array<ProjectEdge>;
  nodes: Array<Project>;
  pageInfo: PageInfo;
  /** Number of items in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type ProjectEdge = {
  __typename?: 'ProjectEdge';
  cursor: Scalars['String']['output'];
  node: Project;
};

export type Query = {
  __typename?: 'Query';
  /** Experiments across all readable projects from ONE `/data/experiments` listing (owning projects only), the filter pushed into its query parameters and refined by the gateway. */
  experiments?: Maybe<ExperimentConnection>;
  /** Any object by id; null when it no longer exists or is not visible to the caller. */
  node?: Maybe<Node>;
  /** A project by XNAT project ID; null when absent or not visible (pyxnat's `exists()`). */
  project?: Maybe<Project>;
  /** Every project the caller can read. */
  projects?: Maybe<ProjectConnection>;
  /** Scans across all readable imaging sessions from ONE scan-column join of `/data/experiments` (xnat-rest.md §2.5); both filters are pushed into its query parameters and refined by the gateway. */
  scans?: Maybe<ScanConnection>;
  /** Counts over every project the caller can read. */
  stats: ArchiveStats;
};


export type QueryExperimentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExperimentFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProjectArgs = {
  id: Scalars['String']['input'];
};


export type QueryProjectsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryScansArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  experiments?: InputMaybe<ExperimentFilter>;
  filter?: InputMaybe<ScanFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A resource (folder of files, e.g. DICOM, NIFTI, SNAPSHOTS) of a project, subject, experiment or scan. */
export type Resource = Node & {
  __typename?: 'Resource';
  content?: Maybe<Scalars['String']['output']>;
  /** A zip of all files of the resource, served by the gateway. */
  downloadUrl: Scalars['String']['output'];
  /** A file by its path inside the resource (or by name when unique); null when absent. */
  file?: Maybe<File>;
  /** Number of files (from the file listing when XNAT has not computed it). */
  fileCount: Scalars['Int']['output'];
  files?: Maybe<FileConnection>;
  format?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  label: Scalars['String']['output'];
  /** The project, subject, experiment or scan holding the resource. */
  parent: Node;
  /** XNAT's numeric resource ID (xnat_abstractresource_id). */
  resourceId: Scalars['Int']['output'];
  tags: Array<Scalars['String']['output']>;
  /** Total size of the files in bytes. */
  totalSize: Scalars['SafeInt']['output'];
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
};


/** A resource (folder of files, e.g. DICOM, NIFTI, SNAPSHOTS) of a project, subject, experiment or scan. */
export type ResourceFileArgs = {
  name: Scalars['String']['input'];
};


/** A resource (folder of files, e.g. DICOM, NIFTI, SNAPSHOTS) of a project, subject, experiment or scan. */
export type ResourceFilesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of a list. Without `first` or `last`, every item up to 5000; `first` is capped at 5000 too. */
export type ResourceConnection = {
  __typename?: 'ResourceConnection';
  edges: Array<ResourceEdge>;
  nodes: Array<Resource>;
  pageInfo: PageInfo;
  /** Number of items in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type ResourceEdge = {
  __typename?: 'ResourceEdge';
  cursor: Scalars['String']['output'];
  node: Resource;
};

/** A scan of an imaging session. */
export type Scan = Node & {
  __typename?: 'Scan';
  /** Any scan field, through the experiment listing's scan-column join. A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  field?: Maybe<Scalars['String']['output']>;
  /** Several scan fields in one go (pyxnat attrs.mget). A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  fields: Array<FieldValue>;
  frames?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  /** The scan ID, unique within its session (pyxnat `label()`), e.g. "2". */
  label: Scalars['String']['output'];
  modality?: Maybe<Scalars['String']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  quality?: Maybe<Scalars['String']['output']>;
  /** A resource by label (or numeric resource ID); null when absent. */
  resource?: Maybe<Resource>;
  resources?: Maybe<ResourceConnection>;
  seriesDescription?: Maybe<Scalars['String']['output']>;
  session: Experiment;
  type?: Maybe<Scalars['String']['output']>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
};


/** A scan of an imaging session. */
export type ScanFieldArgs = {
  path: Scalars['String']['input'];
};


/** A scan of an imaging session. */
export type ScanFieldsArgs = {
  paths: Array<Scalars['String']['input']>;
};


/** A scan of an imaging session. */
export type ScanResourceArgs = {
  label: Scalars['String']['input'];
};


/** A scan of an imaging session. */
export type ScanResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of a list. Without `first` or `last`, every item up to 5000; `first` is capped at 5000 too. */
export type ScanConnection = {
  __typename?: 'ScanConnection';
  edges: Array<ScanEdge>;
  nodes: Array<Scan>;
  pageInfo: PageInfo;
  /** Number of items in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type ScanEdge = {
  __typename?: 'ScanEdge';
  cursor: Scalars['String']['output'];
  node: Scan;
};

/** Scans to keep (exact values, each list an OR). On `Query.scans` pushed into the experiment listing's scan-column join (`xnat:imageScanData/type=`, `…/quality=`), which XNAT honours; on `Experiment.scans` applied by the gateway, because XNAT's scan listing ignores filters. */
export type ScanFilter = {
  /** Scan quality, e.g. ["usable"]. */
  qualities?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Scan types, e.g. ["mprage", "T2w"] (exact, case-sensitive). */
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** A subject (participant), labelled within its owning project. */
export type Subject = Node & {
  __typename?: 'Subject';
  /** XNAT accession ID, e.g. XNAT_S00001. */
  accessionId: Scalars['String']['output'];
  age?: Maybe<Scalars['Float']['output']>;
  /** An experiment by label (or accession ID); null when absent. */
  experiment?: Maybe<Experiment>;
  experiments?: Maybe<ExperimentConnection>;
  /** Any subject field. A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  field?: Maybe<Scalars['String']['output']>;
  /** Several subject fields in one go (pyxnat attrs.mget). A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength"). */
  fields: Array<FieldValue>;
  gender?: Maybe<Scalars['String']['output']>;
  group?: Maybe<Scalars['String']['output']>;
  handedness?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  insertDate?: Maybe<Scalars['LocalDateTime']['output']>;
  label: Scalars['String']['output'];
  project?: Maybe<Project>;
  resource?: Maybe<Resource>;
  /** Subject-level resources. */
  resources?: Maybe<ResourceConnection>;
  /** The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels). */
  uri: Scalars['String']['output'];
  /** Year of birth. */
  yob?: Maybe<Scalars['Int']['output']>;
};


/** A subject (participant), labelled within its owning project. */
export type SubjectExperimentArgs = {
  label: Scalars['String']['input'];
};


/** A subject (participant), labelled within its owning project. */
export type SubjectExperimentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExperimentFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A subject (participant), labelled within its owning project. */
export type SubjectFieldArgs = {
  path: Scalars['String']['input'];
};


/** A subject (participant), labelled within its owning project. */
export type SubjectFieldsArgs = {
  paths: Array<Scalars['String']['input']>;
};


/** A subject (participant), labelled within its owning project. */
export type SubjectResourceArgs = {
  label: Scalars['String']['input'];
};


/** A subject (participant), labelled within its owning project. */
export type SubjectResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of a list. Without `first` or `last`, every item up to 5000; `first` is capped at 5000 too. */
export type SubjectConnection = {
  __typename?: 'SubjectConnection';
  edges: Array<SubjectEdge>;
  nodes: Array<Subject>;
  pageInfo: PageInfo;
  /** Number of items in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type SubjectEdge = {
  __typename?: 'SubjectEdge';
  cursor: Scalars['String']['output'];
  node: Subject;
};

/** Subjects to keep; applied by the gateway on the project's subject listing (no extra request). */
export type SubjectFilter = {
  /** Label pattern: without `*` an exact, case-sensitive label; with `*` (any run of characters) a case-insensitive match of the whole label, e.g. `sub-0*`. */
  label?: InputMaybe<Scalars['String']['input']>;
};

export type MprageScansQueryVariables = Exact<{
  project: string;
  type: string;
  resource: string;
  file: string;
}>;


export type MprageScansQuery = { project: { label: string, subjects: { nodes: Array<{ label: string, experiments: { nodes: Array<
            | { label: string, scans: { nodes: Array<{ id: string, label: string, type: string | null, resource: { label: string, file: { id: string, name: string, size: number | null, downloadUrl: string } | null } | null }> } | null }
            | { label: string, scans: { nodes: Array<{ id: string, label: string, type: string | null, resource: { label: string, file: { id: string, name: string, size: number | null, downloadUrl: string } | null } | null }> } | null }
            | { label: string, scans: { nodes: Array<{ id: string, label: string, type: string | null, resource: { label: string, file: { id: string, name: string, size: number | null, downloadUrl: string } | null } | null }> } | null }
            | { label: string, scans: { nodes: Array<{ id: string, label: string, type: string | null, resource: { label: string, file: { id: string, name: string, size: number | null, downloadUrl: string } | null } | null }> } | null }
            | { label: string, scans: { nodes: Array<{ id: string, label: string, type: string | null, resource: { label: string, file: { id: string, name: string, size: number | null, downloadUrl: string } | null } | null }> } | null }
          > } | null }> } | null } | null };

export type UploadResultMutationVariables = Exact<{
  parent: string | number;
  resource: string;
  file: unknown;
  name?: string | null | undefined;
  overwrite?: boolean | null | undefined;
}>;


export type UploadResultMutation = { uploadFile: { id: string, name: string, size: number | null, uri: string } };

export type CheckFileQueryVariables = Exact<{
  id: string | number;
}>;


export type CheckFileQuery = { node:
    | { name: string, size: number | null }
    | Record<PropertyKey, never>
   | null };


export const MprageScansDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MprageScans"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"type"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resource"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"file"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"project"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"subjects"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"experiments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"scans"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"type"},"value":{"kind":"Variable","name":{"kind":"Name","value":"type"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"label"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resource"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"file"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"file"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MprageScansQuery, MprageScansQueryVariables>;
export const UploadResultDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UploadResult"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"parent"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resource"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"file"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Upload"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"overwrite"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadFile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"parent"},"value":{"kind":"Variable","name":{"kind":"Name","value":"parent"}}},{"kind":"Argument","name":{"kind":"Name","value":"resource"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resource"}}},{"kind":"Argument","name":{"kind":"Name","value":"file"},"value":{"kind":"Variable","name":{"kind":"Name","value":"file"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"overwrite"},"value":{"kind":"Variable","name":{"kind":"Name","value":"overwrite"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"uri"}}]}}]}}]} as unknown as DocumentNode<UploadResultMutation, UploadResultMutationVariables>;
export const CheckFileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CheckFile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"File"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}}]}}]}}]}}]} as unknown as DocumentNode<CheckFileQuery, CheckFileQueryVariables>;