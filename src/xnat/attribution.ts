import { LEVELS, SESSION_CHILD_LEVELS, SESSION_RESOURCE_CATEGORY, type SessionChildLevel } from '../levels.js';
import { upstreamError } from '../errors.js';
import type { ListedFile, ListedResource } from './records.js';

/**
 * Which session (or assessor) each row of a multi-owner resources listing belongs to. XNAT
 * answers `/data/experiments/E1,E2/scans/ALL/resources` (`…/reconstructions/ALL/resources`) with
 * rows that name their scan or reconstruction (`cat_id`) but not their session, so the rows are attributed in named steps, cheapest first:
 *   1. file URIs, when the files were listed with the resources (they name the session);
 *   2. the only session of the listing having a child with that ID;
 *   3. the image-session listing joined with the children's resource IDs
 *      (XnatArchive.childResourceSessions), asked only when rows remain.
 * Session resources and those listed by object ID name their owner in `cat_id` (`catIdOwner`).
 */

/** The levels whose resources one listing answers for many owners: sessions and their children. */
export const CATALOG_LEVELS = ['experiment', ...SESSION_CHILD_LEVELS] as const;
export type CatalogLevel = (typeof CATALOG_LEVELS)[number];

/** The `category` XNAT gives each level's resource rows (XNATTemplate.loadCatalogs). */
const categoryOf = (level: CatalogLevel) => (level === 'experiment' ? SESSION_RESOURCE_CATEGORY : LEVELS[level].resourceCategory);

/** Whether a level's resource rows are keyed by `cat_id` within their session (children listed under sessions). */
export function keyedByCatId(level: CatalogLevel): boolean {
  return level !== 'experiment' && LEVELS[level].resourceListing === 'under-sessions';
}

/** One listing of a catalog level with the files listed with it (null: not asked) and the owner of each row. */
export interface AttributedListing {
  listing: ResourceListing;
  files: ListedFile[] | null;
  ownerOf: (row: ListedResource) => string | undefined;
}

/** What attribution needs from the caller's loaders: the child IDs of a session, the session of an object. */
export interface CatalogDeps {
  childIdsOf(level: SessionChildLevel, session: string): Promise<string[]>;
  sessionOf(id: string): string;
}

/** One multi-owner resources listing: the owners (sessions or assessors) it was asked for, and its rows. */
export interface ResourceListing {
  sessions: string[];
  resources: ListedResource[];
}

/**
 * Resources of one owner at one level: by scan ID for scan resources, under '' for the
 * session's own (and for an assessor's own, the assessor standing in for the session).
 */
export type SessionCatalog = Map<string, ListedResource[]>;

/** Owner of each row, by resource ID. */
export type Attribution = Map<number, string>;

/** Step 1: the session each file URI names, for the resources of those files. */
export function attributeByFileUris(files: readonly ListedFile[], into: Attribution = new Map()): Attribution {
  for (const file of files) {
    if (file.uriExperiment !== null && !into.has(file.resourceDbId)) into.set(file.resourceDbId, file.uriExperiment);
  }
  return into;
}

/** Step 2: rows whose child ID (`cat_id`) only one session of the listing has. */
export function attributeByChildIds(
  listing: ResourceListing,
  childIdsOf: ReadonlyMap<string, ReadonlySet<string>>,
  into: Attribution = new Map(),
): Attribution {
  // Each child ID's session, or null when several sessions of the listing have it: one pass
  // over the children, not one over the sessions per row (a chunk has hundreds of sessions).
  const sessionOfChild = new Map<string, string | null>();
  for (const session of listing.sessions)
    for (const id of childIdsOf.get(session) ?? []) sessionOfChild.set(id, sessionOfChild.has(id) ? null : session);
  for (const row of listing.resources) {
    if (into.has(row.dbId)) continue;
    const session = sessionOfChild.get(row.catId);
    if (session) into.set(row.dbId, session);
  }
  return into;
}

/** Whether a further step is needed: some row is still unattributed. */
export function unattributed(listing: ResourceListing, attribution: Attribution): boolean {
  return listing.resources.some((r) => !attribution.has(r.dbId));
}

/** Step 3: the join's answer, for the rows still unattributed. */
export function attributeByJoin(joined: ReadonlyMap<number, string>, into: Attribution): Attribution {
  for (const [dbId, session] of joined) if (!into.has(dbId)) into.set(dbId, session);
  return into;
}

/** Session and assessor resources: `cat_id` names the owner; a one-owner listing needs no name. */
export function catIdOwner(listing: ResourceListing): (row: ListedResource) => string | undefined {
  return (row) => (listing.sessions.includes(row.catId) ? row.catId : listing.sessions.length === 1 ? listing.sessions[0] : undefined);
}

/**
 * The listing's rows of `level` filed under their owner, by child ID for children listed under
 * sessions ('' for the others), in listing order. A row no step attributes is XNAT answering
 * something the gateway cannot place: UPSTREAM_ERROR rather than a resource under a guessed owner.
 */
export function fileCatalogs(
  listing: ResourceListing,
  level: CatalogLevel,
  ownerOf: (row: ListedResource) => string | undefined,
): Map<string, SessionCatalog> {
  const out = new Map<string, SessionCatalog>();
  for (const session of listing.sessions) out.set(session, new Map());
  for (const row of listing.resources) {
    if (row.category !== null && row.category !== categoryOf(level)) continue;
    const session = ownerOf(row);
    const catalog = session === undefined ? undefined : out.get(session);
    if (!catalog) {
      throw upstreamError(`XNAT did not tell which session resource ${row.dbId} (${JSON.stringify(row.label)}) belongs to`);
    }
    const key = keyedByCatId(level) ? row.catId : '';
    const list = catalog.get(key);
    if (list) list.push(row);
    else catalog.set(key, [row]);
  }
  return out;
}
