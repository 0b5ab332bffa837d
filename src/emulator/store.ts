import type { Readable } from 'node:stream';
import { measureSource, openSource } from './dataset-bytes.js';
import { largest } from './datasets/generate.js';
import type {
  BlobStore,
  Dataset,
  ExperimentRecord,
  FileRecord,
  FileSeries,
  FileSource,
  ProjectRecord,
  ReconstructionRecord,
  ResourceParent,
  ResourceRecord,
  ScanRecord,
  SubjectRecord,
} from './model.js';

export interface StoredFile extends FileRecord {
  modified: Date;
  /** Dataset files keep their generator and no blob (`blobKey` is empty). */
  source?: FileSource;
}

function parentKey(parent: ResourceParent): string {
  switch (parent.kind) {
    case 'project':
      return `project:${parent.project}`;
    case 'subject':
      return `subject:${parent.subjectId}`;
    case 'experiment':
      return `experiment:${parent.experimentId}`;
    case 'scan':
      return `scan:${parent.experimentId}/${parent.scanId}`;
    case 'assessor':
      return `assessor:${parent.assessorId}`;
    case 'reconstruction':
      return `reconstruction:${parent.experimentId}/${parent.reconstructionId}`;
  }
}

/** Whether the subject or experiment is owned by or shared into the project. */
export function isIn(record: SubjectRecord | ExperimentRecord, projectId: string): boolean {
  return record.project === projectId || (record.shares ?? []).some((share) => share.project === projectId);
}

/** The label an object has in a project: its share label there when it has one, else its own. */
export function labelIn(record: SubjectRecord | ExperimentRecord, projectId: string): string {
  if (record.project === projectId) return record.label;
  const share = (record.shares ?? []).find((s) => s.project === projectId);
  return share?.label || record.label;
}

/** XNAT's `insert_date` text: the JDBC timestamp's toString(). */
export function timestampText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function trailingNumber(id: string): number {
  const match = /(\d+)$/.exec(id);
  return match?.[1] ? Number(match[1]) : 0;
}

/** Accession IDs continue the dataset's numbering in XNAT's `XNAT_S00001` style. */
class AccessionCounter {
  #last: number;
  constructor(
    private readonly prefix: string,
    existing: Iterable<string>,
  ) {
    this.#last = largest([...existing].map(trailingNumber));
  }
  next(taken: (id: string) => boolean): string {
    let id: string;
    do id = `${this.prefix}${String(++this.#last).padStart(5, '0')}`;
    while (taken(id));
    return id;
  }
}

/**
 * The in-memory archive: records of a Dataset plus file bytes in a BlobStore, with the lookups
 * XNAT's URL segments need and the mutations its writes perform (children go with parents).
 */
export class Archive {
  readonly projects = new Map<string, ProjectRecord>();
  readonly subjects = new Map<string, SubjectRecord>();
  readonly experiments = new Map<string, ExperimentRecord>();
  readonly #scans = new Map<string, Map<string, ScanRecord>>();
  readonly #reconstructions = new Map<string, Map<string, ReconstructionRecord>>();
  readonly #resources = new Map<number, ResourceRecord>();
  readonly #resourcesByParent = new Map<string, Set<number>>();
  readonly #files = new Map<number, Map<string, StoredFile>>();
  /** Resources whose files are a series (site:SCALE): one record for the whole resource. */
  readonly #series = new Map<number, FileSeries>();
  readonly #loadedAt = new Date();
  #subjectIds!: AccessionCounter;
  #experimentIds!: AccessionCounter;
  #lastScanDbId = 0;
  #lastReconstructionDbId = 0;
  #lastResourceDbId = 0;

  private constructor(readonly blobs: BlobStore) {}

  static async load(dataset: Dataset, blobs: BlobStore): Promise<Archive> {
    const archive = new Archive(blobs);
    for (const p of dataset.projects) archive.projects.set(p.id, p);
    for (const s of dataset.subjects) archive.subjects.set(s.id, s);
    for (const e of [...dataset.experiments, ...(dataset.assessors ?? [])]) archive.experiments.set(e.id, e);
    for (const scan of dataset.scans) archive.#addScan(scan);
    for (const recon of dataset.reconstructions ?? []) archive.#addReconstruction(recon);
    for (const r of dataset.resources) archive.#addResource(r);
    archive.#subjectIds = new AccessionCounter('XNAT_S', archive.subjects.keys());
    archive.#experimentIds = new AccessionCounter('XNAT_E', archive.experiments.keys());
    for (const series of dataset.series ?? []) archive.#series.set(series.resourceDbId, series);
    for (const { source, ...record } of dataset.files) {
      const { size, digest } = await measureSource(source);
      archive.#put({ ...record, size, digest, blobKey: '', source });
    }
    return archive;
  }

  // ---- lookups -------------------------------------------------------------------------

  /** Subjects the project owns. */
  subjectsOf(projectId: string): SubjectRecord[] {
    return [...this.subjects.values()].filter((s) => s.project === projectId);
  }

  /** Subjects the project owns or that are shared into it (ProjectSubjectList's OR clause). */
  subjectsIn(projectId: string): SubjectRecord[] {
    return [...this.subjects.values()].filter((s) => isIn(s, projectId));
  }

  /**
   * Under /projects/{p}: the label the subject has in p first (GetSubjectByProjectIdentifier),
   * then an accession ID owned by or shared into p (`hasProject`).
   */
  findSubject(projectId: string, token: string): SubjectRecord | undefined {
    const subjects = this.subjectsIn(projectId);
    return subjects.find((s) => labelIn(s, projectId) === token) ?? subjects.find((s) => s.id === token);
  }

  /** Experiments the project owns (and of one subject). */
  experimentsOf(filter: { project?: string; subjectId?: string }): ExperimentRecord[] {
    return [...this.experiments.values()].filter(
      (e) =>
        (filter.project === undefined || e.project === filter.project) &&
        (filter.subjectId === undefined || e.subjectId === filter.subjectId),
    );
  }

  /** Experiments the project owns or that are shared into it (ProjSubExptList), optionally of one subject. */
  experimentsIn(projectId: string, subjectId?: string): ExperimentRecord[] {
    return [...this.experiments.values()].filter((e) => isIn(e, projectId) && (subjectId === undefined || e.subjectId === subjectId));
  }

  findExperiment(projectId: string, subjectId: string | undefined, token: string): ExperimentRecord | undefined {
    const candidates = this.experimentsIn(projectId, subjectId);
    return candidates.find((e) => labelIn(e, projectId) === token) ?? candidates.find((e) => e.id === token);
  }

  /** Image assessors of a session (xnat:imageAssessorData/imageSession_ID). */
  assessorsOf(sessionId: string): ExperimentRecord[] {
    return [...this.experiments.values()].filter((e) => e.sessionId === sessionId);
  }

  scansOf(experimentId: string): ScanRecord[] {
    return [...(this.#scans.get(experimentId)?.values() ?? [])];
  }

  scan(experimentId: string, scanId: string): ScanRecord | undefined {
    return this.#scans.get(experimentId)?.get(scanId);
  }

  /** Reconstructions of a session (xnat:reconstructedImageData/image_session_ID). */
  reconstructionsOf(experimentId: string): ReconstructionRecord[] {
    return [...(this.#reconstructions.get(experimentId)?.values() ?? [])];
  }

  reconstruction(experimentId: string, id: string): ReconstructionRecord | undefined {
    return this.#reconstructions.get(experimentId)?.get(id);
  }

  resource(dbId: number): ResourceRecord | undefined {
    return this.#resources.get(dbId);
  }

  resourcesOf(parent: ResourceParent): ResourceRecord[] {
    const ids = this.#resourcesByParent.get(parentKey(parent)) ?? new Set<number>();
    return [...ids].map((id) => this.#resources.get(id)).filter((r): r is ResourceRecord => r !== undefined);
  }

  filesOf(resourceDbId: number): StoredFile[] {
    const stored = [...(this.#files.get(resourceDbId)?.values() ?? [])];
    const series = this.#series.get(resourceDbId);
    if (!series) return stored;
    const listed: StoredFile[] = [];
    for (let i = 0; i < series.count; i++) listed.push(this.#seriesFile(series, i));
    return listed.concat(stored);
  }

  file(resourceDbId: number, path: string): StoredFile | undefined {
    const stored = this.#files.get(resourceDbId)?.get(path);
    if (stored) return stored;
    const series = this.#series.get(resourceDbId);
    const index = series ? series.indexOf(path) : -1;
    return series && index >= 0 ? this.#seriesFile(series, index) : undefined;
  }

  /** How many files a resource holds and their total size (what XNAT stores as file_count/file_size). */
  fileStats(resourceDbId: number): { count: number; size: number } {
    let count = 0;
    let size = 0;
    for (const file of this.#files.get(resourceDbId)?.values() ?? []) {
      count++;
      size += file.size;
    }
    const series = this.#series.get(resourceDbId);
    if (series) {
      count += series.count;
      for (let i = 0; i < series.count; i++) size += series.size(i);
    }
    return { count, size };
  }

  #seriesFile(series: FileSeries, index: number): StoredFile {
    return {
      resourceDbId: series.resourceDbId,
      path: series.path(index),
      size: series.size(index),
      format: series.format,
      content: series.content,
      tags: [],
      digest: '',
      blobKey: '',
      modified: this.#loadedAt,
      source: () => series.source(index),
    };
  }

  /** Before a write touches a series resource, its files become records like any other. */
  #materialize(resourceDbId: number): void {
    const series = this.#series.get(resourceDbId);
    if (!series) return;
    this.#series.delete(resourceDbId);
    for (let i = 0; i < series.count; i++) {
      const { modified: _modified, ...file } = this.#seriesFile(series, i);
      if (!this.#files.get(resourceDbId)?.has(file.path)) this.#put(file);
    }
  }

  /** A file's bytes (optionally an inclusive byte range), from its blob or its dataset generator. */
  openFile(file: StoredFile, range?: { start: number; end: number }): Readable {
    return file.source ? openSource(file.source, range) : this.blobs.open(file.blobKey, range);
  }

  // ---- creation ------------------------------------------------------------------------

  createSubject(project: string, label: string, fields: Record<string, string>): SubjectRecord {
    const id = this.#subjectIds.next((candidate) => this.subjects.has(candidate));
    const subject: SubjectRecord = { id, project, label, fields };
    this.subjects.set(id, subject);
    return subject;
  }

  createExperiment(init: Omit<ExperimentRecord, 'id'>): ExperimentRecord {
    const id = this.#experimentIds.next((candidate) => this.experiments.has(candidate));
    const experiment: ExperimentRecord = { id, ...init };
    this.experiments.set(id, experiment);
    return experiment;
  }

  createScan(init: Omit<ScanRecord, 'dbId'>): ScanRecord {
    const scan: ScanRecord = { ...init, dbId: this.#lastScanDbId + 1 };
    this.#addScan(scan);
    return scan;
  }

  createReconstruction(init: Omit<ReconstructionRecord, 'dbId'>): ReconstructionRecord {
    const recon: ReconstructionRecord = { ...init, dbId: this.#lastReconstructionDbId + 1 };
    this.#addReconstruction(recon);
    return recon;
  }

  createResource(init: Omit<ResourceRecord, 'dbId'>): ResourceRecord {
    const resource: ResourceRecord = { ...init, dbId: this.#lastResourceDbId + 1 };
    this.#addResource(resource);
    return resource;
  }

  /** Records a file whose bytes are in the blob store, dropping the bytes of the entry it replaces. */
  async putFile(record: FileRecord): Promise<void> {
    this.#materialize(record.resourceDbId);
    this.#countStats(record.resourceDbId);
    const previous = this.#put(record);
    if (previous) await this.#discard(previous);
  }

  /** A write through XNAT stores the resource's file count and size from then on. */
  #countStats(resourceDbId: number): void {
    const resource = this.#resources.get(resourceDbId);
    if (resource?.statsStored === false) delete resource.statsStored;
  }

  #put(record: Omit<StoredFile, 'modified'>): StoredFile | undefined {
    let files = this.#files.get(record.resourceDbId);
    if (!files) this.#files.set(record.resourceDbId, (files = new Map()));
    const previous = files.get(record.path);
    files.set(record.path, { ...record, modified: new Date() });
    return previous;
  }

  async #discard(file: StoredFile): Promise<void> {
    if (!file.source) await this.blobs.remove(file.blobKey);
  }

  // ---- deletion (children first, then the record, bytes last) ---------------------------

  async deleteFiles(resourceDbId: number, paths: string[]): Promise<void> {
    this.#materialize(resourceDbId);
    this.#countStats(resourceDbId);
    const files = this.#files.get(resourceDbId);
    if (!files) return;
    const removed = paths.map((p) => files.get(p)).filter((f): f is StoredFile => f !== undefined);
    for (const file of removed) files.delete(file.path);
    await Promise.all(removed.map((f) => this.#discard(f)));
  }

  async deleteResource(dbId: number): Promise<void> {
    const resource = this.#resources.get(dbId);
    if (!resource) return;
    await this.deleteFiles(
      dbId,
      this.filesOf(dbId).map((f) => f.path),
    );
    this.#files.delete(dbId);
    this.#series.delete(dbId);
    this.#resources.delete(dbId);
    this.#resourcesByParent.get(parentKey(resource.parent))?.delete(dbId);
  }

  async #deleteResourcesOf(parent: ResourceParent): Promise<void> {
    for (const r of this.resourcesOf(parent)) await this.deleteResource(r.dbId);
  }

  async deleteScan(experimentId: string, scanId: string): Promise<void> {
    await this.#deleteResourcesOf({ kind: 'scan', experimentId, scanId });
    this.#scans.get(experimentId)?.delete(scanId);
  }

  async deleteReconstruction(experimentId: string, reconstructionId: string): Promise<void> {
    await this.#deleteResourcesOf({ kind: 'reconstruction', experimentId, reconstructionId });
    this.#reconstructions.get(experimentId)?.delete(reconstructionId);
  }

  async deleteExperiment(id: string): Promise<void> {
    for (const assessor of this.assessorsOf(id)) await this.deleteExperiment(assessor.id);
    for (const recon of this.reconstructionsOf(id)) await this.deleteReconstruction(id, recon.id);
    this.#reconstructions.delete(id);
    await this.#deleteResourcesOf({ kind: 'assessor', assessorId: id });
    for (const scan of this.scansOf(id)) await this.deleteScan(id, scan.id);
    await this.#deleteResourcesOf({ kind: 'experiment', experimentId: id });
    this.#scans.delete(id);
    this.experiments.delete(id);
  }

  async deleteSubject(id: string): Promise<void> {
    for (const e of this.experimentsOf({ subjectId: id })) await this.deleteExperiment(e.id);
    await this.#deleteResourcesOf({ kind: 'subject', subjectId: id });
    this.subjects.delete(id);
  }

  #addScan(scan: ScanRecord): void {
    let scans = this.#scans.get(scan.experimentId);
    if (!scans) this.#scans.set(scan.experimentId, (scans = new Map()));
    scans.set(scan.id, scan);
    this.#lastScanDbId = Math.max(this.#lastScanDbId, scan.dbId);
  }

  #addReconstruction(recon: ReconstructionRecord): void {
    let recons = this.#reconstructions.get(recon.experimentId);
    if (!recons) this.#reconstructions.set(recon.experimentId, (recons = new Map()));
    recons.set(recon.id, recon);
    this.#lastReconstructionDbId = Math.max(this.#lastReconstructionDbId, recon.dbId);
  }

  #addResource(resource: ResourceRecord): void {
    this.#resources.set(resource.dbId, resource);
    const key = parentKey(resource.parent);
    let ids = this.#resourcesByParent.get(key);
    if (!ids) this.#resourcesByParent.set(key, (ids = new Set()));
    ids.add(resource.dbId);
    this.#lastResourceDbId = Math.max(this.#lastResourceDbId, resource.dbId);
  }
}
