/** One HTTP request as the emulator answered it; `status` 0 means no answer (dropped socket). */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  user: string | null;
  /** The client's User-Agent header, if it sent one. */
  userAgent?: string;
}

const MAX_ENTRIES = 200_000;
const TRIM_BATCH = 10_000;

interface OpenEntry extends Omit<RequestLogEntry, 'status'> {
  status: () => number;
}

/**
 * Every request that reached the emulator, in arrival order. Gateway tests assert exact XNAT
 * request counts with it, so faulted, refused and unauthenticated requests are recorded too.
 * Entries are recorded on arrival and read their status live, so a count taken as soon as a
 * client has its answer is already complete.
 */
export class RequestLog {
  readonly #entries: OpenEntry[] = [];

  /**
   * Records an arriving request; the caller fills in the user once authenticated and settles the
   * entry when the exchange is over, so the log keeps no hold on the response.
   */
  open(entry: Omit<RequestLogEntry, 'status' | 'user'>, status: () => number): { setUser(login: string): void; settle(): void } {
    const open: OpenEntry = { ...entry, user: null, status };
    this.#entries.push(open);
    // A long-running emulator (the embedded default of `serve`) keeps only the newest entries.
    if (this.#entries.length > MAX_ENTRIES + TRIM_BATCH) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
    return {
      setUser(login) {
        open.user = login;
      },
      settle() {
        const final = status();
        open.status = () => final;
      },
    };
  }

  entries(): RequestLogEntry[] {
    return this.#entries.map((e) => ({ ...e, status: e.status() }));
  }

  count(filter: { method?: string; pathPrefix?: string } = {}): number {
    const method = filter.method?.toUpperCase();
    return this.#entries.filter(
      (e) => (method === undefined || e.method === method) && (filter.pathPrefix === undefined || e.path.startsWith(filter.pathPrefix)),
    ).length;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
