import { unreachable } from '../levels.js';
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
  ReconstructionRef,
  ReconstructionRow,
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
  kind: 'project';
}
export interface Subject extends SubjectRow {
  kind: 'subject';
}
export interface Experiment extends ExperimentRow {
  kind: 'experiment';
}
export interface Scan extends ScanRow {
  kind: 'scan';
  session: Experiment;
}
/** An image assessor of a session, reached through that session. */
export interface Assessor extends AssessorRow {
  kind: 'assessor';
  session: Experiment;
}
/** A reconstruction of an image session, reached through that session. */
export interface Reconstruction extends ReconstructionRow {
  kind: 'reconstruction';
  session: Experiment;
}
export type ResourceOwner = Project | Subject | Experiment | Scan | Assessor | Reconstruction;
export interface Resource extends ResourceRow {
  kind: 'resource';
  owner: ResourceOwner;
}
export interface ArchiveFile extends FileRow {
  kind: 'file';
  resource: Resource;
}
export type ArchiveObject = ResourceOwner | Resource | ArchiveFile;

export const project = (row: ProjectRow): Project => ({ ...row, kind: 'project' });
export const subject = (row: SubjectRow): Subject => ({ ...row, kind: 'subject' });
export const experiment = (row: ExperimentRow): Experiment => ({ ...row, kind: 'experiment' });
export const scan = (session: Experiment, row: ScanRow): Scan => ({ ...row, kind: 'scan', session });
export const assessor = (session: Experiment, row: AssessorRow): Assessor => ({ ...row, kind: 'assessor', session });
export const reconstruction = (session: Experiment, row: ReconstructionRow): Reconstruction => ({
  ...row,
  kind: 'reconstruction',
  session,
});
export const resource = (owner: ResourceOwner, row: ResourceRow): Resource => ({ ...row, kind: 'resource', owner });
export const archiveFile = (parent: Resource, row: FileRow): ArchiveFile => ({ ...row, kind: 'file', resource: parent });

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
export function reconstructionRef(r: Reconstruction): ReconstructionRef {
  return { ...experimentRef(r.session), reconstruction: r.id };
}
export function ownerRef(owner: ResourceOwner): OwnerRef {
  switch (owner.kind) {
    case 'project':
      return { kind: owner.kind, ...projectRef(owner) };
    case 'subject':
      return { kind: owner.kind, ...subjectRef(owner) };
    case 'experiment':
      return { kind: owner.kind, ...experimentRef(owner) };
    case 'scan':
      return { kind: owner.kind, ...scanRef(owner) };
    case 'assessor':
      return { kind: owner.kind, ...assessorRef(owner) };
    case 'reconstruction':
      return { kind: owner.kind, ...reconstructionRef(owner) };
    default:
      return unreachable(owner);
  }
}
/** The project whose permissions govern writes under the owner (for a project, itself). */
export function projectOf(owner: ResourceOwner): string {
  switch (owner.kind) {
    case 'project':
      return owner.id;
    case 'scan':
    case 'reconstruction':
      return owner.session.project;
    case 'subject':
    case 'experiment':
    case 'assessor':
      return owner.project;
    default:
      return unreachable(owner);
  }
}
/**
 * The data type XNAT checks a write into the owner's resources against: a scan's or a
 * reconstruction's is its session's (XNATTemplate.getSecurityItem).
 */
export function securedTypeOf(owner: Exclude<ResourceOwner, Project>): string {
  switch (owner.kind) {
    case 'subject':
      return 'xnat:subjectData';
    case 'scan':
    case 'reconstruction':
      return owner.session.xsiType;
    case 'experiment':
    case 'assessor':
      return owner.xsiType;
    default:
      return unreachable(owner);
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
    case 'project':
      return labelUri({ project: object.id });
    case 'subject':
      return labelUri({ project: object.project, subjectLabel: object.label });
    case 'experiment':
      return labelUri({ project: object.project, subjectLabel: object.subjectLabel ?? object.subjectId, experimentLabel: object.label });
    case 'scan':
      return `${uriOf(object.session)}/scans/${encodeURIComponent(object.id)}`;
    case 'assessor':
      return `${uriOf(object.session)}/assessors/${encodeURIComponent(object.label)}`;
    case 'reconstruction':
      return `${uriOf(object.session)}/reconstructions/${encodeURIComponent(object.id)}`;
    case 'resource':
      // pyxnat reaches a reconstruction's resources as `out_resources` only (`…/out/resources/…`).
      return resourceUri(object.owner.kind === 'reconstruction' ? `${uriOf(object.owner)}/out` : uriOf(object.owner), object.label);
    case 'file':
      return fileUri(uriOf(object.resource), object.path);
    default:
      return unreachable(object);
  }
}
