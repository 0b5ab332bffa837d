import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Prometheus metrics of one gateway: what it asks of XNAT, and the process itself. */
export class GatewayMetrics {
  readonly registry = new Registry();

  private readonly upstreamRequests = new Counter({
    name: 'xnat_upstream_requests_total',
    help: 'Requests the gateway sent to XNAT, by route template, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  private readonly upstreamDuration = new Histogram({
    name: 'xnat_upstream_request_duration_seconds',
    help: 'Time until XNAT answered, by route template and method.',
    labelNames: ['route', 'method'] as const,
    buckets: secondsBuckets,
    registers: [this.registry],
  });

  private readonly operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations executed, by operation name, type and outcome (ok or error).',
    labelNames: ['operation', 'type', 'status'] as const,
    registers: [this.registry],
  });

  private readonly operationDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Execution time of GraphQL operations, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: secondsBuckets,
    registers: [this.registry],
  });

  private readonly cacheLookups = new Counter({
    name: 'xnat_cache_lookups_total',
    help: 'XNAT listings looked up in the cross-request cache, by result (hit or miss).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly answerLookups = new Counter({
    name: 'graphql_response_cache_lookups_total',
    help: 'Queries looked up in the whole-answer cache, by result (a hit is answered without executing the operation).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** Operation names with their own label value; any later name is counted as `other`. */
  private readonly operationNames = new Set<string>();

  constructor(private readonly maxOperationNames = 100) {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Operation names come from clients, and each label value is a series kept for the process's
   * life: the first `maxOperationNames` distinct names get their own, later ones share `other`.
   */
  private operationLabel(name: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'invalid';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= this.maxOperationNames) return 'other';
    this.operationNames.add(name);
    return name;
  }

  recordOperation(e: { name: string; type: string; status: string; durationMs: number }): void {
    const operation = this.operationLabel(e.name);
    this.operations.inc({ operation, type: e.type, status: e.status });
    this.operationDuration.observe({ operation, type: e.type }, e.durationMs / 1000);
  }

  recordCacheLookup(hit: boolean): void {
    this.cacheLookups.inc({ result: hit ? 'hit' : 'miss' });
  }

  recordAnswerLookup(hit: boolean): void {
    this.answerLookups.inc({ result: hit ? 'hit' : 'miss' });
  }

  recordUpstream(e: { method: string; route: string; status: number; durationMs: number }): void {
    this.upstreamRequests.inc({ route: e.route, method: e.method, status: String(e.status) });
    this.upstreamDuration.observe({ route: e.route, method: e.method }, e.durationMs / 1000);
  }
}
