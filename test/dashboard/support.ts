export function countBy<T>(items: readonly T[], key: (item: T) => string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item) ?? 'null';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** `[{key, count}]` → `{key: count}` for comparisons. */
export function asRecord(list: Array<{ key: string | null; count: number }>): Record<string, number> {
  return Object.fromEntries(list.map((c) => [c.key ?? 'null', c.count]));
}
