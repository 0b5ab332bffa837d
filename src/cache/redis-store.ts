import { createClient } from 'redis';
import type { CacheStore } from './table-cache.js';

const GENERATION = 'xg:generation';

/**
 * The table cache in Redis, shared by gateway replicas: entries expire by TTL (`PX`), and the
 * write generation is one counter (`INCR`) every replica reads, so a write through any replica
 * hides every replica's cached listings. Loaded only when `--cache redis://…` is given.
 */
export class RedisStore implements CacheStore {
  private constructor(private readonly client: ReturnType<typeof createClient>) {}

  static async connect(url: string): Promise<RedisStore> {
    const client = createClient({
      url,
      // While Redis is away, commands fail at once (the cache steps aside) instead of queueing.
      disableOfflineQueue: true,
      socket: { connectTimeout: 5_000, reconnectStrategy: (retries: number) => Math.min(retries * 100, 2_000) },
    });
    // Errors surface on the commands that fail; the client reconnects by itself.
    client.on('error', () => {});
    await client.connect();
    return new RedisStore(client);
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.client.get(key);
    return typeof value === 'string' ? value : undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(key, value, { PX: Math.max(1, Math.round(ttlMs)) });
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
