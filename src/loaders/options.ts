import DataLoader from 'dataloader';

/**
 * Watches each batch a loader sends: `load` runs the batch of `keys` keys for `level` and
 * answers one value per key (src/server/tracing.ts makes a span of it).
 */
export type BatchObserver = <V>(
  level: string,
  keys: number,
  load: () => PromiseLike<ArrayLike<V | Error>>,
) => PromiseLike<ArrayLike<V | Error>>;

export interface LoaderOptions {
  /** false: one XNAT request per parent (the naive baseline the benchmark compares against). */
  batching: boolean;
  /** Absent (tracing off): batches run as they are, with nothing in between. */
  observe?: BatchObserver;
}

/**
 * Every per-request DataLoader of the gateway: one batch is what one resolver level asks of XNAT
 * (`level` names it), observed when `options.observe` is set.
 */
export function batchLoader<K, V, C = K>(
  level: string,
  options: LoaderOptions,
  load: DataLoader.BatchLoadFn<K, V>,
  loaderOptions: DataLoader.Options<K, V, C> = {},
): DataLoader<K, V, C> {
  const observe = options.observe;
  const batch: DataLoader.BatchLoadFn<K, V> = observe ? (keys) => observe(level, keys.length, () => load(keys)) : load;
  return new DataLoader<K, V, C>(batch, { maxBatchSize: options.batching ? Infinity : 1, ...loaderOptions });
}

/** A per-request DataLoader whose batch function answers a Map keyed like the input. */
export function mapLoader<K, V>(
  level: string,
  options: LoaderOptions,
  fetch: (keys: readonly K[]) => Promise<Map<K, V>>,
  fallback: V,
  cacheKeyFn?: (key: K) => unknown,
): DataLoader<K, V, unknown> {
  return batchLoader<K, V, unknown>(
    level,
    options,
    async (keys) => {
      const found = await fetch(keys);
      return keys.map((key) => found.get(key) ?? fallback);
    },
    cacheKeyFn ? { cacheKeyFn } : {},
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
