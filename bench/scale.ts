/**
 * Real-archive scale (`npm run bench:scale`): what each query shape costs XNAT and the gateway,
 * on bench:100 and on site:5 (a real-archive-shaped dataset of over a million files). The
 * emulator runs with the typical XNAT cost model (docs/emulator.md), so its answers take what a
 * real XNAT would charge; a counting proxy between gateway and emulator reads each answer's
 * `X-Emulator-Cost` header (charged ms, rows) and counts requests and bytes. Gateway and
 * emulator are child processes (`node bin/xnat-graphql.js …`); every row is one run, on a gateway started for it.
 *
 * Columns: XNAT requests; XNAT rows fetched ÷ rows in the answer (objects in `nodes` lists and
 * single-object fields); XNAT bytes; the gateway's RSS when idle and its peak growth over that; wall time; time to
 * first byte; and the cost model's charge summed over the requests (the time a real XNAT would
 * spend, sequentially). Each query runs again right after on a gateway started with
 * `--no-compact-heap` (V8's default heap sizing), and a second table sets the two side by side.
 *
 * Writes the "Real-archive scale" section of docs/benchmarks.md. Options: --datasets a,b,
 * --no-write.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixed, markdownTable, replaceSection, runEnvironment } from './support/docs.js';
import { buildCli, memorySampler, settledRss, startCli, startGatewayChild, type CliChild } from './support/processes.js';

const SECTION = '## Real-archive scale';
const AUTH = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const COST_MODEL = 'typical';

const RESOURCE = 'label format fileCount totalSize';
const FILE = 'name path size';
const PROJECT_WITH_FILES: Record<string, string> = { 'bench:100': 'test', 'site:5': 'PET_AMYLOID' };

function queries(dataset: string): { name: string; query: string }[] {
  const tree = (resourceFields: string, stream = '') =>
    `projects { nodes${stream} { label subjects { nodes${stream} { label experiments { nodes${stream} { label
       scans { nodes { label type resources { nodes { ${resourceFields} } } } } } } } } } }`;
  return [
    { name: 'resources only', query: `{ ${tree(RESOURCE)} }` },
    {
      name: `files of one project (${PROJECT_WITH_FILES[dataset]})`,
      query: `{ project(id: "${PROJECT_WITH_FILES[dataset]}") { subjects { nodes { experiments { nodes { label scans { nodes { label resources { nodes { ${RESOURCE} files { nodes { ${FILE} } } } } } } } } } } } }`,
    },
    { name: 'whole tree with files', query: `{ ${tree(`${RESOURCE} files { nodes { ${FILE} } }`)} }` },
    {
      name: 'whole tree with files, @stream',
      query: `{ ${tree(`${RESOURCE} files { nodes @stream(initialCount: 1) { ${FILE} } }`, ' @stream(initialCount: 1)')} }`,
    },
  ];
}

// ---------------------------------------------------------------- counting proxy

interface Tally {
  requests: number;
  rows: number;
  bytes: number;
  chargeMs: number;
}

/** Forwards to the emulator and tallies what each answer carried. */
async function countingProxy(target: string): Promise<{ url: string; tally: Tally; reset(): void; close(): Promise<void> }> {
  const upstream = new URL(target);
  const tally: Tally = { requests: 0, rows: 0, bytes: 0, chargeMs: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (!req.url?.startsWith('/data/JSESSION')) {
          tally.requests++;
          const cost = /ms=([\d.]+);rows=(\d+)/.exec(String(answer.headers['x-emulator-cost'] ?? ''));
          if (cost) {
            tally.chargeMs += Number(cost[1]);
            tally.rows += Number(cost[2]);
          }
          answer.on('data', (chunk: Buffer) => (tally.bytes += chunk.length));
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tally,
    reset: () => Object.assign(tally, { requests: 0, rows: 0, bytes: 0, chargeMs: 0 }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------- one query

/** Objects in the answer: every element of a `nodes` list and every other non-null object. */
function answerRows(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + answerRows(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'nodes' && Array.isArray(child)) n += child.length;
    else if (child !== null && typeof child === 'object' && !Array.isArray(child) && !('nodes' in child)) n += 1;
    n += answerRows(child);
  }
  return n;
}

interface Measured {
  wallMs: number;
  ttfbMs: number;
  /** Until the first complete JSON payload: the whole answer for plain JSON, the first part of multipart/mixed. */
  firstDataMs: number;
  answerBytes: number;
  answerRows: number;
  errors: string[];
}

/** Posts the query and reads the answer: plain JSON, or the multipart parts of @defer/@stream merged. */
async function run(graphqlUrl: string, query: string): Promise<Measured> {
  const started = performance.now();
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'multipart/mixed, application/graphql-response+json, application/json',
      authorization: AUTH,
    },
    body: JSON.stringify({ query }),
  });
  const multipart = String(response.headers.get('content-type')).startsWith('multipart/');
  let ttfbMs = NaN;
  let firstDataMs = NaN;
  // yoga opens a multipart answer with its boundary at once; the first part ends at the next one.
  let head = '';
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    if (Number.isNaN(ttfbMs)) ttfbMs = performance.now() - started;
    chunks.push(Buffer.from(chunk));
    if (multipart && Number.isNaN(firstDataMs)) {
      head += Buffer.from(chunk).toString('utf8');
      if (/\r\n\r\n\{[\s\S]*\r\n---/.test(head)) firstDataMs = performance.now() - started;
    }
  }
  const wallMs = performance.now() - started;
  if (Number.isNaN(firstDataMs)) firstDataMs = wallMs;
  const text = Buffer.concat(chunks).toString('utf8');
  const bodies = multipart
    ? text
        .split(/\r\n--[-\w]*\r\n/)
        .map((part) => part.slice(part.indexOf('\r\n\r\n') + 4))
        .filter((p) => p.trim().startsWith('{'))
    : [text];
  let rows = 0;
  const errors: string[] = [];
  for (const body of bodies) {
    const payload = JSON.parse(body.replace(/\r\n--[-\w]*--\s*$/, '')) as {
      data?: unknown;
      incremental?: { data?: unknown; items?: unknown[]; errors?: { message: string; extensions?: { code?: string } }[] }[];
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    rows += answerRows(payload.data);
    for (const e of payload.errors ?? []) errors.push(e.extensions?.code ?? e.message);
    for (const part of payload.incremental ?? []) {
      rows += answerRows(part.data) + (part.items ? part.items.length + answerRows(part.items) : 0);
      for (const e of part.errors ?? []) errors.push(e.extensions?.code ?? e.message);
    }
  }
  return { wallMs, ttfbMs, firstDataMs, answerBytes: text.length, answerRows: rows, errors };
}

/**
 * One query on a gateway started for it with `gatewayArgs`: a gateway left grown by the query
 * before would hide part of this one's growth in the heap it already has. Logged in first, so
 * that no measurement pays for it.
 */
async function measure(
  proxy: Awaited<ReturnType<typeof countingProxy>>,
  gatewayArgs: string[],
  query: string,
): Promise<{ result: Measured; tally: Tally; idle: number; growth: number }> {
  const gateway = await startGatewayChild(proxy.url, ['--cache-ttl-ms', '0', ...gatewayArgs]);
  try {
    await run(gateway.url, '{ projects { nodes { label } } }');
    const idle = await settledRss(gateway.pid);
    const memory = memorySampler(gateway.pid, 25);
    memory.reset();
    proxy.reset();
    const result = await run(gateway.url, query);
    await memory.sampleNow();
    memory.stop();
    return { result, tally: { ...proxy.tally }, idle, growth: memory.peakMiB() - idle };
  } finally {
    await gateway.stop();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const datasets = (args.find((a) => a.startsWith('--datasets='))?.split('=')[1] ?? 'bench:100,site:5').split(',');
  const write = !args.includes('--no-write');
  await buildCli();

  const rows: string[][] = [];
  const heapRows: string[][] = [];
  for (const dataset of datasets) {
    let emulator: CliChild | undefined;
    let proxy: Awaited<ReturnType<typeof countingProxy>> | undefined;
    try {
      console.log(`starting the emulator with ${dataset}…`);
      emulator = await startCli(
        'emulator',
        ['emulator', '--port', '0', '--dataset', dataset, '--cost-model', COST_MODEL],
        /listening at (http:\/\/\S+)/,
        600_000,
      );
      proxy = await countingProxy(emulator.url);
      for (const { name, query } of queries(dataset)) {
        // The gateway as shipped, then the same query on one with V8's default heap sizing.
        const { result, tally, idle, growth } = await measure(proxy, [], query);
        const v8Default = await measure(proxy, ['--no-compact-heap'], query);
        const errors = result.errors.length ? ` (${[...new Set(result.errors)].join(', ')})` : '';
        console.log(
          `${dataset} | ${name}: ${tally.requests} requests, ${tally.rows} rows for ${result.answerRows}, ${fixed(result.wallMs / 1000, 2)} s (first data ${fixed(result.firstDataMs / 1000, 2)} s), charge ${fixed(tally.chargeMs / 1000, 2)} s, +${fixed(growth, 0)} MiB (V8's default heap: +${fixed(v8Default.growth, 0)} MiB, ${fixed(v8Default.result.wallMs / 1000, 2)} s)${errors}`,
        );
        rows.push([
          dataset,
          name + errors,
          String(tally.requests),
          `${tally.rows.toLocaleString('en')} ÷ ${result.answerRows.toLocaleString('en')} = ${fixed(tally.rows / Math.max(result.answerRows, 1), 2)}`,
          `${fixed(tally.bytes / 1e6, 1)} MB`,
          `${fixed(result.answerBytes / 1e6, 1)} MB`,
          fixed(idle, 0),
          fixed(growth, 0),
          fixed(result.wallMs / 1000, 2),
          fixed(result.ttfbMs / 1000, 2),
          fixed(result.firstDataMs / 1000, 2),
          fixed(tally.chargeMs / 1000, 2),
          fixed(result.wallMs / Math.max(tally.chargeMs, 1), 2),
        ]);
        heapRows.push([
          dataset,
          name + errors,
          `${fixed(growth, 0)} / ${fixed(v8Default.growth, 0)}`,
          fixed(growth / v8Default.growth, 2),
          `${fixed(result.wallMs / 1000, 2)} / ${fixed(v8Default.result.wallMs / 1000, 2)}`,
          fixed(result.wallMs / v8Default.result.wallMs, 2),
        ]);
      }
    } finally {
      await proxy?.close();
      await emulator?.stop();
    }
  }

  const table = markdownTable(
    [
      'dataset',
      'query',
      'XNAT requests',
      'XNAT rows ÷ answer rows',
      'XNAT bytes',
      'answer',
      'idle RSS (MiB)',
      'peak RSS growth (MiB)',
      'wall (s)',
      'first byte (s)',
      'first data (s)',
      'XNAT charge (s)',
      'wall ÷ charge',
    ],
    rows,
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const heapTable = markdownTable(
    ['dataset', 'query', 'peak RSS growth (MiB): shipped / V8 default', 'ratio', 'wall (s): shipped / V8 default', 'ratio'],
    heapRows,
    ['l', 'l', 'r', 'r', 'r', 'r'],
  );
  console.log(`\n${table}\n\n${heapTable}`);
  if (write) {
    await replaceSection(
      SECTION,
      `${SECTION}\n\n\`npm run bench:scale\`: ${runEnvironment()}. Emulator with \`--cost-model ${COST_MODEL}\` (docs/emulator.md), gateway with \`--cache-ttl-ms 0\` and the default row budget (20,000) and size guard (500,000 rows), both as child processes; each row is one run, on a gateway started for it (after one small query that logs it in). First byte: the answer's first bytes (a multipart answer opens with its boundary); first data: its first complete JSON payload (the whole answer without \`@stream\`).\n\n${table}\n\nThe same queries, each also run right after on a gateway started with \`--no-compact-heap\` (V8's default heap sizing; docs/operations.md), in the same run:\n\n${heapTable}\n`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
