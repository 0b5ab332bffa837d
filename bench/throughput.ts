/**
 * Warm-path throughput (`npm run bench:throughput`): how many requests a second the gateway
 * answers from its caches (whole answers, and the listings behind them), as a ratio to a
 * graphql-yoga hello-world on the same machine.
 *
 * The emulator (`xnat-graphql emulator --dataset demo`), the gateway (`xnat-graphql serve --xnat
 * <emulator> --user admin --password admin --cache-ttl-ms 600000`) and the hello-world (graphql-yoga
 * with one `hello: String` field, node:http, no plugins) run as child processes. autocannon (in this
 * process) sends 20 connections for 10 s per run; each of four query shapes is run against the
 * gateway twice, alternating with a run of `{ hello }` against the hello-world (hello, shape,
 * hello, shape), so a drift in load does not favour either. Each shape is asked once before its
 * runs (filling the cache), and every answer during the runs is compared with that first one.
 * Writes the "Gateway: warm throughput" section of docs/benchmarks.md.
 *
 * Options: --duration N (seconds per run, default 10), --connections N (default 20), --no-write, --no-build.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { request } from 'undici';
import { fixed, markdownTable, replaceSection, runEnvironment } from './support/docs.js';
import { buildCli, repoRoot, startEmulatorChild, startGatewayChild, type CliChild } from './support/processes.js';

const SECTION = '## Gateway: warm throughput';
const AUTH = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const HELLO = '{ hello }';

const SHAPES = [
  { name: '`__typename`', query: '{ __typename }', goal: undefined },
  { name: 'one level', query: '{ projects { nodes { label name } } }', goal: undefined },
  { name: 'two levels (dashboard)', query: '{ projects { nodes { label subjects { nodes { label } } } } }', goal: 0.8 },
  {
    name: 'three levels',
    query: '{ projects { nodes { label subjects { nodes { label experiments { nodes { label date } } } } } } }',
    goal: 0.5,
  },
] as const;

/** A yoga hello-world as a child process, the yardstick for what one GraphQL request costs here. */
function startHelloWorld(): Promise<CliChild> {
  const source = `
    import { createServer } from 'node:http';
    import { createSchema, createYoga } from 'graphql-yoga';
    const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } }), logging: false });
    const server = createServer(yoga);
    server.listen(0, '127.0.0.1', () => console.log('hello-world at http://127.0.0.1:' + server.address().port + '/graphql'));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const url = /(http:\/\/\S+\/graphql)/.exec(line)?.[1];
      if (url)
        resolve({
          child,
          url,
          pid: child.pid!,
          async stop() {
            child.kill('SIGTERM');
            await new Promise((r) => child.once('exit', r));
          },
        });
    });
    child.once('exit', (code) => reject(new Error(`hello-world exited with ${code}`)));
  });
}

async function answer(url: string, query: string): Promise<string> {
  const res = await request(url, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = await res.body.text();
  const json = JSON.parse(body) as { data?: unknown; errors?: unknown[] };
  if (res.statusCode !== 200 || json.errors?.length || !json.data)
    throw new Error(`${query}: HTTP ${res.statusCode} ${body.slice(0, 300)}`);
  return body;
}

interface Run {
  requestsPerSecond: number;
  answered: number;
  wrong: number;
}

async function run(url: string, query: string, expected: string, connections: number, duration: number): Promise<Run> {
  let answered = 0;
  let wrong = 0;
  const result = await autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query }),
        onResponse: (status: number, body: string) => {
          answered++;
          if (status !== 200 || body !== expected) wrong++;
        },
      },
    ],
  });
  return { requestsPerSecond: result.requests.average, answered, wrong: wrong + result.errors + result.timeouts };
}

async function main(argv: string[]): Promise<void> {
  const option = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const duration = Number(option('--duration') ?? 10);
  const connections = Number(option('--connections') ?? 20);
  if (!(duration > 0) || !(connections > 0)) throw new Error('--duration and --connections need positive numbers');
  const build = argv.includes('--no-build') ? 'not rebuilt (--no-build)' : await buildCli();
  const environment = runEnvironment();

  const children: CliChild[] = [];
  try {
    const emulator = await startEmulatorChild('demo');
    children.push(emulator);
    const gateway = await startGatewayChild(emulator.url, ['--cache-ttl-ms', '600000']);
    children.push(gateway);
    const hello = await startHelloWorld();
    children.push(hello);
    console.log(`emulator ${emulator.url}, gateway ${gateway.url}, hello-world ${hello.url}, dist ${build}`);
    const helloAnswer = await answer(hello.url, HELLO);

    const rows: string[][] = [];
    const lines: string[] = [];
    let wrongTotal = 0;
    for (const shape of SHAPES) {
      const expected = await answer(gateway.url, shape.query);
      const helloRuns: Run[] = [];
      const gatewayRuns: Run[] = [];
      for (let round = 0; round < 2; round++) {
        helloRuns.push(await run(hello.url, HELLO, helloAnswer, connections, duration));
        gatewayRuns.push(await run(gateway.url, shape.query, expected, connections, duration));
      }
      const mean = (runs: Run[]) => runs.reduce((a, r) => a + r.requestsPerSecond, 0) / runs.length;
      const ratio = mean(gatewayRuns) / mean(helloRuns);
      const wrong = [...helloRuns, ...gatewayRuns].reduce((a, r) => a + r.wrong, 0);
      wrongTotal += wrong;
      console.log(
        `${shape.name}: gateway ${gatewayRuns.map((r) => fixed(r.requestsPerSecond, 0)).join(', ')} req/s; hello ${helloRuns.map((r) => fixed(r.requestsPerSecond, 0)).join(', ')} req/s; ratio ${fixed(ratio, 2)}`,
      );
      rows.push([
        shape.name,
        `\`${shape.query}\``,
        gatewayRuns.map((r) => fixed(r.requestsPerSecond, 0)).join(' / '),
        helloRuns.map((r) => fixed(r.requestsPerSecond, 0)).join(' / '),
        `${fixed(ratio, 2)}×`,
        shape.goal === undefined ? '' : `≥ ${shape.goal}× ${ratio >= shape.goal ? 'met' : '**NOT met**'}`,
        String(wrong),
      ]);
    }
    const table = markdownTable(
      ['shape', 'query', 'gateway req/s (run 1 / 2)', 'hello-world req/s (run 1 / 2)', 'ratio (means)', 'goal', 'wrong answers'],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'l', 'r'],
    );
    lines.push(
      wrongTotal === 0
        ? 'Every answer matched the first answer of its query.'
        : `**${wrongTotal} answers differed from the first answer of their query (or failed).**`,
    );
    console.log(`\n${table}\n\n${lines.join('\n')}`);

    const section = [
      SECTION,
      '',
      "`npm run bench:throughput` (bench/throughput.ts) measures requests a second answered from the gateway's",
      'caches (whole answers, and the listings behind them), against a graphql-yoga hello-world (`type Query { hello: String }`, node:http, no plugins) on',
      'the same machine. Child processes: `xnat-graphql emulator --port 0 --dataset demo`, `xnat-graphql serve --port 0',
      '--xnat <emulator> --user admin --password admin --cache-ttl-ms 600000`, and the hello-world. autocannon runs in',
      `the benchmark process: ${connections} connections, ${duration} s per run, Basic admin on every request; each query is asked`,
      'once first (filling the cache), then hello-world and gateway runs alternate twice. Every answer is compared',
      'byte for byte with the first answer of its query.',
      '',
      `Last run: ${environment}.`,
      '',
      table,
      '',
      ...lines,
      '',
    ].join('\n');
    if (!argv.includes('--no-write')) console.log(`wrote ${await replaceSection(SECTION, section)}`);
    if (wrongTotal > 0) process.exitCode = 1;
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

await main(process.argv.slice(2));
