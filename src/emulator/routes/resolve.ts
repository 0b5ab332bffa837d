import type { User } from '../auth.js';
import { isA } from '../datatypes.js';
import type { ExperimentRecord, ProjectRecord, ReconstructionRecord, ScanRecord, SubjectRecord } from '../model.js';
import { type Owner, type OwnerOf, ownerOf } from '../owners.js';
import { canReadItem, canSeeProject } from '../permissions.js';
import { HttpError, NoReadableElement } from '../responses.js';
import type { Archive } from '../store.js';
import type { Step } from './path.js';

/** `[SLASH]` and `[COMMA]` stand for characters a scan type cannot carry in a path segment. */
function scanTypeToken(token: string): string {
  return token.replace(/\[SLASH\]/g, '/').replace(/\[COMMA\]/g, ',');
}

/** XNATTemplate's test of a token against a scan or reconstruction: its ID, its type, or `NULL` for none. */
function namedBy(record: ScanRecord | ReconstructionRecord, token: string): boolean {
  return record.id === token || record.fields.type === token || (token === 'NULL' && !record.fields.type);
}

/** XNATTemplate's scan matching: ALL/*, or each token equal to the scan ID or its type. */
function matchScans(scans: ScanRecord[], spec: string, multi: boolean): ScanRecord[] {
  if (!multi) return scans.filter((s) => s.id === spec);
  if (spec === 'ALL' || spec === '*') return scans;
  const tokens = spec.split(',').map(scanTypeToken);
  return scans.filter((s) => tokens.some((t) => namedBy(s, t)));
}

/**
 * XNATTemplate's reconstruction matching (session-scoped): ALL/*, else each comma-separated token
 * equal to the reconstruction's ID or its type (`NULL`: no type).
 */
function matchReconstructions(reconstructions: ReconstructionRecord[], spec: string, multi: boolean): ReconstructionRecord[] {
  if (multi && (spec === 'ALL' || spec === '*')) return reconstructions;
  const tokens = multi ? spec.split(',').map((t) => t.replace(/\[COMMA\]/g, ',')) : [spec];
  return reconstructions.filter((r) => tokens.some((t) => namedBy(r, t)));
}

/**
 * Resolves the URL steps that carry an element into the objects they name. `multi` (GET only)
 * allows comma lists of sessions and ALL/list/type scans; otherwise exactly one object must
 * match. Projects the user cannot see and objects they cannot read are "not found", as XNAT
 * answers them; a protected project is seen, its subjects and sessions are not read.
 */
export class Resolver {
  constructor(
    private readonly archive: Archive,
    private readonly user: User,
  ) {}

  project(id: string): ProjectRecord {
    const project = this.archive.projects.get(id);
    if (!project || !canSeeProject(this.user, project)) throw new HttpError(404, `Unable to identify project ${id}`);
    return project;
  }

  /** The owning project of a subject or experiment the user may read, else undefined. */
  readable(record: SubjectRecord | ExperimentRecord): ProjectRecord | undefined {
    const owning = this.archive.projects.get(record.project);
    const sharedInto = (record.shares ?? []).flatMap((s) => this.archive.projects.get(s.project) ?? []);
    return owning && canReadItem(this.user, owning, sharedInto) ? owning : undefined;
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

  /**
   * The object a URL addresses itself (its GET, PUT or DELETE), as `one` finds it — except that a
   * reconstruction is found by its ID alone: ReconResource looks it up with
   * `getXnatReconstructedimagedatasById`, where XNATTemplate, under its resources, matches the
   * type too.
   */
  object(steps: Step[]): Owner {
    const owner = this.one(steps);
    if (owner.kind === 'reconstruction' && owner.reconstruction.id !== steps[steps.length - 1]!.id) {
      throw new HttpError(404, 'Unable to find the specified reconstruction.');
    }
    return owner;
  }

  #narrow(owners: Owner[], step: Step, id: string, multi: boolean): Owner[] {
    const parent = owners[0];
    switch (step.level) {
      case 'projects': {
        const project = this.project(id);
        return [{ kind: 'project', project, context: project }];
      }
      case 'subjects': {
        const context = parent?.context;
        const subject = context ? this.archive.findSubject(context.id, id) : this.archive.subjects.get(id);
        const project = subject && this.readable(subject);
        if (!subject || !project) throw new HttpError(404, `Unable to identify subject ${id}`);
        return [{ kind: 'subject', project, subject, ...(context ? { context } : {}) }];
      }
      case 'experiments': {
        const context = parent?.context;
        const found = (multi ? id.split(',') : [id]).flatMap((token) => {
          const experiment = context
            ? this.archive.findExperiment(context.id, parent?.subject?.id, token)
            : this.archive.experiments.get(token);
          const project = experiment && this.readable(experiment);
          if (!experiment || !project) return [];
          const subject = this.archive.subjects.get(experiment.subjectId);
          return [{ kind: 'experiment' as const, project, experiment, ...(subject ? { subject } : {}), ...(context ? { context } : {}) }];
        });
        if (found.length === 0) throw new NoReadableElement(`Unable to identify experiment ${id}`);
        return found;
      }
      case 'scans': {
        // Only sessions have scans (the path grammar puts `scans` under `experiments` alone).
        const found = owners.flatMap((owner) => {
          if (owner.kind !== 'experiment') return [];
          const experiment = owner.experiment;
          if (!isA(experiment.xsiType, 'xnat:imageSessionData')) return [];
          return matchScans(this.archive.scansOf(experiment.id), id, multi).map((scan) => ({
            ...owner,
            kind: 'scan' as const,
            scan,
          }));
        });
        if (found.length === 0 || (!multi && found.length > 1)) throw new NoReadableElement(`Unable to identify scan ${id}`);
        return found;
      }
      case 'reconstructions': {
        // Only image sessions have reconstructions; each token is looked up within the URL's sessions.
        const found = owners.flatMap((owner) => {
          if (owner.kind !== 'experiment' || !isA(owner.experiment.xsiType, 'xnat:imageSessionData')) return [];
          return matchReconstructions(this.archive.reconstructionsOf(owner.experiment.id), id, multi).map((reconstruction) => ({
            ...owner,
            kind: 'reconstruction' as const,
            reconstruction,
            ...(step.resourceType === 'in' ? { inputs: true as const } : {}),
          }));
        });
        if (found.length === 0 || (!multi && found.length > 1)) throw new NoReadableElement(`Unable to identify reconstruction ${id}`);
        return found;
      }
      case 'assessors': {
        const found = multi ? id.split(',').flatMap((token) => this.#assessors(owners, token)) : this.#assessors(owners, id);
        const unique = [...new Map(found.map((o) => [o.assessor.id, o])).values()];
        if (unique.length === 0 || (!multi && unique.length > 1)) throw new HttpError(404, `Unable to identify experiment ${id}`);
        return unique;
      }
      default:
        throw new HttpError(404, 'Not found');
    }
  }

  /**
   * XNATTemplate's EXPT_ID under `assessors`: an experiment accession ID anywhere (or a label in
   * the URL's project), else the assessed sessions' assessors by ID, label, `ALL`/`*` or data type.
   */
  #assessors(owners: Owner[], token: string): OwnerOf<'assessor'>[] {
    const context = owners[0]?.context;
    const direct = this.archive.experiments.get(token) ?? (context ? this.archive.findExperiment(context.id, undefined, token) : undefined);
    const candidates = direct
      ? [direct]
      : owners.flatMap((owner) =>
          this.archive
            .assessorsOf(ownerOf(owner, 'experiment').experiment.id)
            .filter(
              (a) =>
                a.label === token ||
                token === 'ALL' ||
                token === '*' ||
                a.xsiType.toLowerCase() === token.toLowerCase() ||
                isA(a.xsiType, token),
            ),
        );
    return candidates.flatMap((assessor) => {
      const project = this.readable(assessor);
      const session = assessor.sessionId === undefined ? undefined : this.archive.experiments.get(assessor.sessionId);
      if (!project || !session) return [];
      const subject = this.archive.subjects.get(session.subjectId);
      return [
        {
          kind: 'assessor' as const,
          project,
          experiment: session,
          assessor,
          ...(subject ? { subject } : {}),
          ...(context ? { context } : {}),
        },
      ];
    });
  }
}
