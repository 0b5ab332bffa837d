/**
 * Plans the files listings of many resources so that no XNAT request returns more rows than a
 * budget. A resource listing's `file_count` says how many file rows each resource holds; XNAT
 * leaves it empty when it has never computed it, and such a resource is counted as the mean of
 * the known ones (or `unknownRows` when none is known).
 */

export interface WantedResource {
  session: string;
  dbId: number;
  fileCount: number | null;
}

/**
 * One files listing: the sessions' every resource at the level (`resourceIds` null), or only
 * the named resources of the sessions (`…/resources/{id1,id2}/files`).
 */
export interface FilesRequest {
  sessions: string[];
  resourceIds: number[] | null;
  /** File rows expected. */
  rows: number;
}

export interface BudgetOptions {
  /** Most file rows one request should return. */
  maxRows: number;
  /** Characters of comma-joined IDs per path segment (URLs stay short). */
  maxIdChars: number;
  unknownRows: number;
}

function idChars(id: string | number): number {
  return encodeURIComponent(String(id)).length + 1;
}

/** Greedy packing in order: a new chunk starts when rows or either ID list would overflow. */
class Packer {
  readonly done: FilesRequest[] = [];
  private current: FilesRequest | null = null;
  private sessionChars = 0;
  private resourceChars = 0;

  constructor(
    private readonly options: BudgetOptions,
    private readonly byResource: boolean,
  ) {}

  add(session: string, rows: number, dbId?: number): void {
    const newSession = this.current === null || this.current.sessions.at(-1) !== session;
    const sessionCost = newSession ? idChars(session) : 0;
    const resourceCost = dbId === undefined ? 0 : idChars(dbId);
    const fits =
      this.current !== null &&
      this.current.rows + rows <= this.options.maxRows &&
      this.sessionChars + sessionCost <= this.options.maxIdChars &&
      this.resourceChars + resourceCost <= this.options.maxIdChars;
    if (!fits) {
      this.flush();
      this.current = { sessions: [], resourceIds: this.byResource ? [] : null, rows: 0 };
      this.sessionChars = 0;
      this.resourceChars = 0;
    }
    const chunk = this.current!;
    if (chunk.sessions.at(-1) !== session) {
      chunk.sessions.push(session);
      this.sessionChars += idChars(session);
    }
    if (dbId !== undefined) {
      chunk.resourceIds!.push(dbId);
      this.resourceChars += resourceCost;
    }
    chunk.rows += rows;
  }

  flush(): void {
    if (this.current && this.current.sessions.length > 0) this.done.push(this.current);
    this.current = null;
  }
}

/**
 * Whole sessions (every resource of theirs wanted, and within the budget) share requests of the
 * short `/experiments/E1,E2/…/files` form; the other resources are named by ID, packed in their
 * own requests. A single resource above the budget gets a request of its own: XNAT cannot page a
 * files listing.
 */
export function planFilesRequests(
  wanted: readonly WantedResource[],
  resourcesPerSession: ReadonlyMap<string, number>,
  options: BudgetOptions,
): FilesRequest[] {
  const known = wanted.map((w) => w.fileCount).filter((n): n is number => n !== null);
  const unknown = known.length > 0 ? Math.ceil(known.reduce((a, b) => a + b, 0) / known.length) : options.unknownRows;
  const rowsOf = (w: WantedResource) => w.fileCount ?? unknown;

  const bySession = new Map<string, WantedResource[]>();
  for (const w of wanted) {
    const list = bySession.get(w.session);
    if (list) list.push(w);
    else bySession.set(w.session, [w]);
  }
  const whole = new Packer(options, false);
  const named = new Packer(options, true);
  for (const [session, resources] of bySession) {
    const rows = resources.reduce((sum, w) => sum + rowsOf(w), 0);
    const everything = resources.length === (resourcesPerSession.get(session) ?? -1);
    if (everything && rows <= options.maxRows) {
      whole.add(session, rows);
    } else {
      for (const w of resources) named.add(session, rowsOf(w), w.dbId);
    }
  }
  whole.flush();
  named.flush();
  return [...whole.done, ...named.done];
}

/**
 * The files of every resource of one listing chunk, whose sessions are not yet known per
 * resource: the whole chunk in one request when it fits the budget, else its resources named by
 * ID and packed into requests within the budget.
 */
export function planChunkFiles(
  sessions: string[],
  resources: readonly { dbId: number; fileCount: number | null }[],
  options: BudgetOptions,
): FilesRequest[] {
  const wanted = resources.map((r) => ({ session: '', dbId: r.dbId, fileCount: r.fileCount }));
  const total = new Map([['', wanted.length]]);
  return planFilesRequests(wanted, total, options).map((request) => ({ ...request, sessions }));
}
