import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { credentialKey, type XnatAuth } from '../xnat/auth.js';

/**
 * A cross-request cache of XNAT table listings (never file bytes). Entries are scoped to the
 * XNAT identity that asked — keyed by an HMAC of the credential, never the password itself — and
 * to a generation that every write through the gateway bumps once XNAT has answered the write:
 * XNAT data is shared between users, so a write by one user must hide every user's cached views.
 * A value fetched before a write is stored under the generation read before the fetch, so it is
 * never served after the bump. Between XNAT committing a write and that bump (the rest of the
 * write's round trip) other requests may still be answered from pre-write listings.
 *
 * When a bump fails (the store is unreachable during a write), this process stops using the
 * cache for one TTL, by which time every entry stored before the write has expired. Other
 * replicas sharing the store are not told; they usually cannot reach it either.
 */

/** A listing as the cache holds it: its rows, and when XNAT answered them (epoch ms). */
export interface CachedTable {
  storedAt: number;
  rows: readonly unknown[];
}

export interface CacheStore {
  get(key: string): Promise<CachedTable | undefined>;
  set(key: string, value: CachedTable, ttlMs: number): Promise<void>;
  /** The current write generation. */
  generation(): Promise<number>;
  /** Starts a new generation (after a write). */
  bump(): Promise<void>;
  close(): Promise<void>;
}

const nothingKept: CacheStore = {
  async get() {
    return undefined;
  },
  async set() {},
  async generation() {
    return 0;
  },
  async bump() {},
  async close() {},
};

/**
 * In-process store (the default). It keeps the rows themselves, so a hit costs no parsing; they are
 * shared by every request that hits, and nothing downstream changes a listed row. Bounded in total
 * size only, not in entry count: the lengths of keys and of the rows as JSON (UTF-16 code units —
 * about bytes for ASCII) add up to at most `maxBytes`, least recently used dropped first. Expired
 * entries go when next looked up.
 */
export class MemoryStore implements CacheStore {
  private readonly entries: LRUCache<string, CachedTable>;
  private current = 0;

  constructor(options: { maxBytes?: number } = {}) {
    this.entries = new LRUCache<string, CachedTable>({
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      ttlAutopurge: false,
    });
  }

  async get(key: string) {
    return this.entries.get(key);
  }

  async set(key: string, value: CachedTable, ttlMs: number) {
    this.entries.set(key, value, { ttl: ttlMs, size: Math.max(1, JSON.stringify(value.rows).length + key.length) });
  }

  async generation() {
    return this.current;
  }

  async bump() {
    this.current += 1;
    this.entries.clear();
  }

  async close() {
    this.entries.clear();
  }
}

export interface TableCacheOptions {
  ttlMs: number;
  /**
   * Key for the credential HMAC. Replicas sharing a Redis store need the same secret
   * (XNAT_GRAPHQL_CACHE_SECRET); without one a random per-process secret is used.
   */
  secret?: string | Buffer;
  /**
   * Resolves once XNAT accepted the credential within the session max age (logging in when it has
   * not), and rejects when XNAT refuses it. Cached listings are served only after it resolved, so
   * a cached answer never outlives the proof of the credential asking for it.
   */
  prove?: (auth: XnatAuth) => Promise<void>;
  /** Told of every lookup (metrics). */
  onLookup?: (hit: boolean) => void;
  /**
   * Told when the store fails; the cache then steps aside (XNAT answers) instead of failing the
   * request. A failed bump after a write is reported too, and bypasses the cache for one TTL.
   */
  onError?: (error: unknown) => void;
}

/**
 * Where a whole answer built from cached listings may be filed (src/server/response-cache.ts): the
 * write generation it was read under, and how many bumps had failed by then.
 */
export interface CacheEpoch {
  generation: number;
  failedBumps: number;
}

/** One XNAT listing as the cache files it. */
export interface CachedListing {
  path: string;
  params: Record<string, string | undefined>;
  /** What the caller made of the rows, when not the rows as listed: the same listing kept as other records is another entry. */
  shape?: string;
}

export class TableCache {
  private readonly secret: Buffer;
  /** Until when (epoch ms) the cache is bypassed after a failed bump. */
  private distrustUntil = 0;
  /** Failed bumps so far: a fetch that saw one happen is not stored. */
  private failedBumps = 0;

  constructor(
    readonly store: CacheStore,
    private readonly options: TableCacheOptions,
  ) {
    this.secret = options.secret ? Buffer.from(options.secret) : randomBytes(32);
  }

  /** A cache that keeps nothing, for its credential identities alone (ETags, upload allowances) when listings are not cached. */
  static identitiesOnly(): TableCache {
    return new TableCache(nothingKept, { ttlMs: 0 });
  }

  /** Who is asking, as an HMAC of the credential ("anonymous" for requests without one). */
  identity(auth: XnatAuth): string {
    if (auth.kind === 'anonymous') return 'anonymous';
    return credentialKey(this.secret, auth);
  }

  private keyOf(generation: number, auth: XnatAuth, { path, params, shape }: CachedListing): string {
    const query = Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const request = createHash('sha256')
      .update(JSON.stringify([path, query, shape ?? '']))
      .digest('base64url');
    return `xg:t:${generation}:${this.identity(auth)}:${request}`;
  }

  /**
   * The cached table, or the fetched one (then stored without waiting for the store). `onHit` is
   * told when the cached rows were fetched, which keeps request counts exact and lets a whole answer
   * be dated by its oldest listing. `maxAgeMs` (from the request's Cache-Control) refuses entries
   * older than that; 0 skips the lookup, so XNAT answers and its answer refreshes the cache.
   * While a failed bump is recent, the cache is neither read nor written.
   */
  async through<T>(
    auth: XnatAuth,
    listing: CachedListing,
    fetch: () => Promise<T[]>,
    onHit: (storedAt: number) => void,
    maxAgeMs?: number,
  ): Promise<T[]> {
    if (Date.now() < this.distrustUntil) return fetch();
    await this.options.prove?.(auth);
    const failedBumps = this.failedBumps;
    let key: string;
    let cached: CachedTable | undefined;
    try {
      key = this.keyOf(await this.store.generation(), auth, listing);
      cached = maxAgeMs === 0 ? undefined : await this.store.get(key);
    } catch (error) {
      this.options.onError?.(error);
      return fetch();
    }
    if (cached && (maxAgeMs === undefined || Date.now() - cached.storedAt <= maxAgeMs)) {
      this.options.onLookup?.(true);
      onHit(cached.storedAt);
      return cached.rows as T[];
    }
    this.options.onLookup?.(false);
    const storedAt = Date.now();
    const rows = await fetch();
    // A bump that failed meanwhile left the generation as it was: this answer may predate the write.
    if (this.failedBumps === failedBumps) {
      this.store.set(key, { storedAt, rows }, this.options.ttlMs).catch((error: unknown) => this.options.onError?.(error));
    }
    return rows;
  }

  /** How long listings are kept. */
  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /**
   * The epoch an answer read now belongs to; undefined while the cache is bypassed (a recent
   * failed bump, or a store that does not answer).
   */
  async epoch(): Promise<CacheEpoch | undefined> {
    if (Date.now() < this.distrustUntil) return undefined;
    const failedBumps = this.failedBumps;
    try {
      return { generation: await this.store.generation(), failedBumps };
    } catch (error) {
      this.options.onError?.(error);
      return undefined;
    }
  }

  /** Whether an answer read in `epoch` may be kept: no bump failed since, so its generation still tells. */
  holds(epoch: CacheEpoch): boolean {
    return this.failedBumps === epoch.failedBumps && Date.now() >= this.distrustUntil;
  }

  /**
   * After any write: every user's cached listings are stale (XNAT data is shared). When the
   * bump fails, the cache is bypassed for one TTL and the failure is reported to onError.
   */
  invalidate(): Promise<void> {
    return this.store.bump().catch((error: unknown) => {
      this.failedBumps += 1;
      this.distrustUntil = Date.now() + this.options.ttlMs;
      const reason = error instanceof Error ? error.message : String(error);
      this.options.onError?.(
        new Error(
          `Could not start a new cache generation after a write (${reason}); listings come from XNAT for the next ${this.options.ttlMs} ms`,
          { cause: error },
        ),
      );
    });
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** `memory` (default) or `redis://HOST:PORT[/DB]`. */
export async function createTableCache(
  options: { url?: string; ttlMs: number; secret?: string } & Pick<TableCacheOptions, 'prove' | 'onLookup' | 'onError'>,
): Promise<TableCache | undefined> {
  if (options.ttlMs <= 0) return undefined;
  const { url: _url, ...common } = options;
  if (!options.url || options.url === 'memory') return new TableCache(new MemoryStore(), common);
  if (/^rediss?:\/\//.test(options.url)) {
    // Loaded only when asked for, so the redis client costs nothing otherwise.
    const specifier = './redis-store.js';
    const { RedisStore } = (await import(specifier)) as { RedisStore: { connect(url: string): Promise<CacheStore> } };
    return new TableCache(await RedisStore.connect(options.url), common);
  }
  throw new Error(`Unsupported cache ${options.url}: use memory or redis://HOST:PORT`);
}
