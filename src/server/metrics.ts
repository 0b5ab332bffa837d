import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  recordUpstream(e: { method: string; route: string; status: number; durationMs: number }): void {
    this.upstreamRequests.inc({ route: e.route, method: e.method, status: String(e.status) });
    this.upstreamDuration.observe({ route: e.route, method: e.method }, e.durationMs / 1000);
  }
}
