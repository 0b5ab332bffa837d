import DataLoader from 'dataloader';

export interface LoaderOptions {
  /** false: one XNAT request per parent (the naive baseline the benchmark compares against). */
  batching: boolean;
}

/** A per-request DataLoader whose batch function answers a Map keyed like the input. */
export function mapLoader<K, V>(
  options: LoaderOptions,
  fetch: (keys: readonly K[]) => Promise<Map<K, V>>,
  fallback: V,
  cacheKeyFn?: (key: K) => unknown,
): DataLoader<K, V, unknown> {
  return new DataLoader<K, V, unknown>(
    async (keys) => {
      const found = await fetch(keys);
      return keys.map((key) => found.get(key) ?? fallback);
    },
    { maxBatchSize: options.batching ? Infinity : 1, ...(cacheKeyFn ? { cacheKeyFn } : {}) },
  );
}

export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export const byText = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
