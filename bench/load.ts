/**
 * Load benchmark (`npm run bench:load`): autocannon, 50 connections for 60 s (`--duration N` to
 * shorten), against the gateway (`xnat-graphql serve`, child process) in front of the emulator
 * (`xnat-graphql emulator --dataset demo --latency-ms 5`, child process), twice, each with a fresh
 * gateway: the cold path (`--cache-ttl-ms 0`: every query goes to XNAT) and warm (serve's default
 * listing cache: repeated queries are answered from it). Every connection alternates two users,
 * admin and guest, asking the same query whose answer differs between them (admin sees the private
 * project, guest does not). Each user's expected answer is fetched once before the run; every
 * response body during the run is compared with it. XNAT requests and cache lookups (hits, misses)
 * during each run come from the gateway's /metrics; its VmRSS is sampled every second from /proc.
 * Writes the "Gateway: load (two users)" section of docs/benchmarks.md.
 *
 * Options: --duration N (seconds, default 60), --connections N (default 50), --no-write, --no-build.
 */
import autocannon from 'autocannon';
import { request } from 'undici';
import { fixed, markdownTable, replaceSection, runEnvironment } from './support/docs.js';
import {
  buildCli,
  memorySampler,
  readMemory,
  settledRss,
  startEmulatorChild,
  startGatewayChild,
  type CliChild,
  type MemorySample,
} from './support/processes.js';

const SECTION = '## Gateway: load (two users)';
const QUERY = '{ projects { nodes { label subjects { totalCount } } } }';
const LATENCY_MS = 5;
/** "No growth trend": the straight line fitted to RSS after the first quarter rises less than this. */
const TREND_TOLERANCE_MIB = 10;

const USERS = [
  { name: 'admin', password: 'admin' },
  { name: 'guest', password: 'guest' },
] as const;
type UserName = (typeof USERS)[number]['name'];

/** The two gateways measured, each a fresh `serve` child. */
const MODES = [
  { name: 'cold path', flags: ['--cache-ttl-ms', '0'], describe: 'cache off (`serve --cache-ttl-ms 0`): every query goes to XNAT' },
  { name: 'warm', flags: [], describe: "serve's default listing cache (30 s, per user): repeated queries are answered from it" },
] as const;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A canonical form of a GraphQL response for comparison (key order as the server sends it). */
const canonical = (body: string): string => JSON.stringify(JSON.parse(body));

async function expectedAnswer(graphqlUrl: string, authorization: string): Promise<string> {
  const res = await request(graphqlUrl, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = await res.body.text();
  const json = JSON.parse(body) as { data?: unknown; errors?: unknown[] };
  if (res.statusCode !== 200 || json.errors?.length || !json.data)
    throw new Error(`expected answer: HTTP ${res.statusCode} ${body.slice(0, 300)}`);
  return canonical(body);
}

/** Sums of the counters a run is judged by, from the gateway's Prometheus text. */
async function counters(graphqlUrl: string): Promise<{ xnatRequests: number; cacheHits: number; cacheMisses: number }> {
  const res = await request(new URL('/metrics', graphqlUrl));
  const text = await res.body.text();
  const sum = (pattern: RegExp) =>
    text
      .split('\n')
      .filter((line) => pattern.test(line))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return {
    xnatRequests: sum(/^xnat_upstream_requests_total\{/),
    cacheHits: sum(/^xnat_cache_lookups_total\{result="hit"\}/),
    cacheMisses: sum(/^xnat_cache_lookups_total\{result="miss"\}/),
  };
}

/** Least-squares slope of RSS (MiB) over time (minutes). */
function slopeMiBPerMinute(samples: MemorySample[]): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const xs = samples.map((s) => s.atMs / 60_000);
  const ys = samples.map((s) => s.rssMiB);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

interface Run {
  mode: (typeof MODES)[number];
  result: autocannon.Result;
  verified: Map<UserName, { ok: number; mismatched: number; non200: number; examples: string[] }>;
  xnatRequests: number;
  cacheHits: number;
  cacheMisses: number;
  startMiB: number;
  endMiB: number;
  settledMiB: number;
  hwmMiB: number;
  slope: number;
  fittedRise: number;
  trail: string;
  emulatorMiB: number;
}

/** One autocannon run against a fresh gateway started with `mode.flags`. */
async function measure(
  mode: (typeof MODES)[number],
  emulator: CliChild,
  expected: Map<UserName, string>,
  options: { duration: number; connections: number; children: CliChild[] },
): Promise<Run> {
  const gateway = await startGatewayChild(emulator.url, [...mode.flags]);
  options.children.push(gateway);
  console.log(`${mode.name}: gateway ${gateway.url} (pid ${gateway.pid}) ${mode.flags.join(' ')}`);
  for (const user of USERS) {
    if ((await expectedAnswer(gateway.url, basic(user.name, user.password))) !== expected.get(user.name)) {
      throw new Error(`${mode.name}: ${user.name}'s answer differs from the first gateway's`);
    }
  }
  const startMiB = await settledRss(gateway.pid);
  const verified = new Map<UserName, { ok: number; mismatched: number; non200: number; examples: string[] }>(
    USERS.map((u) => [u.name, { ok: 0, mismatched: 0, non200: 0, examples: [] }]),
  );
  const requests: autocannon.Request[] = USERS.map((user) => ({
    method: 'POST',
    path: new URL(gateway.url).pathname,
    headers: { authorization: basic(user.name, user.password), 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: QUERY }),
    onResponse: (status: number, body: string) => {
      const tally = verified.get(user.name)!;
      if (status !== 200) {
        tally.non200++;
        if (tally.examples.length < 3) tally.examples.push(`HTTP ${status}: ${body.slice(0, 200)}`);
        return;
      }
      let same = false;
      try {
        same = canonical(body) === expected.get(user.name);
      } catch {
        same = false;
      }
      if (same) tally.ok++;
      else {
        tally.mismatched++;
        if (tally.examples.length < 3) tally.examples.push(body.slice(0, 300));
      }
    },
  }));

  const before = await counters(gateway.url);
  const memory = memorySampler(gateway.pid, 1000);
  const emulatorMemory = memorySampler(emulator.pid, 1000);
  console.log(
    `${mode.name}: autocannon, ${options.connections} connections for ${options.duration} s, admin and guest alternating on every connection`,
  );
  const result = await autocannon({
    url: gateway.url,
    connections: options.connections,
    duration: options.duration,
    requests,
    timeout: 30,
  });
  await memory.sampleNow();
  memory.stop();
  emulatorMemory.stop();
  const after = await counters(gateway.url);
  const endMiB = memory.lastMiB();
  const settledMiB = await settledRss(gateway.pid);
  const hwmMiB = (await readMemory(gateway.pid))?.hwmMiB ?? NaN;
  await gateway.stop();

  const samples = memory.samples;
  const later = samples.filter((s) => s.atMs >= (options.duration * 1000) / 4);
  const slope = slopeMiBPerMinute(later);
  const fittedRise = slope * (((later.at(-1)?.atMs ?? 0) - (later[0]?.atMs ?? 0)) / 60_000);
  const step = Math.max(1, Math.round(samples.length / 8));
  const shown = samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
  return {
    mode,
    result,
    verified,
    xnatRequests: after.xnatRequests - before.xnatRequests,
    cacheHits: after.cacheHits - before.cacheHits,
    cacheMisses: after.cacheMisses - before.cacheMisses,
    startMiB,
    endMiB,
    settledMiB,
    hwmMiB,
    slope,
    fittedRise,
    trail: shown.map((s) => `${fixed(s.atMs / 1000, 0)} s: ${fixed(s.rssMiB, 0)}`).join(' · '),
    emulatorMiB: emulatorMemory.lastMiB(),
  };
}

async function main(argv: string[]): Promise<void> {
  const option = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const environment = runEnvironment();
  const duration = Number(option('--duration') ?? 60);
  const connections = Number(option('--connections') ?? 50);
  if (!(duration > 0) || !(connections > 0)) throw new Error('--duration and --connections need positive numbers');
  const build = argv.includes('--no-build') ? 'not rebuilt (--no-build)' : await buildCli();

  const children: CliChild[] = [];
  try {
    const emulator = await startEmulatorChild('demo', LATENCY_MS);
    children.push(emulator);
    console.log(`emulator ${emulator.url} (pid ${emulator.pid}), dist ${build}`);

    // Each user's answer, from a gateway of its own (so neither measured gateway starts warm).
    const probe = await startGatewayChild(emulator.url, ['--cache-ttl-ms', '0']);
    const expected = new Map<UserName, string>();
    try {
      for (const user of USERS) expected.set(user.name, await expectedAnswer(probe.url, basic(user.name, user.password)));
    } finally {
      await probe.stop();
    }
    if (expected.get('admin') === expected.get('guest'))
      throw new Error('admin and guest get the same answer: the query does not tell them apart');
    const labels = (user: UserName) =>
      (JSON.parse(expected.get(user)!) as { data: { projects: { nodes: { label: string }[] } } }).data.projects.nodes.map((p) => p.label);
    console.log(`expected: admin sees ${labels('admin').join(', ')}; guest sees ${labels('guest').join(', ')}`);

    const runs: Run[] = [];
    for (const mode of MODES) runs.push(await measure(mode, emulator, expected, { duration, connections, children }));

    // ------------------------------------------------------------------ report
    const verdict = (ok: boolean) => (ok ? 'met' : '**NOT met**');
    const errorsOf = (r: Run) => r.result.errors + r.result.timeouts + r.result.non2xx;
    const mismatchesOf = (r: Run) => [...r.verified.values()].reduce((n, t) => n + t.mismatched, 0);
    const row = (measureName: string, value: (r: Run) => string) => [measureName, ...runs.map(value)];
    const rows = [
      row('requests (2xx / total answered)', (r) => `${r.result['2xx']} / ${r.result.requests.total}`),
      row('throughput (req/s, mean)', (r) => fixed(r.result.requests.average, 0)),
      row(
        'latency p50 / p99 / max (ms)',
        (r) => `${fixed(r.result.latency.p50, 0)} / ${fixed(r.result.latency.p99, 0)} / ${fixed(r.result.latency.max, 0)}`,
      ),
      row(
        'XNAT requests during the run (per GraphQL request)',
        (r) => `${r.xnatRequests} (${fixed(r.xnatRequests / r.result.requests.total, 2)})`,
      ),
      row('cache lookups: hits / misses (hit ratio)', (r) =>
        r.cacheHits + r.cacheMisses
          ? `${r.cacheHits} / ${r.cacheMisses} (${fixed((100 * r.cacheHits) / (r.cacheHits + r.cacheMisses), 1)}%)`
          : '0 / 0 (no cache)',
      ),
      row(
        'errors (connection errors + timeouts + non-2xx)',
        (r) => `${r.result.errors} + ${r.result.timeouts} + ${r.result.non2xx} = **${errorsOf(r)}**`,
      ),
      row('responses checked: admin / guest', (r) => {
        const a = r.verified.get('admin')!;
        const g = r.verified.get('guest')!;
        return `${a.ok + a.mismatched} / ${g.ok + g.mismatched}`;
      }),
      row(
        "mismatches (a body other than that user's expected answer)",
        (r) => `**${mismatchesOf(r)}** (admin ${r.verified.get('admin')!.mismatched}, guest ${r.verified.get('guest')!.mismatched})`,
      ),
      row('gateway RSS at start / end / settled after (MiB)', (r) => `${fixed(r.startMiB)} / ${fixed(r.endMiB)} / ${fixed(r.settledMiB)}`),
      row('gateway peak RSS during the run (VmHWM, MiB)', (r) => fixed(r.hwmMiB)),
      row(
        'RSS trend after the first quarter (least squares)',
        (r) => `${fixed(r.slope, 2)} MiB/min, a fitted rise of ${fixed(r.fittedRise, 1)} MiB`,
      ),
      row('emulator RSS at end (MiB)', (r) => fixed(r.emulatorMiB)),
    ];
    const table = markdownTable(['measure', ...runs.map((r) => `${r.mode.name}`)], rows, ['l', ...runs.map(() => 'r' as const)]);
    const errors = runs.reduce((n, r) => n + errorsOf(r), 0);
    const mismatches = runs.reduce((n, r) => n + mismatchesOf(r), 0);
    const goals = runs.map(
      (r) =>
        `${r.mode.name}: 0 errors ${verdict(errorsOf(r) === 0)}; 0 mismatches ${verdict(mismatchesOf(r) === 0)}; ` +
        `no RSS growth trend (fitted rise < ${TREND_TOLERANCE_MIB} MiB) ${verdict(Number.isFinite(r.fittedRise) && r.fittedRise < TREND_TOLERANCE_MIB)}.`,
    );
    const trails = runs.map((r) => `${r.mode.name}: ${r.trail}`);
    console.log(`\n${table}\n\nRSS samples (MiB):\n${trails.join('\n')}\n${goals.join('\n')}`);
    for (const r of runs)
      for (const [name, tally] of r.verified)
        for (const e of tally.examples) console.error(`${r.mode.name}, ${name} unexpected answer: ${e}`);

    const command = `npm run bench:load${duration === 60 ? '' : ` -- --duration ${duration}`}`;
    const section = [
      SECTION,
      '',
      `\`${command}\` (bench/load.ts) runs autocannon with ${connections} connections for ${duration} s${duration === 60 ? '' : ' (the default is 60 s)'} against the gateway`,
      '(`xnat-graphql serve --xnat <emulator> --user admin --password admin`, child process) in front of the',
      `emulator (\`xnat-graphql emulator --dataset demo --latency-ms ${LATENCY_MS}\`, child process), twice, each time with a fresh gateway:`,
      ...MODES.map((m) => `- **${m.name}**: ${m.describe}.`),
      '',
      `Every connection alternates two users by their own \`Authorization\` header, admin then guest, asking \`${QUERY}\`:`,
      `admin sees ${labels('admin')
        .map((l) => `\`${l}\``)
        .join(', ')}, guest sees ${labels('guest')
        .map((l) => `\`${l}\``)
        .join(', ')}.`,
      "Each user's expected answer is fetched once before the runs and every response body is compared with it",
      "(autocannon's per-request `onResponse`). XNAT requests and cache lookups are the differences of the gateway's",
      "`/metrics` counters (`xnat_upstream_requests_total`, `xnat_cache_lookups_total`) across the run. The gateway's VmRSS is",
      'read from `/proc/<pid>/status` every second; autocannon runs in the benchmark process on the same machine as both children.',
      'The warm figures describe a dashboard refreshed by its users; the cold path is what every query costs when',
      'the cache is off or each query is new. On a loaded machine (load average below) CPU, not XNAT, bounds both',
      'throughputs; the XNAT requests and the hit ratio are what the cache changes whatever the load.',
      '',
      `Last run: ${environment}.`,
      '',
      table,
      '',
      'Gateway RSS over each run (MiB):',
      '',
      ...trails.map((t) => `- ${t}`),
      '',
      'Goals:',
      '',
      ...goals.map((g) => `- ${g}`),
      ...(mismatches || errors
        ? [
            '',
            'Unexpected answers (first few):',
            '',
            ...runs.flatMap((r) =>
              [...r.verified].flatMap(([name, t]) => t.examples.map((e) => `- ${r.mode.name}, ${name}: \`${e.replace(/`/g, "'")}\``)),
            ),
          ]
        : []),
      '',
    ].join('\n');
    if (!argv.includes('--no-write')) console.log(`wrote ${await replaceSection(SECTION, section)}`);
    if (errors || mismatches) process.exitCode = 1;
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

await main(process.argv.slice(2));
