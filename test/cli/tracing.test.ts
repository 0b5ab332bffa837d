import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as GrpcServer, ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
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

/**
 * An OTLP/gRPC collector: OpenTelemetry's TraceService with its Export method, keeping each
 * ExportTraceServiceRequest as the protobuf bytes that arrived and answering an empty response.
 */
async function startGrpcReceiver(): Promise<{ url: string; requests: Buffer[]; close(): Promise<void> }> {
  const requests: Buffer[] = [];
  const bytes = (b: Buffer) => b;
  const traceService: ServiceDefinition = {
    Export: {
      path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      requestStream: false,
      responseStream: false,
      requestSerialize: bytes,
      requestDeserialize: bytes,
      responseSerialize: () => Buffer.alloc(0),
      responseDeserialize: bytes,
    },
  };
  const server = new GrpcServer();
  server.addService(traceService, {
    Export: (call: { request: Buffer }, callback: (error: null, response: Buffer) => void) => {
      requests.push(call.request);
      callback(null, Buffer.alloc(0));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
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
    // Each XNAT request sits under its level's load span, which sits under the operation.
    const parents = new Map(spans.map((s) => [s.spanId, s]));
    for (const span of xnatSpans) expect(parents.get(parents.get(span.parentSpanId!)!.parentSpanId!)).toBe(operation);

    // XNAT got the trace: each request made for the operation names the XNAT span that made it.
    const sent = xnat.seen.map((h) => String(h['traceparent'] ?? '').split('-')).filter(([, trace]) => trace === traceId);
    expect(sent.map(([, , span]) => span).sort()).toEqual(xnatSpans.map((s) => s.spanId).sort());
  });

  it('makes a span per resolver level that loads from XNAT, under the operation, parenting its XNAT requests', async () => {
    const url = await serve({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    const traceId = randomBytes(16).toString('hex');
    const answer = await postGraphQL<{
      projects: { nodes: { id: string; subjects: { nodes: { label: string; experiments: { nodes: { label: string }[] } }[] } }[] };
    }>(url, 'query Levels { projects { nodes { id subjects { nodes { label experiments { nodes { label } } } } } } }', {}, null, {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    });
    expect(answer.errors).toBeUndefined();
    const projects = answer.data!.projects.nodes;
    const subjects = projects.flatMap((p) => p.subjects.nodes);
    const experiments = subjects.flatMap((s) => s.experiments.nodes);

    await expect
      .poll(() => spansOf(receiver).filter((s) => s.traceId === traceId && s.name === 'graphql query Levels').length, { timeout: 10_000 })
      .toBe(1);
    const spans = spansOf(receiver).filter((s) => s.traceId === traceId);
    const operation = spans.find((s) => s.name === 'graphql query Levels')!;
    const loads = spans.filter((s) => s.name.startsWith('xnat-graphql.load '));
    const attribute = (span: OtlpSpan, key: string) => {
      const value = span.attributes.find((a) => a.key === key)?.value;
      return value && (value.intValue !== undefined ? Number(value.intValue) : value.stringValue);
    };
    // One span per level: keys are the parents asked about, values the objects loaded for them.
    expect(
      loads.map((s) => ({
        name: s.name,
        level: attribute(s, 'xnat_graphql.level'),
        keys: attribute(s, 'xnat_graphql.keys'),
        values: attribute(s, 'xnat_graphql.values'),
      })),
    ).toEqual(
      expect.arrayContaining([
        { name: 'xnat-graphql.load projects', level: 'projects', keys: 1, values: projects.length },
        { name: 'xnat-graphql.load subjects', level: 'subjects', keys: projects.length, values: subjects.length },
        { name: 'xnat-graphql.load experiments', level: 'experiments', keys: subjects.length, values: experiments.length },
      ]),
    );
    expect(loads).toHaveLength(3);
    for (const load of loads) {
      expect(load.parentSpanId).toBe(operation.spanId);
      // Its XNAT requests are its children, as many as it counted.
      const requests = spans.filter((s) => s.parentSpanId === load.spanId && s.name.startsWith('XNAT '));
      expect(requests.length).toBeGreaterThan(0);
      expect(attribute(load, 'xnat.requests')).toBe(requests.length);
    }
    const xnatGets = spans.filter((s) => s.name.startsWith('XNAT GET '));
    expect(xnatGets.length).toBeGreaterThanOrEqual(3);
    for (const span of xnatGets) expect(loads.map((l) => l.spanId)).toContain(span.parentSpanId);
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

  it.each([
    ['OTEL_EXPORTER_OTLP_PROTOCOL=grpc', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }],
    // The traces-only variables win over the general ones.
    ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }],
  ])('exports over OTLP/gRPC with %s', async (_name, protocol) => {
    const grpc = await startGrpcReceiver();
    try {
      // An HTTP receiver as the general endpoint: nothing may go there.
      const url = await serve({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: grpc.url, ...protocol });
      const before = receiver.posts.length;
      const traceId = randomBytes(16);
      const answer = await postGraphQL(url, 'query Tree { projects { nodes { id subjects { totalCount } } } }', {}, null, {
        traceparent: `00-${traceId.toString('hex')}-${randomBytes(8).toString('hex')}-01`,
      });
      expect(answer.errors).toBeUndefined();
      // Protobuf carries the trace id as 16 raw bytes and span names as UTF-8 text.
      const exported = () => Buffer.concat(grpc.requests.filter((r) => r.includes(traceId)));
      await expect.poll(() => exported().includes('graphql query Tree'), { timeout: 10_000 }).toBe(true);
      for (const name of ['xnat-graphql.load projects', 'xnat-graphql.load subjects', 'XNAT GET /data/projects']) {
        expect(exported().includes(name)).toBe(true);
      }
      expect(receiver.posts.length).toBe(before);
    } finally {
      await grpc.close();
    }
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
