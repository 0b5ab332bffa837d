import DataLoader from 'dataloader';
import { unreachable } from '../levels.js';
import type { AssessedBy, XnatArchive } from '../xnat/archive.js';
import {
  attributeByFileUris,
  attributeByJoin,
  attributeByScanIds,
  CATALOG_LEVELS,
  catIdOwner,
  fileCatalogs,
  needsScanJoin,
  type CatalogLevel,
  type ResourceListing,
  type SessionCatalog,
} from '../xnat/attribution.js';
import type { FileRow, ListedFile, ListedResource, OwnerRef } from '../xnat/records.js';
import { planChunkFiles, planFilesRequests } from '../xnat/row-budget.js';
import { archiveFile, ownerRef, resource, type ArchiveFile, type Resource, type ResourceOwner } from './models.js';
import { byText, groupBy, type LoaderOptions } from './options.js';
import type { ScanLoaders } from './scans.js';

/** A session's (or assessor's) resources; `files`: their files will be read too. */
interface CatalogKey {
  session: string;
  files: boolean;
}

/** A session, scan or assessor resource whose files are wanted. */
interface FilesKey {
  level: CatalogLevel;
  session: string;
  row: ListedResource;
}

const filesKey = (k: FilesKey) => `${k.level}:${k.row.dbId}`;

/**
 * The batched level of an owner's resources and the session (or assessor) they are listed
 * under; projects and subjects have none.
 */
function batchOf(owner: ResourceOwner): { level: CatalogLevel; session: string } | null {
  switch (owner.kind) {
    case 'scan':
      return { level: 'scan', session: owner.session.id };
    case 'experiment':
      return { level: 'session', session: owner.id };
    case 'assessor':
      return { level: 'assessor', session: owner.id };
    case 'project':
    case 'subject':
      return null;
    default:
      return unreachable(owner);
  }
}

const sortedFiles = (files: readonly FileRow[]) => [...files].sort((a, b) => byText(a.path, b.path));

/**
 * Resources and files, each listing sent only when the query reaches it. For sessions and
 * scans, one resources listing answers a whole chunk of sessions
 * (`/data/experiments/E1,E2/scans/ALL/resources`), its rows attributed to their session by
 * the steps of xnat/attribution.ts. Files are listed only for resources whose files are asked for, in requests sized by the
 * resources' `file_count` so that none returns more than the row budget (xnat/row-budget.ts).
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
    const scanIds = new Map(await Promise.all(sessions.map(async (s) => [s, new Set(await this.scans.scanIdsOf(s))] as const)));
    const listings = await this.archive.scanResourcesOfSessions(sessions);
    const parts = await Promise.all(
      listings.map(async (listing) => {
        const listed = files ? await this.chunkFiles('scan', listing) : undefined;
        const attribution = attributeByScanIds(listing, scanIds, attributeByFileUris(listed ?? []));
        if (needsScanJoin(listing, attribution)) attributeByJoin(await this.archive.scanResourceSessions(listing.sessions), attribution);
        const ownerOf = (row: ListedResource) => attribution.get(row.dbId);
        const catalogs = fileCatalogs(listing, 'scan', ownerOf);
        if (listed) this.primeFiles('scan', listing, listed, ownerOf);
        return catalogs;
      }),
    );
    return merged(parts);
  }

  /** Resources of the sessions themselves (`cat_id` is the session), with their files when asked. */
  private sessionResources(sessions: readonly string[], files: boolean): Promise<Map<string, SessionCatalog>> {
    return this.ownCatalogs('session', this.archive.sessionResourcesOfSessions(sessions), files);
  }

  /** Resources of the assessors (`cat_id` is the assessor), with their files when asked. */
  private assessorResources(assessors: readonly string[], files: boolean): Promise<Map<string, SessionCatalog>> {
    return this.ownCatalogs('assessor', this.archive.assessorResourcesOf(this.assessedBy(assessors)), files);
  }

  private async ownCatalogs(
    level: CatalogLevel,
    listings: Promise<ResourceListing[]>,
    files: boolean,
  ): Promise<Map<string, SessionCatalog>> {
    const parts = await Promise.all(
      (await listings).map(async (listing) => {
        const ownerOf = catIdOwner(listing);
        const catalogs = fileCatalogs(listing, level, ownerOf);
        if (files) this.primeFiles(level, listing, await this.chunkFiles(level, listing), ownerOf);
        return catalogs;
      }),
    );
    return merged(parts);
  }

  private assessedBy(assessors: readonly string[]): AssessedBy[] {
    return assessors.map((id) => ({ id, sessionId: this.assessed.get(id)! }));
  }

  /** One files listing of a level: sessions (or assessors) by ID, optionally only some resources. */
  private filesRequest(level: CatalogLevel, ids: string[], resourceIds: number[] | null): Promise<ListedFile[]> {
    switch (level) {
      case 'assessor':
        return this.archive.filesOfAssessors(this.assessedBy(ids), ids, resourceIds);
      case 'scan':
      case 'session':
        return this.archive.filesOfSessions(level, ids, resourceIds);
      default:
        return unreachable(level);
    }
  }

  /** Every file of a listing chunk's resources, within the row budget. */
  private async chunkFiles(level: CatalogLevel, listing: ResourceListing): Promise<ListedFile[]> {
    const plan = planChunkFiles(listing.sessions, listing.resources, this.archive.budget);
    this.archive.stats.expect(plan.reduce((sum, r) => sum + r.rows, 0));
    const parts = await Promise.all(plan.map((r) => this.filesRequest(level, r.sessions, r.resourceIds)));
    return parts.flat();
  }

  /** Hands files listed with the resources to the files loader, so `files` costs no request. */
  private primeFiles(
    level: CatalogLevel,
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

  /** The files of the resources, in as few requests as the row budget allows. */
  private async filesOfResources(keys: readonly FilesKey[]): Promise<FileRow[][]> {
    const found = new Map<string, FileRow[]>();
    await Promise.all(
      CATALOG_LEVELS.map(async (level) => {
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

  private catalogsOf(level: CatalogLevel): DataLoader<CatalogKey, SessionCatalog, string> {
    return { scan: this.scanCatalogs, session: this.sessionCatalogs, assessor: this.assessorCatalogs }[level];
  }

  private async rowsOf(owner: ResourceOwner, files = false): Promise<ListedResource[]> {
    switch (owner.kind) {
      case 'scan':
        return (await this.scanCatalogs.load({ session: owner.session.id, files })).get(owner.id) ?? [];
      case 'experiment':
        return (await this.sessionCatalogs.load({ session: owner.id, files })).get('') ?? [];
      case 'assessor':
        this.assessed.set(owner.id, owner.session.id);
        return (await this.assessorCatalogs.load({ session: owner.id, files })).get('') ?? [];
      case 'project':
      case 'subject':
        return [...(await this.ownerResources.load(ownerRef(owner)))].sort(byLabel);
      default:
        return unreachable(owner);
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
    const batch = batchOf(owner);
    if (batch) {
      const row = (await this.rowsOf(owner)).find((r) => r.dbId === parent.dbId);
      if (!row) return [];
      files = await this.sessionFiles.load({ ...batch, row });
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
    const batch = batchOf(owner);
    if (batch) {
      this.catalogsOf(batch.level).clear({ session: batch.session, files: false });
      // Files are cached by resource ID; a write may have touched any resource of the owner.
      this.sessionFiles.clearAll();
    } else {
      const ref = ownerRef(owner);
      this.ownerResources.clear(ref);
      this.ownerFiles.clear(ref);
    }
  }
}

const byLabel = (a: ListedResource, b: ListedResource) => byText(a.label, b.label);

/** Catalogs of several listings (disjoint owners), each owner's lists sorted by label. */
function merged(parts: readonly Map<string, SessionCatalog>[]): Map<string, SessionCatalog> {
  const out = new Map<string, SessionCatalog>();
  for (const part of parts) for (const [owner, catalog] of part) out.set(owner, catalog);
  for (const catalog of out.values()) for (const list of catalog.values()) list.sort(byLabel);
  return out;
}
