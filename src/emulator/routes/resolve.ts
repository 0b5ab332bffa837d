import type { User } from '../auth.js';
import { isA } from '../datatypes.js';
import type { ExperimentRecord, ProjectRecord, ResourceParent, ScanRecord, SubjectRecord } from '../model.js';
import { canRead } from '../permissions.js';
import { HttpError } from '../responses.js';
import type { Archive } from '../store.js';
import type { Step } from './path.js';

/** An archive object named by a URL, with the records above it. */
export interface Owner {
  kind: 'project' | 'subject' | 'experiment' | 'scan';
  project: ProjectRecord;
  subject?: SubjectRecord;
  experiment?: ExperimentRecord;
  scan?: ScanRecord;
}

export function resourceParent(owner: Owner): ResourceParent {
  switch (owner.kind) {
    case 'project':
      return { kind: 'project', project: owner.project.id };
    case 'subject':
      return { kind: 'subject', subjectId: owner.subject!.id };
    case 'experiment':
      return { kind: 'experiment', experimentId: owner.experiment!.id };
    case 'scan':
      return { kind: 'scan', experimentId: owner.experiment!.id, scanId: owner.scan!.id };
  }
}

/** `[SLASH]` and `[COMMA]` stand for characters a scan type cannot carry in a path segment. */
function scanTypeToken(token: string): string {
  return token.replace(/\[SLASH\]/g, '/').replace(/\[COMMA\]/g, ',');
}

/** XNATTemplate's scan matching: ALL/*, or each token equal to the scan ID or its type. */
function matchScans(scans: ScanRecord[], spec: string, multi: boolean): ScanRecord[] {
  if (!multi) return scans.filter((s) => s.id === spec);
  if (spec === 'ALL' || spec === '*') return scans;
  const tokens = spec.split(',').map(scanTypeToken);
  return scans.filter((s) =>
    tokens.some((t) => s.id === t || s.fields.type === t || (t === 'NULL' && !s.fields.type)),
  );
}

/**
 * Resolves the URL steps that carry an element into the objects they name. `multi` (GET only)
 * allows comma lists of sessions and ALL/list/type scans; otherwise exactly one object must
 * match. Unreadable projects are "not found", as XNAT answers them.
 */
export class Resolver {
  constructor(
    private readonly archive: Archive,
    private readonly user: User,
  ) {}

  project(id: string): ProjectRecord {
    const project = this.archive.projects.get(id);
    if (!project || !canRead(this.user, project)) throw new HttpError(404, `Unable to identify project ${id}`);
    return project;
  }

  readable(projectId: string): ProjectRecord | undefined {
    const project = this.archive.projects.get(projectId);
    return project && canRead(this.user, project) ? project : undefined;
  }

  owners(steps: Step[], multi: boolean): Owner[] {
    let owners: Owner[] = [];
    for (const step of steps) {
      if (step.id === undefined || step.level === 'resources' || step.level === 'files') break;
      owners = this.#narrow(owners, step, step.id, multi);
    }
    return owners;
  }

  /** The single object a write addresses: non-GET methods need exactly one match, else 404. */
  one(steps: Step[]): Owner {
    const [owner] = this.owners(steps, false);
    if (!owner) throw new HttpError(404, 'Not found');
    return owner;
  }

  #narrow(owners: Owner[], step: Step, id: string, multi: boolean): Owner[] {
    const parent = owners[0];
    switch (step.level) {
      case 'projects':
        return [{ kind: 'project', project: this.project(id) }];
      case 'subjects': {
        const subject = parent
          ? this.archive.findSubject(parent.project.id, id)
          : this.archive.subjects.get(id);
        const project = subject && this.readable(subject.project);
        if (!subject || !project) throw new HttpError(404, `Unable to identify subject ${id}`);
        return [{ kind: 'subject', project, subject }];
      }
      case 'experiments': {
        const found = (multi ? id.split(',') : [id]).flatMap((token) => {
          const experiment = parent
            ? this.archive.findExperiment(parent.project.id, parent.subject?.id, token)
            : this.archive.experiments.get(token);
          const project = experiment && this.readable(experiment.project);
          if (!experiment || !project) return [];
          const subject = this.archive.subjects.get(experiment.subjectId);
          return [{ kind: 'experiment' as const, project, experiment, ...(subject ? { subject } : {}) }];
        });
        if (found.length === 0) throw new HttpError(404, `Unable to identify experiment ${id}`);
        return found;
      }
      case 'scans': {
        const found = owners.flatMap((owner) => {
          const experiment = owner.experiment!;
          if (!isA(experiment.xsiType, 'xnat:imageSessionData')) return [];
          return matchScans(this.archive.scansOf(experiment.id), id, multi).map((scan) => ({
            ...owner,
            kind: 'scan' as const,
            scan,
          }));
        });
        if (found.length === 0 || (!multi && found.length > 1)) throw new HttpError(404, `Unable to identify scan ${id}`);
        return found;
      }
      default:
        throw new HttpError(404, 'Not found');
    }
  }
}
