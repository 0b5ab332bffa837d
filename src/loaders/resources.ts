import DataLoader from 'dataloader';
import type { ResourceListing, XnatArchive } from '../xnat/archive.js';
import type { FileRow, OwnerRef } from '../xnat/records.js';
import type { ListedResource } from '../xnat/resultset.js';
import { archiveFile, ownerRef, resource, type ArchiveFile, type Resource, type ResourceOwner } from './models.js';
import { byText, groupBy, mapLoader, type LoaderOptions } from './options.js';
import type { ScanLoaders } from './scans.js';

/** Resources of one session at one level: by scan ID for scan resources, under '' for the session's own. */
interface SessionCatalog {
  resources: Map<string, ListedResource[]>;
  files: Map<number, FileRow[]>;
}

type Level = 'scan' | 'session';

const emptyCatalog = (): SessionCatalog => ({ resources: new Map(), files: new Map() });

function filesByResource(files: readonly FileRow[]): Map<number, FileRow[]> {
  const map = groupBy([...files].sort((a, b) => byText(a.path, b.path)), (f) => f.resourceDbId);
  return map;
}

/**
 * Resources and files. For sessions and scans, one resources listing plus one files listing
 * answer a whole chunk of sessions (`/data/experiments/E1,E2/scans/ALL/resources|files`).
 * The resource rows name their scan but not their session, so each row is attributed by:
 *   1. the session in the URI of one of its files (files listing, same request round);
 *   2. the only session of the chunk, or the only one having that scan ID (session resources:
 *      a `cat_id` equal to a session of the chunk);
 *   3. otherwise (an empty resource under a scan ID several sessions share) bisection of the
 *      candidate sessions, one narrower listing per round: log2(candidates) requests.
 * Projects and subjects have no multi-owner listing: one request per owner and level.
 */
export class ResourceLoaders {
  private readonly scanCatalogs;
  private readonly sessionCatalogs;
  private readonly ownerResources: DataLoader<OwnerRef, ListedResource[], string>;
  private readonly ownerFiles: DataLoader<OwnerRef, FileRow[], string>;

  constructor(
    private readonly archive: XnatArchive,
    options: LoaderOptions,
    private readonly scans: ScanLoaders,
  ) {
    this.scanCatalogs = mapLoader<string, SessionCatalog>(
      options,
      async (sessions) => this.attributeAll(await archive.scanResourcesOfSessions(sessions), 'scan'),
      emptyCatalog(),
    );
    this.sessionCatalogs = mapLoader<string, SessionCatalog>(
      options,
      async (sessions) => this.attributeAll(await archive.sessionResourcesOfSessions(sessions), 'session'),
      emptyCatalog(),
    );
    const ownerKey = (owner: OwnerRef) => JSON.stringify(owner);
    this.ownerResources = new DataLoader((owners) => Promise.all(owners.map((o) => archive.resourcesOf(o))), { cacheKeyFn: ownerKey });
    this.ownerFiles = new DataLoader((owners) => Promise.all(owners.map((o) => archive.filesOf(o))), { cacheKeyFn: ownerKey });
  }

  private async attributeAll(listings: ResourceListing[], level: Level): Promise<Map<string, SessionCatalog>> {
    const out = new Map<string, SessionCatalog>();
    await Promise.all(listings.map((listing) => this.attribute(listing, level, out)));
    return out;
  }

  private async attribute(listing: ResourceListing, level: Level, out: Map<string, SessionCatalog>): Promise<void> {
    const chunk = listing.sessions;
    const inChunk = new Set(chunk);
    const files = filesByResource(listing.files);
    for (const session of chunk) out.set(session, { resources: new Map(), files });

    const sessionOfResource = new Map<number, string>();
    for (const file of listing.files) {
      if (file.uriExperiment !== null && inChunk.has(file.uriExperiment)) sessionOfResource.set(file.resourceDbId, file.uriExperiment);
    }
    const wanted = listing.resources.filter((r) =>
      level === 'scan' ? r.category === null || r.category === 'scans' : r.category === null || r.category === 'resources',
    );

    const unresolved: { row: ListedResource; candidates: string[] }[] = [];
    for (const row of wanted) {
      let session = sessionOfResource.get(row.dbId) ?? (chunk.length === 1 ? chunk[0] : undefined);
      if (session === undefined && level === 'session' && inChunk.has(row.catId)) session = row.catId;
      let candidates = chunk;
      if (session === undefined && level === 'scan') {
        const owners = await Promise.all(chunk.map(async (s) => ((await this.scans.scanIdsOf(s)).includes(row.catId) ? s : null)));
        candidates = owners.filter((s): s is string => s !== null);
        if (candidates.length === 1) session = candidates[0];
        if (candidates.length === 0) candidates = chunk;
      }
      if (session !== undefined) sessionOfResource.set(row.dbId, session);
      else unresolved.push({ row, candidates });
    }

    // Bisect the candidate sessions of each ambiguous row: log2(candidates) rounds of requests.
    let pending = unresolved;
    while (pending.length > 0) {
      const halves = new Map<string, { half: string[]; scanId: string | null; found?: Set<number> }>();
      const keyOf = (u: (typeof pending)[number]) => `${u.row.catId}|${u.candidates.join(',')}`;
      for (const u of pending) {
        halves.set(keyOf(u), { half: u.candidates.slice(0, Math.ceil(u.candidates.length / 2)), scanId: level === 'scan' ? u.row.catId : null });
      }
      await Promise.all([...halves.values()].map(async (h) => (h.found = await this.archive.resourceIdsIn(h.half, h.scanId))));
      const next: typeof pending = [];
      for (const u of pending) {
        const { half, found } = halves.get(keyOf(u))!;
        const candidates = found!.has(u.row.dbId) ? half : u.candidates.slice(half.length);
        if (candidates.length === 1) sessionOfResource.set(u.row.dbId, candidates[0]!);
        else if (candidates.length > 1) next.push({ row: u.row, candidates });
      }
      pending = next;
    }

    for (const row of wanted) {
      const session = sessionOfResource.get(row.dbId);
      if (session === undefined) continue;
      const catalog = out.get(session)!;
      const key = level === 'scan' ? row.catId : '';
      const list = catalog.resources.get(key);
      if (list) list.push(row);
      else catalog.resources.set(key, [row]);
    }
    for (const catalog of out.values()) for (const list of catalog.resources.values()) list.sort((a, b) => byText(a.label, b.label));
  }

  private async listed(owner: ResourceOwner): Promise<{ rows: ListedResource[]; files: () => Promise<Map<number, FileRow[]>> }> {
    switch (owner.kind) {
      case 'Scan': {
        const catalog = await this.scanCatalogs.load(owner.session.id);
        return { rows: catalog.resources.get(owner.id) ?? [], files: async () => catalog.files };
      }
      case 'Experiment': {
        const catalog = await this.sessionCatalogs.load(owner.id);
        return { rows: catalog.resources.get('') ?? [], files: async () => catalog.files };
      }
      default: {
        const ref = ownerRef(owner);
        const rows = [...(await this.ownerResources.load(ref))].sort((a, b) => byText(a.label, b.label));
        return { rows, files: async () => filesByResource(await this.ownerFiles.load(ref)) };
      }
    }
  }

  async resourcesOf(owner: ResourceOwner): Promise<Resource[]> {
    return (await this.listed(owner)).rows.map((row) => resource(owner, row));
  }

  /** By label, or by numeric resource ID as XNAT also accepts; null when absent. */
  async resourceOf(owner: ResourceOwner, labelOrId: string): Promise<Resource | null> {
    const list = await this.resourcesOf(owner);
    return list.find((r) => r.label === labelOrId) ?? list.find((r) => String(r.dbId) === labelOrId) ?? null;
  }

  async filesOf(parent: Resource): Promise<ArchiveFile[]> {
    const files = await (await this.listed(parent.owner)).files();
    return (files.get(parent.dbId) ?? []).map((row) => archiveFile(parent, row));
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
    if (owner.kind === 'Scan') this.scanCatalogs.clear(owner.session.id);
    else if (owner.kind === 'Experiment') this.sessionCatalogs.clear(owner.id);
    else {
      const ref = ownerRef(owner);
      this.ownerResources.clear(ref);
      this.ownerFiles.clear(ref);
    }
  }
}
