import DataLoader from 'dataloader';
import type { AssessedBy, ResourceListing, XnatArchive } from '../xnat/archive.js';
import { upstreamError } from '../errors.js';
import type { FileRow, OwnerRef } from '../xnat/records.js';
import type { ListedFile, ListedResource } from '../xnat/resultset.js';
import { archiveFile, ownerRef, resource, type ArchiveFile, type Resource, type ResourceOwner } from './models.js';
import { byText, groupBy, type LoaderOptions } from './options.js';
import { planChunkFiles, planFilesRequests } from './row-budget.js';
import type { ScanLoaders } from './scans.js';

/**
 * Resources of one session at one level: by scan ID for scan resources, under '' for the
 * session's own (and for an assessor's own, the assessor standing in for the session).
 */
type SessionCatalog = Map<string, ListedResource[]>;

type Level = 'scan' | 'session' | 'assessor';

/** The `category` XNAT gives each level's resource rows (XNATTemplate.loadCatalogs). */
const CATEGORY: Record<Level, string> = { scan: 'scans', session: 'resources', assessor: 'assessors' };

/** A session's (or assessor's) resources; `files`: their files will be read too. */
interface CatalogKey {
  session: string;
  files: boolean;
}

/** A session, scan or assessor resource whose files are wanted. */
interface FilesKey {
  level: Level;
  session: string;
  row: ListedResource;
}

const filesKey = (k: FilesKey) => `${k.level}:${k.row.dbId}`;

/** The batched level of an owner's resources; projects and subjects have none. */
function levelOf(owner: ResourceOwner): Level | null {
  return owner.kind === 'Scan' ? 'scan' : owner.kind === 'Experiment' ? 'session' : owner.kind === 'Assessor' ? 'assessor' : null;
}

const sortedFiles = (files: readonly FileRow[]) => [...files].sort((a, b) => byText(a.path, b.path));

/**
 * Resources and files, each listing sent only when the query reaches it. For sessions and
 * scans, one resources listing answers a whole chunk of sessions
 * (`/data/experiments/E1,E2/scans/ALL/resources`). Its rows name their scan but not their
 * session, so each row is attributed by:
 *   1. the only session of the chunk, or the only one having that scan ID (session resources:
 *      `cat_id` is the session);
 *   2. otherwise the scan listing joined with the scans' resource IDs, sent with the resources
 *      listing when the chunk's sessions share scan IDs (one short row per resource).
 * Files are listed only for resources whose files are asked for, in requests sized by the
 * resources' `file_count` so that none returns more than the row budget (row-budget.ts).
 * Assessors: one listing per chunk of assessors (`/data/experiments/{sessions}/assessors/{ids}/resources`),
 * whose `cat_id` names the assessor, files as for sessions.
 * Projects and subjects have no multi-owner listing: one request per owner and level.
 */
export class ResourceLoaders {
  private readonly scanCatalogs: DataLoader<CatalogKey, SessionCatalog, string>;
  private readonly sessionCatalogs: DataLoader<CatalogKey, SessionCatalog, string>;
  private readonly assessorCatalogs: DataLoader<CatalogKey, SessionCatalog, string>;
  /** The session of each assessor asked about (its URL names both). */
  private readonly assessed = new Map<string, string>();
  private readonly sessionFiles: DataLoader<FilesKey, FileRow[], string>;
  private readonly ownerResources: DataLoader<OwnerRef, ListedResource[], string>;
  private readonly ownerFiles: DataLoader<OwnerRef, FileRow[], string>;

  constructor(
    private readonly archive: XnatArchive,
    options: LoaderOptions,
    private readonly scans: ScanLoaders,
  ) {
    const batch = { maxBatchSize: options.batching ? Infinity : 1 };
    const catalogKey = { ...batch, cacheKeyFn: (k: CatalogKey) => k.session };
    this.scanCatalogs = new DataLoader((keys) => this.catalogs(keys, (sessions, files) => this.scanResources(sessions, files)), catalogKey);
    this.sessionCatalogs = new DataLoader(
      (keys) => this.catalogs(keys, (sessions, files) => this.sessionResources(sessions, files)),
      catalogKey,
    );
    this.assessorCatalogs = new DataLoader(
      (keys) => this.catalogs(keys, (assessors, files) => this.assessorResources(assessors, files)),
      catalogKey,
    );
    this.sessionFiles = new DataLoader((keys) => this.filesOfResources(keys), { ...batch, cacheKeyFn: filesKey });
    const ownerKey = (owner: OwnerRef) => JSON.stringify(owner);
    this.ownerResources = new DataLoader((owners) => Promise.all(owners.map((o) => archive.resourcesOf(o))), { cacheKeyFn: ownerKey });
    this.ownerFiles = new DataLoader((owners) => Promise.all(owners.map((o) => archive.filesOf(o))), { cacheKeyFn: ownerKey });
  }

  private async catalogs(
    keys: readonly CatalogKey[],
    fetch: (sessions: string[], files: boolean) => Promise<Map<string, SessionCatalog>>,
  ): Promise<SessionCatalog[]> {
    const found = await fetch(
      keys.map((k) => k.session),
      keys.some((k) => k.files),
    );
    return keys.map((k) => found.get(k.session) ?? new Map());
  }

  /**
   * Scan resources of the sessions; with `files`, the files of every one of them too, whose URIs
   * then name each resource's session. The scan listing joined with resource IDs settles the
   * rows nothing else attributes.
   */
  private async scanResources(sessions: readonly string[], files: boolean): Promise<Map<string, SessionCatalog>> {
    const out = new Map<string, SessionCatalog>();
    const scanIds = new Map(await Promise.all(sessions.map(async (s) => [s, new Set(await this.scans.scanIdsOf(s))] as const)));
    const listings = await this.archive.scanResourcesOfSessions(sessions);
    await Promise.all(
      listings.map(async (listing) => {
        const owners = (id: string) => listing.sessions.filter((s) => scanIds.get(s)?.has(id));
        const sessionOf = new Map<number, string>();
        const listed = files ? await this.chunkFiles('scan', listing) : undefined;
        for (const file of listed?.files ?? []) {
          if (file.uriExperiment !== null) sessionOf.set(file.resourceDbId, file.uriExperiment);
        }
        for (const row of listing.resources) {
          const candidates = owners(row.catId);
          if (!sessionOf.has(row.dbId) && candidates.length === 1) sessionOf.set(row.dbId, candidates[0]!);
        }
        if (listing.resources.some((r) => !sessionOf.has(r.dbId))) {
          for (const [dbId, session] of await this.archive.scanResourceSessions(listing.sessions))
            if (!sessionOf.has(dbId)) sessionOf.set(dbId, session);
        }
        this.file(listing, 'scan', out, (row) => sessionOf.get(row.dbId));
        if (listed) this.primeFiles('scan', listing, listed.files, (row) => sessionOf.get(row.dbId));
      }),
    );
    return out;
  }

  private async sessionResources(sessions: readonly string[], files: boolean): Promise<Map<string, SessionCatalog>> {
    const out = new Map<string, SessionCatalog>();
    await Promise.all(
      (await this.archive.sessionResourcesOfSessions(sessions)).map(async (listing) => {
        const sessionOf = (row: ListedResource) =>
          listing.sessions.includes(row.catId) ? row.catId : listing.sessions.length === 1 ? listing.sessions[0] : undefined;
        this.file(listing, 'session', out, sessionOf);
        if (files) this.primeFiles('session', listing, (await this.chunkFiles('session', listing)).files, sessionOf);
      }),
    );
    return out;
  }

  /** Resources of the assessors (`cat_id` is the assessor), with their files when asked. */
  private async assessorResources(assessors: readonly string[], files: boolean): Promise<Map<string, SessionCatalog>> {
    const out = new Map<string, SessionCatalog>();
    await Promise.all(
      (await this.archive.assessorResourcesOf(this.assessedBy(assessors))).map(async (listing) => {
        const assessorOf = (row: ListedResource) =>
          listing.sessions.includes(row.catId) ? row.catId : listing.sessions.length === 1 ? listing.sessions[0] : undefined;
        this.file(listing, 'assessor', out, assessorOf);
        if (files) this.primeFiles('assessor', listing, (await this.chunkFiles('assessor', listing)).files, assessorOf);
      }),
    );
    return out;
  }

  private assessedBy(assessors: readonly string[]): AssessedBy[] {
    return assessors.map((id) => ({ id, sessionId: this.assessed.get(id)! }));
  }

  /** One files listing of a level: sessions (or assessors) by ID, optionally only some resources. */
  private filesRequest(level: Level, ids: string[], resourceIds: number[] | null): Promise<ListedFile[]> {
    if (level === 'assessor') return this.archive.filesOfAssessors(this.assessedBy(ids), ids, resourceIds);
    return this.archive.filesOfSessions(level, ids, resourceIds);
  }

  /** Every file of a listing chunk's resources, within the row budget. */
  private async chunkFiles(level: Level, listing: ResourceListing): Promise<{ files: ListedFile[] }> {
    const plan = planChunkFiles(listing.sessions, listing.resources, this.archive.budget);
    this.archive.stats.expect(plan.reduce((sum, r) => sum + r.rows, 0));
    const parts = await Promise.all(plan.map((r) => this.filesRequest(level, r.sessions, r.resourceIds)));
    return { files: parts.flat() };
  }

  /** Hands files listed with the resources to the files loader, so `files` costs no request. */
  private primeFiles(
    level: Level,
    listing: ResourceListing,
    files: readonly ListedFile[],
    sessionOf: (row: ListedResource) => string | undefined,
  ): void {
    const byResource = groupBy(files, (f) => f.resourceDbId);
    for (const row of listing.resources) {
      const session = sessionOf(row);
      if (session !== undefined) this.sessionFiles.prime({ level, session, row }, sortedFiles(byResource.get(row.dbId) ?? []));
    }
  }

  /** Files the listing's rows under their session, by scan ID ('' for session resources). */
  private file(
    listing: ResourceListing,
    level: Level,
    out: Map<string, SessionCatalog>,
    sessionOf: (row: ListedResource) => string | undefined,
  ): void {
    for (const session of listing.sessions) out.set(session, new Map());
    for (const row of listing.resources) {
      if (row.category !== null && row.category !== CATEGORY[level]) continue;
      const session = sessionOf(row);
      if (session === undefined || !out.has(session)) {
        throw upstreamError(`XNAT did not tell which session resource ${row.dbId} (${JSON.stringify(row.label)}) belongs to`);
      }
      const catalog = out.get(session)!;
      const key = level === 'scan' ? row.catId : '';
      const list = catalog.get(key);
      if (list) list.push(row);
      else catalog.set(key, [row]);
    }
    for (const catalog of out.values()) for (const list of catalog.values()) list.sort((a, b) => byText(a.label, b.label));
  }

  /** The files of the resources, in as few requests as the row budget allows. */
  private async filesOfResources(keys: readonly FilesKey[]): Promise<FileRow[][]> {
    const found = new Map<string, FileRow[]>();
    await Promise.all(
      (['scan', 'session', 'assessor'] as const).map(async (level) => {
        const wanted = keys.filter((k) => k.level === level);
        if (wanted.length === 0) return;
        const catalogs = this.catalogsOf(level);
        const perSession = new Map<string, number>();
        for (const session of new Set(wanted.map((k) => k.session))) {
          let count = 0;
          for (const list of (await catalogs.load({ session, files: false })).values()) count += list.length;
          perSession.set(session, count);
        }
        const plan = planFilesRequests(
          wanted.map((k) => ({ session: k.session, dbId: k.row.dbId, fileCount: k.row.fileCount })),
          perSession,
          this.archive.budget,
        );
        this.archive.stats.expect(plan.reduce((sum, r) => sum + r.rows, 0));
        await Promise.all(
          plan.map(async (request) => {
            const files = await this.filesRequest(level, request.sessions, request.resourceIds);
            for (const [dbId, list] of groupBy(files, (f) => f.resourceDbId)) found.set(`${level}:${dbId}`, list);
          }),
        );
      }),
    );
    return keys.map((k) => sortedFiles(found.get(`${k.level}:${k.row.dbId}`) ?? []));
  }

  private catalogsOf(level: Level): DataLoader<CatalogKey, SessionCatalog, string> {
    return { scan: this.scanCatalogs, session: this.sessionCatalogs, assessor: this.assessorCatalogs }[level];
  }

  private async rowsOf(owner: ResourceOwner, files = false): Promise<ListedResource[]> {
    switch (owner.kind) {
      case 'Scan':
        return (await this.scanCatalogs.load({ session: owner.session.id, files })).get(owner.id) ?? [];
      case 'Experiment':
        return (await this.sessionCatalogs.load({ session: owner.id, files })).get('') ?? [];
      case 'Assessor':
        this.assessed.set(owner.id, owner.session.id);
        return (await this.assessorCatalogs.load({ session: owner.id, files })).get('') ?? [];
      default:
        return [...(await this.ownerResources.load(ownerRef(owner)))].sort((a, b) => byText(a.label, b.label));
    }
  }

  /** `files`: the caller will read their files too, so they are listed in the same round. */
  async resourcesOf(owner: ResourceOwner, hint: { files?: boolean } = {}): Promise<Resource[]> {
    return (await this.rowsOf(owner, hint.files)).map((row) => resource(owner, row));
  }

  /** By label, or by numeric resource ID as XNAT also accepts; null when absent. */
  async resourceOf(owner: ResourceOwner, labelOrId: string, hint: { files?: boolean } = {}): Promise<Resource | null> {
    const list = await this.resourcesOf(owner, hint);
    return list.find((r) => r.label === labelOrId) ?? list.find((r) => String(r.dbId) === labelOrId) ?? null;
  }

  async filesOf(parent: Resource): Promise<ArchiveFile[]> {
    const owner = parent.owner;
    let files: FileRow[];
    const level = levelOf(owner);
    if (level) {
      const row = (await this.rowsOf(owner)).find((r) => r.dbId === parent.dbId);
      if (!row) return [];
      files = await this.sessionFiles.load({ level, session: owner.kind === 'Scan' ? owner.session.id : owner.id, row });
    } else {
      files = sortedFiles((await this.ownerFiles.load(ownerRef(owner))).filter((f) => f.resourceDbId === parent.dbId));
    }
    return files.map((row) => archiveFile(parent, row));
  }

  /** By path inside the resource (pyxnat's file label), else by name when only one file has it. */
  async fileOf(parent: Resource, name: string): Promise<ArchiveFile | null> {
    const files = await this.filesOf(parent);
    const byPath = files.find((f) => f.path === name);
    if (byPath) return byPath;
    const byName = files.filter((f) => f.name === name);
    return byName.length === 1 ? byName[0]! : null;
  }

  /** After a write under this owner, the next read must ask XNAT again. */
  forget(owner: ResourceOwner): void {
    const level = levelOf(owner);
    if (level) {
      const session = owner.kind === 'Scan' ? owner.session.id : owner.id;
      this.catalogsOf(level).clear({ session, files: false });
      // Files are cached by resource ID; a write may have touched any resource of the owner.
      this.sessionFiles.clearAll();
    } else {
      const ref = ownerRef(owner);
      this.ownerResources.clear(ref);
      this.ownerFiles.clear(ref);
    }
  }
}
