import { createClient } from 'redis';
import type { CachedTable, CacheStore } from './table-cache.js';

const GENERATION = 'xg:generation';

/** An entry is `<stored-at epoch ms>\n<rows as JSON>`, so a request can bound the age it accepts. */
function pack(table: CachedTable): string {
  return `${table.storedAt}\n${JSON.stringify(table.rows)}`;
}

function unpack(value: string): CachedTable | undefined {
  const newline = value.indexOf('\n');
  const storedAt = Number(value.slice(0, newline));
  if (newline < 0 || !Number.isFinite(storedAt)) return undefined;
  return { storedAt, rows: JSON.parse(value.slice(newline + 1)) as unknown[] };
}

/**
 * The table cache in Redis, shared by gateway replicas: entries expire by TTL (`PX`), and the
 * write generation is one counter (`INCR`) every replica reads, so a write through any replica
 * hides every replica's cached listings. Loaded only when `--cache redis://…` is given.
 */
export class RedisStore implements CacheStore {
  private constructor(private readonly client: ReturnType<typeof createClient>) {}

  /**
   * Connects once, failing at once when Redis cannot be reached at start (a wrong URL should stop
   * `serve`, not leave it waiting); once connected, the client reconnects by itself.
   */
  static async connect(url: string): Promise<RedisStore> {
    let connected = false;
    const client = createClient({
      url,
      // While Redis is away, commands fail at once (the cache steps aside) instead of queueing.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 5_000,
        reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(retries * 100, 2_000) : cause),
      },
    });
    // Errors surface on the commands that fail.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      if (client.isOpen) client.destroy();
      const where = new URL(url);
      where.username = '';
      where.password = '';
      throw new Error(
        `cannot reach the cache store ${where.href.replace(/\/$/, '')} (${(error as Error).message || (error as NodeJS.ErrnoException).code})`,
        { cause: error },
      );
    }
    connected = true;
    return new RedisStore(client);
  }

  async get(key: string): Promise<CachedTable | undefined> {
    const value = await this.client.get(key);
    return typeof value === 'string' ? unpack(value) : undefined;
  }

  async set(key: string, value: CachedTable, ttlMs: number): Promise<void> {
    await this.client.set(key, pack(value), { PX: Math.max(1, Math.round(ttlMs)) });
  }

  async generation(): Promise<number> {
    const value = await this.client.get(GENERATION);
    return typeof value === 'string' ? Number(value) || 0 : 0;
  }

  async bump(): Promise<void> {
    await this.client.incr(GENERATION);
  }

  async close(): Promise<void> {
    // Pending commands are cache lookups: nothing is lost by dropping them, and a graceful close
    // would wait forever for a Redis that is gone.
    if (this.client.isOpen) this.client.destroy();
  }
}
