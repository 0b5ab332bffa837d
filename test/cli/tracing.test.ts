import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { postGraphQL } from '../support/stack.js';
import { runCli, type CliProcess } from '../support/e2e.js';
import { startProxy, type RecordingProxy } from '../support/proxy.js';

/** What an OTLP/HTTP collector received: each request's content type and body. */
interface Receiver {
  url: string;
  posts: { path: string; contentType: string; body: Buffer }[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const posts: Receiver['posts'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', contentType: String(req.headers['content-type']), body: Buffer.concat(chunks) });
      res
        .writeHead(200, { 'content-type': String(req.headers['content-type']) })
        .end(req.headers['content-type']?.includes('json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** Spans of every OTLP/HTTP JSON export received so far. */
function spansOf(receiver: Receiver): OtlpSpan[] {
  return receiver.posts
    .filter((p) => p.contentType.includes('json'))
    .flatMap((p) => (JSON.parse(p.body.toString('utf8')) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans)
    .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
}

const graphqlLine = /GraphQL and GraphiQL at (http:\/\/\S+\/graphql)/;

describe('OpenTelemetry from OTEL_* variables', () => {
  let emulator: Emulator;
  let xnat: RecordingProxy;
  let receiver: Receiver;
  const running: CliProcess[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, dataset: 'demo' });
    xnat = await startProxy(emulator.url);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await receiver?.close();
    await xnat?.close();
    await emulator?.close();
  });

  async function serve(env: NodeJS.ProcessEnv): Promise<string> {
    const cli = runCli(['serve', '--port', '0', '--xnat', xnat.url, '--user', 'admin', '--password', 'admin', '--xnat-version', '1.8.10'], {
      env: { OTEL_BSP_SCHEDULE_DELAY: '50', ...env },
    });
    running.push(cli);
    return (await cli.waitForLine(graphqlLine))[1]!;
  }

  it("exports a span per operation and per XNAT request under the client's traceparent, and sends the trace on to XNAT", async () => {
    const url = await serve({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'gateway-under-test',
    });
    const traceId = randomBytes(16).toString('hex');
    const clientSpan = randomBytes(8).toString('hex');
    xnat.seen.length = 0;
    const answer = await postGraphQL(url, 'query Tree { projects { nodes { id subjects { totalCount } } } }', {}, null, {
      traceparent: `00-${traceId}-${clientSpan}-01`,
    });
    expect(answer.errors).toBeUndefined();

    await expect
      .poll(() => spansOf(receiver).filter((s) => s.traceId === traceId && s.name === 'graphql query Tree').length, { timeout: 10_000 })
      .toBe(1);
    const spans = spansOf(receiver).filter((s) => s.traceId === traceId);
    const operation = spans.find((s) => s.name === 'graphql query Tree')!;
    expect(operation.parentSpanId).toBe(clientSpan);
    const xnatSpans = spans.filter((s) => s.name.startsWith('XNAT GET '));
    expect(xnatSpans.map((s) => s.name)).toEqual(
      expect.arrayContaining(['XNAT GET /data/projects', 'XNAT GET /data/projects/{id}/subjects']),
    );
    for (const span of xnatSpans) expect(span.parentSpanId).toBe(operation.spanId);

    // XNAT got the trace: each request made for the operation names the XNAT span that made it.
    const sent = xnat.seen.map((h) => String(h['traceparent'] ?? '').split('-')).filter(([, trace]) => trace === traceId);
    expect(sent.map(([, , span]) => span).sort()).toEqual(xnatSpans.map((s) => s.spanId).sort());
  });

  it("sends OTLP/HTTP protobuf by default (OpenTelemetry's default protocol)", async () => {
    const url = await serve({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const traceId = randomBytes(16);
    await postGraphQL(url, '{ projects { totalCount } }', {}, null, {
      traceparent: `00-${traceId.toString('hex')}-${randomBytes(8).toString('hex')}-01`,
    });
    // The trace id travels as 16 raw bytes in the protobuf message.
    await expect
      .poll(
        () => receiver.posts.some((p) => p.path === '/v1/traces' && p.contentType === 'application/x-protobuf' && p.body.includes(traceId)),
        { timeout: 10_000 },
      )
      .toBe(true);
  });

  it('without OTEL_* variables exports nothing and sends XNAT no traceparent', async () => {
    const url = await serve({});
    xnat.seen.length = 0;
    const before = receiver.posts.length;
    const answer = await postGraphQL(url, '{ projects { totalCount } }', {}, null, {
      traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
    });
    expect(answer.errors).toBeUndefined();
    expect(xnat.seen.length).toBeGreaterThan(0);
    expect(xnat.seen.filter((h) => h['traceparent'] !== undefined)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.posts.length).toBe(before);
  });
});
