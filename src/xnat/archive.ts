import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { uploadBody } from './upload-body.js';
import type { XnatAuth } from './auth.js';
import type { XnatClient } from './client.js';
import type { TableCache } from '../cache/table-cache.js';
import { planChunkFiles, type BudgetOptions, type FilesRequest } from './row-budget.js';
import { parseGroups } from './access.js';
import { LEVELS, type SessionChildLevel } from '../levels.js';
import {
  attributeByChildIds,
  attributeByFileUris,
  attributeByJoin,
  catIdOwner,
  keyedByCatId,
  unattributed,
  type AttributedListing,
  type CatalogDeps,
  type CatalogLevel,
  type ResourceListing,
} from './attribution.js';
import { alsoDeleted } from './catalog-match.js';
import { badUserInput, codeOf, gatewayError, queryTooLarge, upstreamError } from '../errors.js';
import { errorForStatus } from './errors.js';
import {
  chunkIds,
  sessionChildListPath,
  experimentListPath,
  experimentsPath,
  filePath,
  objectPath,
  ownerPath,
  projectPath,
  projectsPath,
  resourceFilesPath,
  resourcePath,
  resourceZipRequest,
  routeOf,
  scanZipRequest,
  sessionScansZipRequest,
  subjectsPath,
  userGroupsPath,
  usernamePath,
} from './paths.js';
import type {
  AssessorRow,
  ExperimentRef,
  ExperimentRow,
  FileRef,
  ListedFile,
  ListedResource,
  OwnerRef,
  ProjectRow,
  ReconstructionRow,
  ResourceRef,
  ScanRef,
  SessionScans,
  SubjectRow,
  TypeSpecificDetails,
} from './records.js';
import {
  ASSESSOR_SESSION,
  assessorColumns,
  experimentColumns,
  parseAssessors,
  parseExperiments,
  parseProjects,
  parseReconstructionJoin,
  groupScanJoin,
  parseSubjects,
  parseTypeSpecific,
  projectColumns,
  projectExperimentColumns,
  childResourceColumns,
  reconstructionJoinColumns,
  scanJoinColumns,
  subjectColumns,
  toFile,
  toChildResourceSession,
  toResource,
  toScanJoinRow,
  typeSpecificColumns,
  type RawRow,
} from './resultset.js';

/** XNAT's sharing fields (`sharing/share` elements), as filters on the site-wide listings. */
const SUBJECT_SHARE = 'xnat:subjectData/sharing/share/project';
const EXPERIMENT_SHARE = 'xnat:experimentData/sharing/share/project';

/**
 * A project listing refused with 403 (a protected project, read without a role) or 404 (a
 * project the user cannot see, or none) lists nothing, as the site-wide listings would.
 */
async function unreadableAsEmpty(rows: Promise<RawRow[]>): Promise<RawRow[]> {
  try {
    return await rows;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'FORBIDDEN' || code === 'NOT_FOUND') return [];
    throw error;
  }
}

/**
 * The size guard (`--max-answer-rows`): rows one HTTP request may read from XNAT, drawn by its
 * operation — or by every operation of a multipart batch together.
 */
export class RowAllowance {
  used = 0;
  /**
   * Rows of planned listings already sent or about to be, not yet read (`Reservation`): held
   * against the allowance so that listings in flight together cannot overshoot it.
   */
  reserved = 0;
  /**
   * The rows the request was found to need once it passed the allowance. From then on it sends
   * XNAT nothing more: the answer fails anyway, and the fields still to load would otherwise
   * read on through other listings (a resources listing without files, then files per batch).
   */
  refusedAt: number | null = null;

  constructor(readonly maxRows = Infinity) {}

  refuse(rows: number): never {
    this.refusedAt ??= rows;
    throw queryTooLarge(this.refusedAt, this.maxRows);
  }
}

/** Rows a planned listing (a files listing sized by `file_count`) will bring, held until they are read. */
class Reservation {
  constructor(public left: number) {}
}

/** Upstream requests of one GraphQL request, by named query; tests and benchmarks assert on it. */
export class RequestStats {
  requests = 0;
  readonly byQuery = new Map<string, number>();
  /** Rows read from XNAT listings (cache hits included): what the answer is built from. */
  rows = 0;

  /** Past the allowance the request fails with QUERY_TOO_LARGE. */
  constructor(private readonly allowance = new RowAllowance()) {}

  /**
   * Counts rows read (drawn from their listing's reservation, if any); throws once the rows read
   * and those still reserved exceed the allowance.
   */
  take(rows: number, reservation?: Reservation): void {
    this.rows += rows;
    const allowance = this.allowance;
    allowance.used += rows;
    if (reservation) {
      const covered = Math.min(rows, reservation.left);
      reservation.left -= covered;
      allowance.reserved -= covered;
    }
    if (allowance.used + allowance.reserved > allowance.maxRows) allowance.refuse(allowance.used + allowance.reserved);
  }

  /**
   * Holds `rows` of planned listings against the allowance before they are sent, or refuses them
   * when they would take the request past it — counting what other listings in flight reserved.
   */
  reserve(rows: number): Reservation {
    const allowance = this.allowance;
    const total = allowance.used + allowance.reserved + rows;
    if (allowance.refusedAt !== null || total > allowance.maxRows) allowance.refuse(total);
    allowance.reserved += rows;
    return new Reservation(rows);
  }

  /** Gives back what a reservation's listings did not bring (fewer rows than planned, or a failure). */
  release(reservation: Reservation): void {
    this.allowance.reserved -= reservation.left;
    reservation.left = 0;
  }

  /** `run` with `rows` reserved for the listings it sends, released when it ends. */
  async reserved<T>(rows: number, run: (reservation: Reservation) => Promise<T>): Promise<T> {
    const reservation = this.reserve(rows);
    try {
      return await run(reservation);
    } finally {
      this.release(reservation);
    }
  }

  /** A listing about to be sent, refused once the request has passed its allowance. */
  countListing(query: string): void {
    if (this.allowance.refusedAt !== null) this.allowance.refuse(this.allowance.refusedAt);
    this.count(query);
  }

  count(query: string): void {
    this.requests += 1;
    this.byQuery.set(query, (this.byQuery.get(query) ?? 0) + 1);
    this.oldestReadAt = Math.min(this.oldestReadAt, Date.now());
  }

  /** Listings answered from the cross-request cache (src/cache), not counted as requests. */
  cacheHits = 0;

  /**
   * When XNAT gave the oldest answer this request used (epoch ms; a cached listing counts from
   * when it was fetched), so a whole answer is kept no longer than its oldest listing would be.
   */
  oldestReadAt = Infinity;

  cacheHit(storedAt: number): void {
    this.cacheHits += 1;
    this.oldestReadAt = Math.min(this.oldestReadAt, storedAt);
  }
}

/** `/data/experiments/{their sessions}/assessors/{ids}`: children named by ID, under the sessions they belong to. */
function childListPath(level: SessionChildLevel, ids: readonly string[], deps: CatalogDeps): string {
  return sessionChildListPath(level, [...new Set(ids.map((id) => deps.sessionOf(id)))], ids);
}

/** Files listings stay under 20,000 rows unless configured otherwise (`--xnat-row-budget`). */
export const defaultBudget: BudgetOptions = { maxRows: 20_000, maxIdChars: 2000, unknownRows: 100 };

/**
 * `fetch` for each chunk of the distinct `ids` (chunkIds keeps URLs short), in parallel, the
 * answers joined in chunk order; no IDs, no request. Used by the search, stats and fields queries too.
 */
export async function chunked<T>(ids: readonly string[], fetch: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  if (ids.length === 0) return [];
  const parts = await Promise.all(chunkIds([...new Set(ids)]).map(fetch));
  return parts.flat();
}

/** `chunked` for answers keyed by ID: the chunks' maps merged into one. */
export async function chunkedMap<K, V>(ids: readonly string[], fetch: (chunk: string[]) => Promise<Map<K, V>>): Promise<Map<K, V>> {
  const maps = await chunked(ids, async (chunk) => [await fetch(chunk)]);
  return new Map(maps.flatMap((m) => [...m]));
}

/** Rows as XNAT lists them (`table`), cached under their listing alone. */
const asRaw = (raw: RawRow): RawRow => raw;

/**
 * The XNAT requests the gateway makes, one named method per statement, in domain terms. Every
 * "…Of(ids)" method is the widest request XNAT offers for that level (docs/xnat-conformance.md), split
 * into chunks only to keep URLs short.
 */
export class XnatArchive {
  constructor(
    private readonly client: XnatClient,
    private readonly auth: XnatAuth,
    readonly stats: RequestStats,
    private readonly cache?: TableCache,
    /** How many file rows one files listing may return (loaders/row-budget.ts). */
    readonly budget: BudgetOptions = defaultBudget,
    /** The oldest cached listing this request accepts (its Cache-Control); absent: the cache's TTL. */
    private readonly cacheMaxAgeMs?: number,
  ) {}

  /** One counted table request (or a cache hit); the search, stats and fields queries use it too. */
  table(query: string, path: string, params: Record<string, string | undefined> = {}): Promise<RawRow[]> {
    return this.rows(query, path, params, asRaw);
  }

  /**
   * `table`, each row turned into a compact record as the listing streams in. The cache keeps
   * those records, so it files converted rows under the statement too: two statements may send
   * XNAT the same listing (a scan's `fields` can ask for the very join that attributes scan
   * resources to sessions) and each must get its own records back.
   */
  async rows<T>(
    query: string,
    path: string,
    params: Record<string, string | undefined>,
    toRow: (raw: RawRow, index: number) => T,
    reservation?: Reservation,
  ): Promise<T[]> {
    const fetch = () => {
      this.stats.countListing(query);
      return this.client.table(this.auth, path, params, (raw, index) => {
        this.stats.take(1, reservation);
        return toRow(raw, index);
      });
    };
    if (!this.cache) return fetch();
    let hit = false;
    const rows = await this.cache.through(
      this.auth,
      { path, params, ...((toRow as unknown) === asRaw ? {} : { shape: query }) },
      fetch,
      (storedAt) => {
        hit = true;
        this.stats.cacheHit(storedAt);
      },
      this.cacheMaxAgeMs,
    );
    // Fetched rows were counted as they came; cached ones are counted here.
    if (hit) this.stats.take(rows.length, reservation);
    return rows;
  }

  /**
   * A project-scoped listing; a 403 or 404 (a project whose data the user cannot read) lists
   * nothing, and that answer is cached like any other.
   */
  private projectTable(query: string, path: string, params: Record<string, string | undefined>) {
    return this.cached(query, path, params, () => unreadableAsEmpty(this.client.table(this.auth, path, params)));
  }

  /** `fetch` counted under `query`, or its answer from the cross-request cache. */
  private cached<T>(query: string, path: string, params: Record<string, string | undefined>, fetch: () => Promise<T[]>): Promise<T[]> {
    const counted = () => {
      this.stats.countListing(query);
      return fetch();
    };
    if (!this.cache) return counted();
    return this.cache.through(
      this.auth,
      { path, params, shape: query },
      counted,
      (storedAt) => this.stats.cacheHit(storedAt),
      this.cacheMaxAgeMs,
    );
  }

  /**
   * The caller's XNAT groups (`GET /xapi/users/{username}/groups`, one request, cached like a
   * listing). An alias token's Basic user is the alias, not the username, so when XNAT refuses
   * that name the username is asked first (`GET /xapi/users/username`). Anonymous: none.
   */
  async userGroups(): Promise<Set<string>> {
    const auth = this.auth;
    if (auth.kind !== 'basic') return new Set();
    const groupsOf = async (username: string) => {
      const path = userGroupsPath(username);
      const groups = parseGroups(await this.client.text(auth, path));
      if (!groups) throw upstreamError(`XNAT answered GET ${routeOf(path)} with something other than a list of groups`);
      return groups;
    };
    const rows = await this.cached('userGroups', userGroupsPath(auth.user), {}, async () => {
      const groups = await groupsOf(auth.user).catch(async (error: unknown) => {
        const code = codeOf(error);
        if (code !== 'FORBIDDEN' && code !== 'NOT_FOUND') throw error;
        this.stats.count('username');
        const username = (await this.client.text(auth, usernamePath)).trim();
        this.stats.count('userGroups');
        return groupsOf(username);
      });
      return groups.map((group) => ({ group }));
    });
    return new Set(rows.map((r) => r.group));
  }

  /**
   * The projects where the caller may `action` data of `dataType`, as XNAT decides it from the
   * element access of the caller's groups — permissions a site customised included
   * (`GET /data/projects?permissions=&dataType=`, ProjectListResource's PermissionsProjectHandler;
   * for xnat:projectData it lists projects to administrators only).
   */
  async projectsPermitting(action: 'edit', dataType: string): Promise<Set<string>> {
    const rows = await this.table('projectsPermitting', projectsPath, { permissions: action, dataType });
    return new Set(rows.map((row) => row['id'] ?? ''));
  }

  /** Every project the user can read (XNAT ignores filters here for non-admins anyway). */
  async projects(): Promise<ProjectRow[]> {
    return parseProjects(await this.table('projects', projectsPath, { columns: projectColumns.join(',') }));
  }

  /** Subjects owned by the projects (`project=` matches the owner only). */
  subjectsOfProjects(projects: readonly string[]): Promise<SubjectRow[]> {
    return chunked(projects, async (chunk) =>
      parseSubjects(await this.table('subjectsOfProjects', subjectsPath, { project: chunk.join(','), columns: subjectColumns.join(',') })),
    );
  }

  /**
   * Accession IDs of the subjects shared into any of the projects: the filter on XNAT's sharing
   * field that ProjectSubjectList uses, on the site-wide listing.
   */
  sharedSubjectIds(projects: readonly string[]): Promise<string[]> {
    return chunked(projects, async (chunk) =>
      (await this.table('sharedSubjectIds', subjectsPath, { [SUBJECT_SHARE]: chunk.join(','), columns: 'ID' })).flatMap(
        (r) => r['ID'] || [],
      ),
    );
  }

  /**
   * Subjects in one project, owned or shared into it (`/data/projects/{p}/subjects`: the only
   * listing that gives a shared subject the label it has in p), optionally only the given IDs.
   * `project` is set to p, `ownerProject` keeps the owner. A project whose data the user may not
   * read (protected, no role) answers 403: no subjects.
   */
  async subjectsInProject(project: string, ids?: readonly string[]): Promise<SubjectRow[]> {
    const fetch = async (params: Record<string, string>) =>
      parseSubjects(
        await this.projectTable('subjectsInProject', `${projectPath(project)}/subjects`, { ...params, columns: subjectColumns.join(',') }),
      );
    const rows = ids ? await chunked(ids, (chunk) => fetch({ ID: chunk.join(',') })) : await fetch({});
    return rows.map((r) => ({ ...r, project }));
  }

  experimentsOfSubjects(subjects: readonly string[]): Promise<ExperimentRow[]> {
    return chunked(subjects, async (chunk) =>
      parseExperiments(
        await this.table('experimentsOfSubjects', experimentsPath, { subject_ID: chunk.join(','), columns: experimentColumns.join(',') }),
      ),
    );
  }

  /** Experiments owned by the projects (`project=` matches the owner only). */
  experimentsOfProjects(projects: readonly string[]): Promise<ExperimentRow[]> {
    return chunked(projects, async (chunk) =>
      parseExperiments(
        await this.table('experimentsOfProjects', experimentsPath, { project: chunk.join(','), columns: experimentColumns.join(',') }),
      ),
    );
  }

  /** Accession IDs of the experiments shared into any of the projects. */
  sharedExperimentIds(projects: readonly string[]): Promise<string[]> {
    return chunked(projects, async (chunk) =>
      (await this.table('sharedExperimentIds', experimentsPath, { [EXPERIMENT_SHARE]: chunk.join(','), columns: 'ID' })).flatMap(
        (r) => r['ID'] || [],
      ),
    );
  }

  /**
   * Experiments in one project, owned or shared into it (`/data/projects/{p}/experiments`, with
   * their labels, subject labels and `project` as p there), optionally only those of the given
   * subjects or IDs. 403 (protected, no role): none.
   */
  async experimentsInProject(
    project: string,
    only?: { subjects: readonly string[] } | { ids: readonly string[] },
  ): Promise<ExperimentRow[]> {
    const fetch = async (params: Record<string, string>) =>
      parseExperiments(
        await this.projectTable('experimentsInProject', `${projectPath(project)}/experiments`, {
          ...params,
          columns: projectExperimentColumns.join(','),
        }),
      );
    if (!only) return fetch({});
    if ('subjects' in only) return chunked(only.subjects, (chunk) => fetch({ subject_ID: chunk.join(',') }));
    return chunked(only.ids, (chunk) => fetch({ ID: chunk.join(',') }));
  }

  /** Columns that exist on one session type only, for sessions of that type. */
  async typeSpecificDetails(xsiType: string, sessions: readonly string[]): Promise<Map<string, TypeSpecificDetails>> {
    const columns = typeSpecificColumns[xsiType];
    if (!columns) return new Map();
    return chunkedMap(sessions, async (chunk) =>
      parseTypeSpecific(
        await this.table('typeSpecificDetails', experimentsPath, { xsiType, ID: chunk.join(','), columns: ['ID', ...columns].join(',') }),
      ),
    );
  }

  /** Scans of many image sessions in one request: the experiment listing joined with scan columns. */
  scansOfSessions(sessions: readonly string[]): Promise<Map<string, SessionScans>> {
    return chunkedMap(sessions, async (chunk) =>
      groupScanJoin(await this.imageSessionJoin('scansOfSessions', chunk, scanJoinColumns, toScanJoinRow)),
    );
  }

  /**
   * The resources listings of a catalog level for many owners — sessions for their own resources
   * and for children listed under sessions, the objects themselves for children listed by ID
   * (levels.ts `resourceListing`) — each with its rows attributed to their owner (attribution.ts)
   * and, with `files`, every file of its resources, in requests sized by the row budget.
   */
  async catalogs(level: CatalogLevel, owners: readonly string[], files: boolean, deps: CatalogDeps): Promise<AttributedListing[]> {
    const childIds =
      level !== 'experiment' && keyedByCatId(level)
        ? new Map(await Promise.all(owners.map(async (s) => [s, new Set(await deps.childIdsOf(level, s))] as const)))
        : undefined;
    const listings = await this.resourcesListings(level, owners, deps);
    return Promise.all(
      listings.map(async (listing) => {
        const listed = files ? await this.chunkFiles(level, listing, deps) : null;
        if (!childIds) return { listing, files: listed, ownerOf: catIdOwner(listing) };
        const attribution = attributeByChildIds(listing, childIds, attributeByFileUris(listed ?? []));
        if (level !== 'experiment' && unattributed(listing, attribution)) {
          attributeByJoin(await this.childResourceSessions(level, listing.sessions), attribution);
        }
        return { listing, files: listed, ownerOf: (row: ListedResource) => attribution.get(row.dbId) };
      }),
    );
  }

  private resourcesListings(level: CatalogLevel, owners: readonly string[], deps: CatalogDeps): Promise<ResourceListing[]> {
    if (level === 'experiment') return this.resourceChunks(owners, 'sessionResourcesOfSessions', (base) => `${base}/resources`);
    const { collection, resourceListing } = LEVELS[level];
    if (resourceListing === 'under-sessions') {
      return this.resourceChunks(owners, `${level}ResourcesOfSessions`, (base) => `${base}/${collection}/ALL/resources`);
    }
    return Promise.all(
      chunkIds([...new Set(owners)], 1000).map(async (chunk) => ({
        sessions: chunk,
        resources: await this.rows(`${level}Resources`, `${childListPath(level, chunk, deps)}/resources`, {}, toResource),
      })),
    );
  }

  /**
   * A chunk none of whose sessions (or, for children, children) XNAT finds any more answers 404
   * (`XNATTemplate`, `CatalogResourceList`): a session or scan deleted since its listing was
   * cached. Those sessions have no resources.
   */
  private resourceChunks(sessions: readonly string[], query: string, path: (base: string) => string): Promise<ResourceListing[]> {
    return Promise.all(
      chunkIds([...new Set(sessions)], 2000).map(async (chunk) => ({
        sessions: chunk,
        resources: await this.rows(query, path(experimentListPath(chunk)), {}, toResource).catch((error: unknown) => {
          if (codeOf(error) === 'NOT_FOUND') return [];
          throw error;
        }),
      })),
    );
  }

  /** Every file of a listing's resources, within the row budget (row-budget.ts). */
  private async chunkFiles(level: CatalogLevel, listing: ResourceListing, deps: CatalogDeps): Promise<ListedFile[]> {
    return (await this.plannedFiles(level, planChunkFiles(listing.sessions, listing.resources, this.budget), deps)).flat();
  }

  /**
   * The files listings of a plan (row-budget.ts), one list per request, sent together with their
   * planned rows reserved against the size guard until they are read.
   */
  plannedFiles(level: CatalogLevel, plan: readonly FilesRequest[], deps: CatalogDeps): Promise<ListedFile[][]> {
    return this.stats.reserved(
      plan.reduce((sum, r) => sum + r.rows, 0),
      (reservation) => Promise.all(plan.map((r) => this.catalogFiles(level, r.sessions, r.resourceIds, deps, reservation))),
    );
  }

  /**
   * One files listing of a catalog level's owners: every file of their resources, or only of the
   * resources named by ID (`…/resources/12,13/files`).
   */
  private catalogFiles(
    level: CatalogLevel,
    owners: readonly string[],
    resourceIds: readonly number[] | null,
    deps: CatalogDeps,
    reservation: Reservation,
  ): Promise<ListedFile[]> {
    let query: string;
    let base: string;
    if (level === 'experiment') {
      [query, base] = ['sessionFilesOfSessions', experimentListPath(owners)];
    } else if (LEVELS[level].resourceListing === 'under-sessions') {
      [query, base] = [`${level}FilesOfSessions`, `${experimentListPath(owners)}/${LEVELS[level].collection}/ALL`];
    } else {
      [query, base] = [`${level}Files`, childListPath(level, owners, deps)];
    }
    const path = resourceIds === null ? `${base}/files` : `${base}/resources/${resourceIds.join(',')}/files`;
    return this.rows(query, path, {}, toFile, reservation);
  }

  /**
   * The session of each resource of a child level (scans, reconstructions) of the sessions, by
   * resource ID: the image-session listing joined with the children's resource IDs (one short row
   * per resource).
   */
  childResourceSessions(level: SessionChildLevel, sessions: readonly string[]): Promise<Map<number, string>> {
    const { resourceList } = LEVELS[level];
    if (resourceList === null) return Promise.resolve(new Map());
    const toRow = toChildResourceSession(resourceList);
    return chunkedMap(
      sessions,
      async (chunk) =>
        new Map(
          (await this.imageSessionJoin(`${level}ResourceSessions`, chunk, childResourceColumns(resourceList), toRow)).filter(
            (pair) => pair !== null,
          ),
        ),
    );
  }

  /** The image-session listing of `sessions` joined with a child level's `columns` (one row per scan, reconstruction or child resource). */
  private imageSessionJoin<T = RawRow>(
    name: string,
    sessions: readonly string[],
    columns: readonly string[],
    toRow: (raw: RawRow, index: number) => T = (raw) => raw as T,
  ): Promise<T[]> {
    return this.rows(
      name,
      experimentsPath,
      { xsiType: 'xnat:imageSessionData', ID: sessions.join(','), columns: columns.join(',') },
      toRow,
    );
  }

  /**
   * Image assessors of many sessions in one request: the experiment listing rooted at
   * xnat:imageAssessorData (ExperimentListResource), filtered on the assessor's own
   * `imageSession_ID` field, so no join and one row per assessor.
   */
  assessorsOfSessions(sessions: readonly string[]): Promise<AssessorRow[]> {
    return chunked(sessions, async (chunk) =>
      parseAssessors(
        await this.table('assessorsOfSessions', experimentsPath, {
          xsiType: 'xnat:imageAssessorData',
          [ASSESSOR_SESSION]: chunk.join(','),
          columns: assessorColumns.join(','),
        }),
      ),
    );
  }

  /**
   * Reconstructions of many image sessions in one request: the image-session listing joined with
   * reconstruction columns (ReconList answers one session only).
   */
  reconstructionsOfSessions(sessions: readonly string[]): Promise<ReconstructionRow[]> {
    return chunked(sessions, async (chunk) =>
      parseReconstructionJoin(await this.imageSessionJoin('reconstructionsOfSessions', chunk, reconstructionJoinColumns)),
    );
  }

  /** Resources of one project or subject (XNAT has no multi-owner form for these). */
  async resourcesOf(owner: OwnerRef): Promise<ListedResource[]> {
    return this.rows(`${owner.kind}Resources`, `${ownerPath(owner)}/resources`, {}, toResource);
  }

  /** Files of all resources of one project or subject. */
  async filesOf(owner: OwnerRef): Promise<ListedFile[]> {
    return this.rows(`${owner.kind}Files`, `${ownerPath(owner)}/files`, {}, toFile);
  }

  // ---- writes --------------------------------------------------------------------------------

  private async write(
    query: string,
    method: 'PUT' | 'POST' | 'DELETE',
    path: string,
    params: Record<string, string | undefined>,
    body?: Readable | Buffer,
    headers?: Record<string, string>,
  ): Promise<string> {
    this.stats.count(query);
    // A write that may have changed XNAT changes what every user's cached listings show, so the
    // cache starts a new generation before the writer hears back. A refusal (4xx) changed nothing:
    // flushing then would let any caller empty everyone's cache with failing writes.
    let response: Awaited<ReturnType<XnatClient['request']>>;
    try {
      response = await this.client.request(this.auth, { method, path, query: params, body: body ?? null, ...(headers ? { headers } : {}) });
    } catch (error) {
      await this.cache?.invalidate();
      throw error;
    }
    if (response.statusCode < 400 || response.statusCode >= 500) await this.cache?.invalidate();
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode >= 300) throw errorForStatus(response.statusCode, method, routeOf(path), text);
    return text;
  }

  /**
   * pyxnat's `attrs.mset`: one `PUT <object>?xsiType=<type>&<path>=<value>…`, applied by XNAT's
   * `SecureResource.loadItem` on top of the stored object. XNAT answers 200 even when it stored
   * only some values (an unknown field stops the population), so the caller reads them back.
   */
  async setFields(ref: OwnerRef, xsiType: string | undefined, values: ReadonlyArray<readonly [string, string]>): Promise<void> {
    await this.write('setFields', 'PUT', objectPath(ref), { ...(xsiType ? { xsiType } : {}), ...Object.fromEntries(values) });
  }

  /** Each scan's data type in one session (`…/scans?columns=ID,xsiType`, as pyxnat's `datatype()` asks). */
  async scanTypes(session: string): Promise<Map<string, string>> {
    const rows = await this.table('scanTypes', `${experimentListPath([session])}/scans`, { columns: 'ID,xsiType' });
    return new Map(rows.flatMap((r) => (r['ID'] && r['xsiType'] ? [[r['ID'], r['xsiType']] as const] : [])));
  }

  /** The same requests, never answered from the cross-request cache (reads that must see XNAT now). */
  uncached(): XnatArchive {
    return new XnatArchive(this.client, this.auth, this.stats, this.cache, this.budget, 0);
  }

  /** The URL path of a file as this XNAT will find it; BAD_USER_INPUT when it cannot (paths.ts). */
  async fileAddress(ref: FileRef): Promise<string> {
    return filePath(ref, await this.client.version.of(this.auth));
  }

  async createResource(ref: ResourceRef, format: string | undefined): Promise<void> {
    await this.write('createResource', 'PUT', resourcePath(ref), { format });
  }

  /**
   * Stores one file (or, with extract, the entries of an archive) under the resource, streamed as
   * the body itself when its size is known, else as a multipart part (upload-body.ts); XNAT
   * creates the resource when missing. A refused duplicate comes back 200 with a JSON report.
   * Answers how many bytes were sent, for the caller to hold against what XNAT lists.
   */
  async uploadFile(
    ref: FileRef,
    source: Readable | Buffer,
    options: { overwrite: boolean; extract: boolean; size?: number; contentType?: string },
  ): Promise<number> {
    // A body that fails on the caller's side (client gone, size limit) is the caller's error, not XNAT's.
    let bodyError: Error | undefined;
    if (!Buffer.isBuffer(source)) source.once('error', (error) => (bodyError = error));
    const path = filePath(ref, await this.client.version.of(this.auth));
    const upload = uploadBody(ref.path.split('/').pop() ?? ref.path, source, options);
    const headers: Record<string, string> = { 'content-type': upload.contentType };
    if (upload.contentLength !== undefined) headers['content-length'] = String(upload.contentLength);
    let text: string;
    try {
      text = await this.write(
        'uploadFile',
        'POST',
        path,
        { ...upload.query, overwrite: String(options.overwrite), extract: options.extract ? 'true' : undefined },
        upload.body,
        headers,
      );
    } catch (error) {
      if (bodyError) throw badUserInput(`The uploaded file did not arrive completely: ${bodyError.message}`);
      if (!options.extract && (await this.storedDespite(error, ref, upload.fileBytes(), upload.fileDigest()))) return upload.fileBytes();
      throw error;
    }
    if (/"duplicates"\s*:\s*\[\s*"/.test(text)) {
      throw gatewayError(
        'CONFLICT',
        `A file ${JSON.stringify(ref.path)} already exists in resource ${JSON.stringify(ref.resource.label)}; pass overwrite: true to replace it.`,
      );
    }
    return upload.fileBytes();
  }

  /**
   * Whether XNAT stored the file although its answer to the upload was lost (timeout, dropped
   * connection, a proxy's 5xx): XNAT may finish a write whose answer never arrives, and calling
   * that a failure makes the caller's retry a CONFLICT. Stored means listed at the path with the
   * bytes sent: the same size and the same MD5, which XNAT keeps as the catalog digest when
   * checksums are on (without a digest the content cannot be told from an older file's, so the
   * failure stands). A refusal (4xx) stored nothing and is not checked.
   */
  private async storedDespite(error: unknown, ref: FileRef, bytes: number, digest: string | undefined): Promise<boolean> {
    const code = codeOf(error);
    if ((code !== 'UPSTREAM_TIMEOUT' && code !== 'UPSTREAM_ERROR') || digest === undefined) return false;
    this.stats.count('filesOfResource');
    const listed = await this.client.table(this.auth, resourceFilesPath(ref.resource), {}, toFile).catch(() => []);
    const file = listed.find((f) => f.path === ref.path);
    return file !== undefined && file.size === bytes && file.digest !== null && file.digest.toLowerCase() === digest;
  }

  /**
   * Deletes exactly one file. XNAT's file DELETE removes every catalog entry whose path
   * string-starts-with the path sent (CatalogUtils.findCatEntriesWithinPath), and there is no
   * exact form, so the resource is listed first, uncached, and the delete refused with CONFLICT
   * when it would take other files too.
   */
  async deleteFile(ref: FileRef): Promise<void> {
    const path = filePath(ref, await this.client.version.of(this.auth));
    this.stats.count('filesOfResource');
    const listed = await this.client.table(this.auth, resourceFilesPath(ref.resource), {}, toFile);
    if (!listed.some((f) => f.path === ref.path)) {
      throw gatewayError('NOT_FOUND', `No file ${JSON.stringify(ref.path)} in resource ${JSON.stringify(ref.resource.label)}.`);
    }
    const caught = alsoDeleted(
      ref.path,
      listed.map((f) => f.path),
    );
    if (caught.length > 0) {
      const shown = caught
        .slice(0, 10)
        .map((p) => JSON.stringify(p))
        .join(', ');
      const more = caught.length > 10 ? ` and ${caught.length - 10} more` : '';
      throw gatewayError(
        'CONFLICT',
        `XNAT deletes every file whose path starts with ${JSON.stringify(ref.path)}, so this would also delete ${shown}${more}. ` +
          'Delete those files first (longest paths first), or delete the whole resource.',
        { alsoDeleted: caught },
      );
    }
    await this.write('deleteFile', 'DELETE', path, {});
  }

  async deleteResource(ref: ResourceRef): Promise<void> {
    await this.write('deleteResource', 'DELETE', resourcePath(ref), { removeFiles: 'true' });
  }

  /**
   * A file, or a zip XNAT builds as it streams, with the client's range and conditional headers
   * passed on. XNAT's refusals become errors, except 416: the client's range not fitting the file
   * is the client's own mistake, answered as HTTP says.
   */
  async download(target: DownloadTarget, request: DownloadRequest): Promise<DownloadAnswer> {
    const { path, query } = await this.downloadAddress(target);
    const response = await this.client.request(this.auth, {
      method: request.method,
      path,
      ...(query ? { query } : {}),
      headers: request.headers,
      signal: request.signal,
    });
    const status = response.statusCode;
    if (status === 416) {
      await response.body.dump();
      const range = response.headers['content-range'];
      return { unsatisfiable: true, ...(typeof range === 'string' ? { contentRange: range } : {}) };
    }
    if (status >= 400) throw errorForStatus(status, 'GET', routeOf(path), await response.body.text());
    return { unsatisfiable: false, status, headers: response.headers, body: response.body };
  }

  private async downloadAddress(target: DownloadTarget): Promise<{ path: string; query?: Record<string, string> }> {
    switch (target.kind) {
      case 'file':
        return { path: filePath(target.ref, await this.client.version.of(this.auth)) };
      case 'resource':
        return resourceZipRequest(target.ref);
      case 'scan':
        return scanZipRequest(target.ref, target.resources);
      case 'experiment':
        return sessionScansZipRequest(target.ref, target.scanTypes, target.resources);
    }
  }
}

/** What a download URL stands for: a file, or a zip of a resource, of a scan's resources or of a session's scans. */
export type DownloadTarget =
  | { kind: 'file'; ref: FileRef }
  | { kind: 'resource'; ref: ResourceRef }
  | { kind: 'scan'; ref: ScanRef; resources: readonly string[] }
  | { kind: 'experiment'; ref: ExperimentRef; scanTypes: readonly string[]; resources: readonly string[] };

export interface DownloadRequest {
  method: 'GET' | 'HEAD';
  /** Range and conditional headers of the client's request. */
  headers: Record<string, string>;
  signal: AbortSignal;
}

export type DownloadAnswer =
  | { unsatisfiable: false; status: number; headers: IncomingHttpHeaders; body: Readable }
  | { unsatisfiable: true; contentRange?: string };
