import { type SessionChildLevel, unreachable } from '../levels.js';
import type { XnatArchive } from '../xnat/archive.js';
import type {
  AssessorRef,
  AssessorRow,
  ExperimentRef,
  FileRef,
  OwnerRef,
  ProjectRef,
  ReconstructionRef,
  ReconstructionRow,
  ResourceRef,
  ScanRef,
  SubjectRef,
} from '../xnat/records.js';
import { ExperimentLoaders } from './experiments.js';
import { FieldLoaders } from './fields.js';
import {
  assessor,
  type ArchiveFile,
  type Assessor,
  type Experiment,
  type Project,
  reconstruction,
  type Reconstruction,
  type Resource,
  type ResourceOwner,
  type Scan,
  type Subject,
} from './models.js';
import type { LoaderOptions } from './options.js';
import { PermissionLoaders } from './permissions.js';
import { ProjectLoaders } from './projects.js';
import { ResourceLoaders } from './resources.js';
import { ScanLoaders } from './scans.js';
import { SessionChildren } from './session-children.js';
import { SearchLoaders } from './search.js';
import { StatsLoaders } from './stats.js';
import { SubjectLoaders } from './subjects.js';

export type { LoaderOptions } from './options.js';

/** All loaders of one GraphQL request: one module per archive level, then search, stats, fields and permissions. */
export class ArchiveLoaders {
  readonly projects: ProjectLoaders;
  readonly subjects: SubjectLoaders;
  readonly experiments: ExperimentLoaders;
  readonly scans: ScanLoaders;
  readonly resources: ResourceLoaders;
  readonly assessors: SessionChildren<AssessorRow, Assessor>;
  readonly reconstructions: SessionChildren<ReconstructionRow, Reconstruction>;
  /** Filtered site-wide listings. */
  readonly search: SearchLoaders;
  /** The listings behind the aggregates. */
  readonly stats: StatsLoaders;
  /** Any field of any object by path. */
  readonly fields: FieldLoaders;
  /** The caller's rights per project. */
  readonly permissions: PermissionLoaders;

  constructor(archive: XnatArchive, options: LoaderOptions) {
    this.search = new SearchLoaders(archive, options);
    this.stats = new StatsLoaders(archive, options);
    this.fields = new FieldLoaders(archive, options);
    this.permissions = new PermissionLoaders(archive, options);
    this.projects = new ProjectLoaders(archive, options);
    this.subjects = new SubjectLoaders(archive, options, this.search);
    this.experiments = new ExperimentLoaders(archive, options, this.search);
    this.scans = new ScanLoaders(archive, options);
    this.assessors = new SessionChildren('assessors', options, (sessions) => archive.assessorsOfSessions(sessions), assessor);
    this.reconstructions = new SessionChildren(
      'reconstructions',
      options,
      (sessions) => archive.reconstructionsOfSessions(sessions),
      reconstruction,
    );
    this.resources = new ResourceLoaders(archive, options, (level, session) => this.childIdsOf(level, session));
  }

  // Finding objects again from their coordinates (node ids), through the same list loaders.

  project(ref: ProjectRef): Promise<Project | null> {
    return this.projects.project(ref.project);
  }

  async subject(ref: SubjectRef): Promise<Subject | null> {
    return (await this.subjects.subjectsOf(ref.project)).find((s) => s.id === ref.subject) ?? null;
  }

  async experiment(ref: ExperimentRef): Promise<Experiment | null> {
    // Most subjects are listed in their owning project: try that first (no subject lookup), then
    // the subject as listed in the project, which may hold it by sharing.
    const asOwned = { id: ref.subject, project: ref.project, ownerProject: ref.project };
    // An id naming another project must not find the experiment.
    const find = (list: Experiment[]) => list.find((e) => e.id === ref.experiment && e.project === ref.project) ?? null;
    const owned = find(await this.experiments.experimentsOfSubject(asOwned));
    if (owned) return owned;
    const subject = await this.subject(ref);
    if (!subject || subject.ownerProject === ref.project) return null;
    return find(await this.experiments.experimentsOfSubject(subject));
  }

  async scan(ref: ScanRef): Promise<Scan | null> {
    const session = await this.experiment(ref);
    return session && this.scans.scanOf(session, ref.scan);
  }

  async assessor(ref: AssessorRef): Promise<Assessor | null> {
    const session = await this.experiment(ref);
    return session && this.assessors.byId(session, ref.assessor);
  }

  async reconstruction(ref: ReconstructionRef): Promise<Reconstruction | null> {
    const session = await this.experiment(ref);
    return session && this.reconstructions.byId(session, ref.reconstruction);
  }

  /** IDs of a session's children of a level, to attribute their resources. */
  private childIdsOf(level: SessionChildLevel, session: string): Promise<string[]> {
    switch (level) {
      case 'scan':
        return this.scans.scanIdsOf(session);
      case 'assessor':
        return this.assessors.idsOf(session);
      case 'reconstruction':
        return this.reconstructions.idsOf(session);
      default:
        return unreachable(level);
    }
  }

  owner(ref: OwnerRef): Promise<ResourceOwner | null> {
    switch (ref.kind) {
      case 'project':
        return this.project(ref);
      case 'subject':
        return this.subject(ref);
      case 'experiment':
        return this.experiment(ref);
      case 'scan':
        return this.scan(ref);
      case 'assessor':
        return this.assessor(ref);
      case 'reconstruction':
        return this.reconstruction(ref);
      default:
        return unreachable(ref);
    }
  }

  async resource(ref: ResourceRef): Promise<Resource | null> {
    const owner = await this.owner(ref.owner);
    if (!owner) return null;
    return (await this.resources.resourcesOf(owner)).find((r) => r.label === ref.label) ?? null;
  }

  async file(ref: FileRef): Promise<ArchiveFile | null> {
    const parent = await this.resource(ref.resource);
    if (!parent) return null;
    return (await this.resources.filesOf(parent)).find((f) => f.path === ref.path) ?? null;
  }
}
