import type DataLoader from 'dataloader';
import { batchLoader, type LoaderOptions } from './options.js';

/**
 * A per-request DataLoader whose answered values can also be read at once (`now`). A resolver
 * that finds its value there answers without a promise, and graphql-js then completes the
 * objects below it synchronously. Over a whole archive that matters: every scan or resource
 * waiting on a promise holds its own chain of promises, closures and resolve infos until its
 * batch answers, tens of thousands at once (docs/benchmarks.md, Real-archive scale).
 */
export class SettledLoader<K, V, C = K> {
  private readonly loader: DataLoader<K, V, C>;
  private readonly settled = new Map<C, V>();
  private readonly cacheKeyOf: (key: K) => C;

  constructor(
    level: string,
    options: LoaderOptions,
    load: (keys: readonly K[]) => Promise<ArrayLike<V | Error>>,
    cacheKeyFn: (key: K) => C,
  ) {
    this.cacheKeyOf = cacheKeyFn;
    this.loader = batchLoader<K, V, C>(
      level,
      options,
      async (keys) => {
        const values = await load(keys);
        keys.forEach((key, i) => {
          const value = values[i]!;
          if (!(value instanceof Error)) this.settled.set(cacheKeyFn(key), value);
        });
        return values;
      },
      { cacheKeyFn },
    );
  }

  load(key: K): Promise<V> {
    return this.loader.load(key);
  }

  /** The value, if a batch has answered it (or it was primed); undefined while it is still to come. */
  now(key: K): V | undefined {
    return this.settled.get(this.cacheKeyOf(key));
  }

  /**
   * As DataLoader's `prime`: a key already answered keeps its value. A key still loading reads
   * the primed value from `now` until its batch answers (DataLoader keeps its own promise).
   */
  prime(key: K, value: V): void {
    const cacheKey = this.cacheKeyOf(key);
    if (!this.settled.has(cacheKey)) this.settled.set(cacheKey, value);
    this.loader.prime(key, value);
  }

  clear(key: K): void {
    this.settled.delete(this.cacheKeyOf(key));
    this.loader.clear(key);
  }

  clearAll(): void {
    this.settled.clear();
    this.loader.clearAll();
  }
}
