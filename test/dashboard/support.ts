import type { GatewayOptions } from '../../src/server/gateway.js';
import { startStack, type Stack } from '../support/stack.js';

export { ADMIN, GUEST, xnatTable } from '../support/stack.js';
export type { Stack } from '../support/stack.js';

/**
 * The emulator and a gateway with options (cache TTL, dashboard) passed through; `cache: false`
 * for the cold path, which request counts measure.
 */
export function startDashboardStack(options: Partial<GatewayOptions> & { cache?: boolean } = {}): Promise<Stack> {
  const { cache, ...gateway } = options;
  return startStack({ ...(cache === undefined ? {} : { cache }), gateway });
}

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
