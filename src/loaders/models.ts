import { fileUri, labelUri, resourceUri } from '../xnat/paths.js';
import type {
  AssessorRef,
  AssessorRow,
  ExperimentRef,
  ExperimentRow,
  FileRef,
  FileRow,
  OwnerRef,
  ProjectRef,
  ProjectRow,
  ResourceRef,
  ResourceRow,
  ScanRef,
  ScanRow,
  SubjectRef,
  SubjectRow,
} from '../xnat/records.js';

/**
 * The objects the schema serves: archive records plus the parents they were reached through,
 * so that `uri`, ids and child lookups need no further request.
 */
export interface Project extends ProjectRow {
  kind: 'Project';
}
export interface Subject extends SubjectRow {
  kind: 'Subject';
}
export interface Experiment extends ExperimentRow {
  kind: 'Experiment';
}
export interface Scan extends ScanRow {
  kind: 'Scan';
  session: Experiment;
}
/** An image assessor of a session, reached through that session. */
export interface Assessor extends AssessorRow {
  kind: 'Assessor';
  session: Experiment;
}
export type ResourceOwner = Project | Subject | Experiment | Scan | Assessor;
export interface Resource extends ResourceRow {
  kind: 'Resource';
  owner: ResourceOwner;
}
export interface ArchiveFile extends FileRow {
  kind: 'File';
  resource: Resource;
}
export type ArchiveObject = ResourceOwner | Resource | ArchiveFile;

export const project = (row: ProjectRow): Project => ({ ...row, kind: 'Project' });
export const subject = (row: SubjectRow): Subject => ({ ...row, kind: 'Subject' });
export const experiment = (row: ExperimentRow): Experiment => ({ ...row, kind: 'Experiment' });
export const scan = (session: Experiment, row: ScanRow): Scan => ({ ...row, kind: 'Scan', session });
export const assessor = (session: Experiment, row: AssessorRow): Assessor => ({ ...row, kind: 'Assessor', session });
export const resource = (owner: ResourceOwner, row: ResourceRow): Resource => ({ ...row, kind: 'Resource', owner });
export const archiveFile = (parent: Resource, row: FileRow): ArchiveFile => ({ ...row, kind: 'File', resource: parent });

// ---- coordinates ---------------------------------------------------------------------------

export function projectRef(p: Project): ProjectRef {
  return { project: p.id };
}
export function subjectRef(s: Subject): SubjectRef {
  return { project: s.project, subject: s.id };
}
export function experimentRef(e: Experiment): ExperimentRef {
  return { project: e.project, subject: e.subjectId, experiment: e.id };
}
export function scanRef(s: Scan): ScanRef {
  return { ...experimentRef(s.session), scan: s.id };
}
export function assessorRef(a: Assessor): AssessorRef {
  return { ...experimentRef(a.session), assessor: a.id };
}
export function ownerRef(owner: ResourceOwner): OwnerRef {
  switch (owner.kind) {
    case 'Project':
      return { kind: 'project', ...projectRef(owner) };
    case 'Subject':
      return { kind: 'subject', ...subjectRef(owner) };
    case 'Experiment':
      return { kind: 'experiment', ...experimentRef(owner) };
    case 'Scan':
      return { kind: 'scan', ...scanRef(owner) };
    case 'Assessor':
      return { kind: 'assessor', ...assessorRef(owner) };
  }
}
export function resourceRef(r: Resource): ResourceRef {
  return { owner: ownerRef(r.owner), label: r.label };
}
export function fileRef(f: ArchiveFile): FileRef {
  return { resource: resourceRef(f.resource), path: f.path };
}

// ---- pyxnat's _uri (labels from the project down) ------------------------------------------

export function uriOf(object: ArchiveObject): string {
  switch (object.kind) {
    case 'Project':
      return labelUri({ project: object.id });
    case 'Subject':
      return labelUri({ project: object.project, subjectLabel: object.label });
    case 'Experiment':
      return labelUri({ project: object.project, subjectLabel: object.subjectLabel ?? object.subjectId, experimentLabel: object.label });
    case 'Scan':
      return `${uriOf(object.session)}/scans/${encodeURIComponent(object.id)}`;
    case 'Assessor':
      return `${uriOf(object.session)}/assessors/${encodeURIComponent(object.label)}`;
    case 'Resource':
      return resourceUri(uriOf(object.owner), object.label);
    case 'File':
      return fileUri(uriOf(object.resource), object.path);
  }
}
