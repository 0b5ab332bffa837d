import type { ExperimentRecord, ProjectRecord, ReconstructionRecord, ResourceParent, ScanRecord, SubjectRecord } from './model.js';
import { HttpError } from './responses.js';

interface Reached {
  /** The owning project (of the subject or experiment; the project itself). */
  project: ProjectRecord;
  /** The project the URL went through (`/projects/{p}/…`), which may hold the object by sharing. */
  context?: ProjectRecord;
}

/**
 * An archive object named by a URL, with the records above it. Each kind carries exactly the
 * records it has; a session reached by its ID alone may lack its subject.
 */
export type Owner =
  | (Reached & {
      kind: 'project';
      subject?: undefined;
      experiment?: undefined;
      scan?: undefined;
      assessor?: undefined;
      reconstruction?: undefined;
    })
  | (Reached & {
      kind: 'subject';
      subject: SubjectRecord;
      experiment?: undefined;
      scan?: undefined;
      assessor?: undefined;
      reconstruction?: undefined;
    })
  | (Reached & {
      kind: 'experiment';
      subject?: SubjectRecord;
      experiment: ExperimentRecord;
      scan?: undefined;
      assessor?: undefined;
      reconstruction?: undefined;
    })
  | (Reached & {
      kind: 'scan';
      subject?: SubjectRecord;
      experiment: ExperimentRecord;
      scan: ScanRecord;
      assessor?: undefined;
      reconstruction?: undefined;
    })
  /** An image assessor; `experiment` is the session it assesses. */
  | (Reached & {
      kind: 'assessor';
      subject?: SubjectRecord;
      experiment: ExperimentRecord;
      scan?: undefined;
      assessor: ExperimentRecord;
      reconstruction?: undefined;
    })
  /** A reconstruction of the session `experiment`. */
  | (Reached & {
      kind: 'reconstruction';
      subject?: SubjectRecord;
      experiment: ExperimentRecord;
      scan?: undefined;
      assessor?: undefined;
      reconstruction: ReconstructionRecord;
      /** Reached through `/in/…`: its input resources, which the emulator does not hold. */
      inputs?: true;
    });

export type OwnerOf<K extends Owner['kind']> = Extract<Owner, { kind: K }>;

/** An owner of the kind the URL named; the path grammar allows no other, so anything else is not found. */
export function ownerOf<K extends Owner['kind']>(owner: Owner | undefined, kind: K): OwnerOf<K> {
  if (owner?.kind !== kind) throw new HttpError(404, 'Not found');
  return owner as OwnerOf<K>;
}

export function resourceParent(owner: Owner): ResourceParent {
  switch (owner.kind) {
    case 'project':
      return { kind: 'project', project: owner.project.id };
    case 'subject':
      return { kind: 'subject', subjectId: owner.subject.id };
    case 'experiment':
      return { kind: 'experiment', experimentId: owner.experiment.id };
    case 'scan':
      return { kind: 'scan', experimentId: owner.experiment.id, scanId: owner.scan.id };
    case 'assessor':
      return { kind: 'assessor', assessorId: owner.assessor.id };
    case 'reconstruction':
      return { kind: 'reconstruction', experimentId: owner.experiment.id, reconstructionId: owner.reconstruction.id };
  }
}
