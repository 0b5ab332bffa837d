/**
 * `drop`: the connection closes before XNAT does anything. `lose-answer`: XNAT handles the request
 * (a write is stored) but its answer never arrives, as when a proxy or the network gives up first.
 */
export type FaultBody = 'html-login' | 'malformed-json' | 'drop' | 'lose-answer';

export interface FaultRule {
  /** Matched against the request path without its query string. */
  path: string | RegExp;
  method?: string;
  /** How many matching requests the rule affects; default 1. */
  times?: number;
  status?: number;
  delayMs?: number;
  body?: FaultBody;
  retryAfter?: number;
}

interface ArmedRule extends FaultRule {
  remaining: number;
}

/** Failures a test arms ahead of time, each consumed by the requests it matches. */
export class FaultInjector {
  #rules: ArmedRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The first armed rule matching this request, consuming one of its uses. */
  take(method: string, path: string): FaultRule | undefined {
    const rule = this.#rules.find(
      (r) =>
        (r.method === undefined || r.method.toUpperCase() === method) && (typeof r.path === 'string' ? r.path === path : r.path.test(path)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return rule;
  }
}
