import type DataLoader from 'dataloader';
import type { SessionChildLevel } from '../levels.js';
import type { XnatArchive } from '../xnat/archive.js';
import {
  CATALOG_LEVELS,
  fileCatalogs,
  keyedByCatId,
  type AttributedListing,
  type CatalogDeps,
  type CatalogLevel,
  type SessionCatalog,
} from '../xnat/attribution.js';
import type { FileRow, ListedFile, ListedResource, OwnerRef } from '../xnat/records.js';
import { planFilesRequests } from '../xnat/row-budget.js';
import { archiveFile, ownerRef, resource, type ArchiveFile, type Resource, type ResourceOwner } from './models.js';
import { SettledLoader } from './settled-loader.js';
import { batchLoader, byLabelOrId, byText, groupBy, type LoaderOptions } from './options.js';

/** A catalog: the resources of one session (or object listed by ID); `files`: their files will be read too. */
interface CatalogKey {
  session: string;
  files: boolean;
}

/** A resource of a catalog level whose files are wanted. */
interface FilesKey {
  level: CatalogLevel;
  session: string;
  row: ListedResource;
}

const filesKey = (k: FilesKey) => `${k.level}:${k.row.dbId}`;

/**
 * Where an owner's resources are batched: its catalog level, the catalog (its session, or
 * itself) and its key in that catalog; projects and subjects have none.
 */
function batchOf(owner: ResourceOwner): { level: CatalogLevel; session: string; key: string } | null {
  switch (owner.kind) {
    case 'project':
    case 'subject':
      return null;
    case 'experiment':
      return { level: 'experiment', session: owner.id, key: '' };
    default:
      return keyedByCatId(owner.kind)
        ? { level: owner.kind, session: owner.session.id, key: owner.id }
        : { level: owner.kind, session: owner.id, key: '' };
  }
}

const sortedFiles = (files: readonly FileRow[]) => [...files].sort((a, b) => byText(a.path, b.path));

/**
 * Resources and files, each listing sent only when the query reaches it. For sessions and
 * scans, one resources listing answers a whole chunk of sessions
 * (`/data/experiments/E1,E2/scans/ALL/resources`), its rows attributed to their session by
 * the steps of xnat/attribution.ts; objects listed by ID (assessors) likewise, one listing per
 * chunk of them (`/data/experiments/{sessions}/assessors/{ids}/resources`). Files are listed only
 * for resources whose files are asked for, in requests sized by the resources' `file_count` so
 * that none returns more than the row budget (xnat/row-budget.ts).
 * Projects and subjects have no multi-owner listing: one request per owner and level.
 */
export class ResourceLoaders {
  private readonly catalogs: Map<CatalogLevel, SettledLoader<CatalogKey, SessionCatalog, string>>;
  /** The session of each object listed by ID that was asked about (its URL names both). */
  private readonly sessionOfChild = new Map<string, string>();
  private readonly deps: CatalogDeps;
  private readonly sessionFiles: SettledLoader<FilesKey, FileRow[], string>;
  private readonly ownerResources: DataLoader<OwnerRef, ListedResource[], string>;
  private readonly ownerFiles: DataLoader<OwnerRef, FileRow[], string>;

  constructor(
    private readonly archive: XnatArchive,
    options: LoaderOptions,
    childIdsOf: (level: SessionChildLevel, session: string) => Promise<string[]>,
  ) {
    this.deps = {
      childIdsOf,
      sessionOf: (id) => this.sessionOfChild.get(id)!,
    };
    this.catalogs = new Map(
      CATALOG_LEVELS.map((level) => [
        level,
        new SettledLoader(
          `resources of ${level}s`,
          options,
          (keys: readonly CatalogKey[]) => this.catalogsOf(level, keys),
          (k: CatalogKey) => k.session,
        ),
      ]),
    );
    this.sessionFiles = new SettledLoader('files', options, (keys: readonly FilesKey[]) => this.filesOfResources(keys), filesKey);
    const ownerKey = (owner: OwnerRef) => JSON.stringify(owner);
    this.ownerResources = batchLoader(
      'resources of projects and subjects',
      options,
      (owners: readonly OwnerRef[]) => Promise.all(owners.map((o) => archive.resourcesOf(o))),
      {
        cacheKeyFn: ownerKey,
      },
    );
    this.ownerFiles = batchLoader(
      'files of projects and subjects',
      options,
      (owners: readonly OwnerRef[]) => Promise.all(owners.map((o) => archive.filesOf(o))),
      {
        cacheKeyFn: ownerKey,
      },
    );
  }

  /** One catalog per key, from the level's listings (their files too when any key asks for them). */
  private async catalogsOf(level: CatalogLevel, keys: readonly CatalogKey[]): Promise<SessionCatalog[]> {
    const listings = await this.archive.catalogs(
      level,
      keys.map((k) => k.session),
      keys.some((k) => k.files),
      this.deps,
    );
    const found = merged(
      listings.map((attributed) => {
        const catalogs = fileCatalogs(attributed.listing, level, attributed.ownerOf);
        if (attributed.files) this.primeFiles(level, attributed);
        return catalogs;
      }),
    );
    return keys.map((k) => found.get(k.session) ?? new Map());
  }

  /** Hands files listed with the resources to the files loader, so `files` costs no request. */
  private primeFiles(level: CatalogLevel, { listing, files, ownerOf }: AttributedListing): void {
    const byResource = groupBy(files ?? [], (f: ListedFile) => f.resourceDbId);
    for (const row of listing.resources) {
      const session = ownerOf(row);
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
        const catalogs = this.catalogs.get(level)!;
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
        for (const files of await this.archive.plannedFiles(level, plan, this.deps))
          for (const [dbId, list] of groupBy(files, (f) => f.resourceDbId)) found.set(`${level}:${dbId}`, list);
      }),
    );
    return keys.map((k) => sortedFiles(found.get(`${k.level}:${k.row.dbId}`) ?? []));
  }

  private async rowsOf(owner: ResourceOwner, files = false): Promise<ListedResource[]> {
    const batch = batchOf(owner);
    if (!batch) return [...(await this.ownerResources.load(ownerRef(owner)))].sort(byLabel);
    if (owner.kind !== 'project' && owner.kind !== 'subject' && owner.kind !== 'experiment')
      this.sessionOfChild.set(owner.id, owner.session.id);
    return (await this.catalogs.get(batch.level)!.load({ session: batch.session, files })).get(batch.key) ?? [];
  }

  /** The rows of an owner whose catalog is already loaded; undefined when it is still to come. */
  private rowsNow(owner: ResourceOwner): ListedResource[] | undefined {
    const batch = batchOf(owner);
    const catalog = batch ? this.catalogs.get(batch.level)!.now({ session: batch.session, files: false }) : undefined;
    return catalog && (catalog.get(batch!.key) ?? []);
  }

  /**
   * `files`: the caller will read their files too, so they are listed in the same round. Without
   * a promise when the owner's catalog is already loaded (`prefetch`).
   */
  resourcesOf(owner: ResourceOwner, hint: { files?: boolean } = {}): Resource[] | Promise<Resource[]> {
    const rows = this.rowsNow(owner);
    if (rows) return rows.map((row) => resource(owner, row));
    return this.rowsOf(owner, hint.files).then((listed) => listed.map((row) => resource(owner, row)));
  }

  /**
   * Loads the catalog of a session's `level` (its files too with `files`, as the resolvers below
   * would ask), so that their `resourcesOf` and `filesOf` answer without a promise. A list
   * resolver awaits this once for its whole page instead of each node awaiting its own. Never
   * fails.
   */
  prefetch(level: CatalogLevel, session: string, hint: { files: boolean }): Promise<void> {
    // A failure belongs to the nodes' own `resources` fields, not to the list: they load the same
    // key again and DataLoader answers them the same error, so only the fields that needed it fail.
    return this.catalogs
      .get(level)!
      .load({ session, files: hint.files })
      .then(
        () => undefined,
        () => undefined,
      );
  }

  /** By label, or by numeric resource ID as XNAT also accepts; null when absent. */
  async resourceOf(owner: ResourceOwner, labelOrId: string, hint: { files?: boolean } = {}): Promise<Resource | null> {
    const list = await this.resourcesOf(owner, hint);
    return byLabelOrId(list, labelOrId, (r) => String(r.dbId));
  }

  /** Without a promise when the files are already loaded (listed with their resources). */
  filesOf(parent: Resource): ArchiveFile[] | Promise<ArchiveFile[]> {
    const batch = batchOf(parent.owner);
    const row = batch && this.rowsNow(parent.owner)?.find((r) => r.dbId === parent.dbId);
    const files = row && this.sessionFiles.now({ level: batch.level, session: batch.session, row });
    if (files) return files.map((file) => archiveFile(parent, file));
    return this.filesLoaded(parent);
  }

  private async filesLoaded(parent: Resource): Promise<ArchiveFile[]> {
    const owner = parent.owner;
    let files: FileRow[];
    const batch = batchOf(owner);
    if (batch) {
      const row = (await this.rowsOf(owner)).find((r) => r.dbId === parent.dbId);
      if (!row) return [];
      files = await this.sessionFiles.load({ level: batch.level, session: batch.session, row });
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
      this.catalogs.get(batch.level)!.clear({ session: batch.session, files: false });
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
