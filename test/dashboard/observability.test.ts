import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/server/gateway.js';
import { tracingRequested } from '../../src/server/tracing.js';
import { basic, ADMIN, GUEST, startStack, type Stack } from '../support/stack.js';

function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('observability', () => {
  let stack: Stack;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    stack = await startStack({ cache: false, gateway: { logger: pino({ level: 'debug' }, sink) } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('/metrics counts every XNAT request the emulator logged, and every operation', async () => {
    await stack.graphql(`query Overview { projects { nodes { label stats { sessionCount } } } }`);
    await stack.graphql(`query Overview { projects { nodes { label stats { sessionCount } } } }`, {}, GUEST);
    await stack.graphql(`query Broken { project(id: "test") { field(path: "bad path") } }`);
    const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    expect(metricSum(text, 'xnat_upstream_requests_total')).toBe(stack.emulator.requests.entries().length);
    expect(metricSum(text, 'xnat_upstream_requests_total', { route: '/data/experiments' })).toBe(
      stack.emulator.requests.entries().filter((e) => e.path === '/data/experiments').length,
    );
    expect(metricSum(text, 'graphql_operations_total', { operation: 'Overview', status: 'ok' })).toBe(2);
    expect(metricSum(text, 'graphql_operations_total', { operation: 'Broken', status: 'error' })).toBe(1);
    expect(metricSum(text, 'graphql_operation_duration_seconds_count', { operation: 'Overview' })).toBe(2);
  });

  it('logs each operation (name, duration, XNAT requests) and each XNAT request at debug, never a credential', async () => {
    lines.length = 0;
    stack.emulator.requests.clear();
    await stack.graphql(`query Counted { projects { nodes { label subjects { totalCount } } } }`);
    const op = lines.find((l) => l['msg'] === 'graphql operation' && l['operation'] === 'Counted');
    // projects 1; subjects: owners 1 + share probe 1 + the 4 projects' listings (the demo shares subjects).
    expect(op).toMatchObject({ type: 'query', xnatRequests: 7, cacheHits: 0, errors: [] });
    expect(typeof op!['durationMs']).toBe('number');
    const xnat = lines.filter((l) => l['msg'] === 'xnat request');
    expect(xnat.length).toBe(stack.emulator.requests.entries().length);
    expect(xnat[0]).toMatchObject({ xnat: { method: 'GET', status: 200 } });
    const all = JSON.stringify(lines);
    expect(all).not.toContain(basic(ADMIN).slice(6));
    expect(all).not.toContain('"admin:admin"');
  });

  it('answers GET queries with an ETag and 304 on If-None-Match, scoped to the user', async () => {
    const url = `${stack.gateway.graphqlUrl}?query=${encodeURIComponent('{ projects { nodes { label } } }')}`;
    const first = await fetch(url, { headers: { authorization: basic(ADMIN), accept: 'application/graphql-response+json' } });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await first.json()).data.projects.nodes.length).toBeGreaterThan(0);
    const again = await fetch(url, {
      headers: { authorization: basic(ADMIN), 'if-none-match': etag, accept: 'application/graphql-response+json' },
    });
    expect(again.status).toBe(304);
    const guest = await fetch(url, {
      headers: { authorization: basic(GUEST), 'if-none-match': etag, accept: 'application/graphql-response+json' },
    });
    expect(guest.status).toBe(200);
    expect(guest.headers.get('etag')).not.toBe(etag);
    const post = await stack.graphql(`{ projects { nodes { label } } }`);
    expect(post.status).toBe(200);
  });

  it('/readyz is 200 while XNAT answers (even 401), 503 when it is unreachable or silent', async () => {
    const ok = await fetch(`${stack.gateway.url}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ready: true, status: 401 });

    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as AddressInfo).port;
    const stalled = await startGateway({
      xnatUrl: `http://127.0.0.1:${port}`,
      port: 0,
      upstreamTimeoutMs: 300,
      logger: pino({ level: 'silent' }),
    });
    const closed = await startGateway({
      xnatUrl: 'http://127.0.0.1:1',
      port: 0,
      upstreamTimeoutMs: 300,
      logger: pino({ level: 'silent' }),
    });
    try {
      expect((await fetch(`${stalled.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${closed.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${closed.url}/healthz`)).status).toBe(200);
    } finally {
      await stalled.close();
      await closed.close();
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});

describe('OpenTelemetry', () => {
  it('is off unless OTEL_* variables ask for it', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});
