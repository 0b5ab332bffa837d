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

// One collator for every comparison: `localeCompare` with options builds one per call.
const collator = new Intl.Collator('en', { numeric: true });

/** Labels in natural order (`sub-2` before `sub-10`), as `localeCompare(b, 'en', { numeric: true })` orders them. */
export const byText = (a: string, b: string) => collator.compare(a, b);

/** An object by label, or by ID as XNAT also accepts; a label match is preferred over an ID match. */
export function byLabelOrId<T extends { label?: string }>(items: readonly T[], labelOrId: string, idOf: (item: T) => string): T | null {
  return items.find((item) => item.label === labelOrId) ?? items.find((item) => idOf(item) === labelOrId) ?? null;
}
