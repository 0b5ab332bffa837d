/**
 * Load benchmark (`npm run bench:load`): autocannon, 50 connections for 60 s (`--duration N` to
 * shorten), against the gateway (`xnat-graphql serve`, child process) in front of the emulator
 * (`xnat-graphql emulator --dataset demo --latency-ms 5`, child process). Every connection
 * alternates two users, admin and guest, asking the same query whose answer differs between them
 * (admin sees the private project, guest does not). Each user's expected answer is fetched once
 * before the run; every response body during the run is compared with it. The gateway's VmRSS is
 * sampled every second from /proc. Writes the "Gateway: load (two users)" section of
 * docs/benchmarks.md.
 *
 * Options: --duration N (seconds, default 60), --connections N (default 50), --no-write, --no-build.
 */
import autocannon from 'autocannon';
import { request } from 'undici';
import { fixed, markdownTable, replaceSection, runEnvironment } from './support/docs.js';
import { buildCli, memorySampler, readMemory, settledRss, startEmulatorChild, startGatewayChild, type CliChild, type MemorySample } from './support/processes.js';

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
  if (res.statusCode !== 200 || json.errors?.length || !json.data) throw new Error(`expected answer: HTTP ${res.statusCode} ${body.slice(0, 300)}`);
  return canonical(body);
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
    const gateway = await startGatewayChild(emulator.url);
    children.push(gateway);
    console.log(`emulator ${emulator.url} (pid ${emulator.pid}), gateway ${gateway.url} (pid ${gateway.pid}), dist ${build}`);

    const expected = new Map<UserName, string>();
    for (const user of USERS) expected.set(user.name, await expectedAnswer(gateway.url, basic(user.name, user.password)));
    if (expected.get('admin') === expected.get('guest')) throw new Error('admin and guest get the same answer: the query does not tell them apart');
    const labels = (user: UserName) =>
      (JSON.parse(expected.get(user)!) as { data: { projects: { nodes: { label: string }[] } } }).data.projects.nodes.map((p) => p.label);
    console.log(`expected: admin sees ${labels('admin').join(', ')}; guest sees ${labels('guest').join(', ')}`);

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

    const memory = memorySampler(gateway.pid, 1000);
    const emulatorMemory = memorySampler(emulator.pid, 1000);
    console.log(`autocannon: ${connections} connections for ${duration} s, admin and guest alternating on every connection`);
    const result = await autocannon({ url: gateway.url, connections, duration, requests, timeout: 30 });
    await memory.sampleNow();
    memory.stop();
    emulatorMemory.stop();
    const endMiB = memory.lastMiB();
    const settledMiB = await settledRss(gateway.pid);
    const hwmMiB = (await readMemory(gateway.pid))?.hwmMiB ?? NaN;

    // ------------------------------------------------------------------ report
    const samples = memory.samples;
    const runMs = duration * 1000;
    const later = samples.filter((s) => s.atMs >= runMs / 4);
    const slope = slopeMiBPerMinute(later);
    const fittedRise = slope * (((later.at(-1)?.atMs ?? 0) - (later[0]?.atMs ?? 0)) / 60_000);
    const trendOk = Number.isFinite(fittedRise) && fittedRise < TREND_TOLERANCE_MIB;
    const step = Math.max(1, Math.round(samples.length / 8));
    const shown = samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
    const trail = shown.map((s) => `${fixed(s.atMs / 1000, 0)} s: ${fixed(s.rssMiB, 0)}`).join(' · ');

    const admin = verified.get('admin')!;
    const guest = verified.get('guest')!;
    const mismatches = admin.mismatched + guest.mismatched;
    const errors = result.errors + result.timeouts + result.non2xx;
    const verdict = (ok: boolean) => (ok ? 'met' : '**NOT met**');
    const rows = [
      ['requests (2xx / total answered)', `${result['2xx']} / ${result.requests.total}`],
      ['throughput (req/s, mean)', fixed(result.requests.average, 0)],
      ['latency p50 / p99 / max (ms)', `${fixed(result.latency.p50, 0)} / ${fixed(result.latency.p99, 0)} / ${fixed(result.latency.max, 0)}`],
      ['errors (connection errors + timeouts + non-2xx)', `${result.errors} + ${result.timeouts} + ${result.non2xx} = **${errors}**`],
      ['responses checked: admin / guest', `${admin.ok + admin.mismatched} / ${guest.ok + guest.mismatched}`],
      ['mismatches (a body other than that user\'s expected answer)', `**${mismatches}** (admin ${admin.mismatched}, guest ${guest.mismatched})`],
      ['gateway RSS at start / end / settled after (MiB)', `${fixed(startMiB)} / ${fixed(endMiB)} / ${fixed(settledMiB)}`],
      ['gateway peak RSS during the run (VmHWM, MiB)', fixed(hwmMiB)],
      ['RSS trend after the first quarter (least squares)', `${fixed(slope, 2)} MiB/min, a fitted rise of ${fixed(fittedRise, 1)} MiB`],
      ['emulator RSS at end (MiB)', fixed(emulatorMemory.lastMiB())],
    ];
    const table = markdownTable(['measure', 'value'], rows, ['l', 'r']);
    const goals = `Goals: 0 errors ${verdict(errors === 0)}; 0 mismatches ${verdict(mismatches === 0)}; no RSS growth trend (fitted rise < ${TREND_TOLERANCE_MIB} MiB) ${verdict(trendOk)}.`;
    console.log(`\n${table}\n\nRSS samples (MiB): ${trail}\n${goals}`);
    for (const [name, tally] of verified) for (const e of tally.examples) console.error(`${name} unexpected answer: ${e}`);

    const section = [
      SECTION,
      '',
      `\`npm run bench:load${duration === 60 ? '' : ` -- --duration ${duration}`}\` (bench/load.ts) runs autocannon with ${connections} connections for ${duration} s${duration === 60 ? '' : ' (shortened from the default 60 s)'} against the gateway`,
      '(`xnat-graphql serve --xnat <emulator> --user admin --password admin`, child process) in front of the',
      `emulator (\`xnat-graphql emulator --dataset demo --latency-ms ${LATENCY_MS}\`, child process). Every connection alternates`,
      `two users by their own \`Authorization\` header, admin then guest, asking \`${QUERY}\`:`,
      `admin sees ${labels('admin').map((l) => `\`${l}\``).join(', ')}, guest sees ${labels('guest').map((l) => `\`${l}\``).join(', ')}.`,
      "Each user's expected answer is fetched once before the run and every response body is compared with it",
      "(autocannon's per-request `onResponse`). The gateway's VmRSS is read from `/proc/<pid>/status` every second;",
      'autocannon runs in the benchmark process on the same machine as both children.',
      '',
      `Last run: ${environment}.`,
      '',
      table,
      '',
      `Gateway RSS over the run (MiB): ${trail}.`,
      '',
      goals,
      ...(mismatches || errors
        ? ['', 'Unexpected answers (first few):', '', ...[...verified].flatMap(([name, t]) => t.examples.map((e) => `- ${name}: \`${e.replace(/`/g, "'")}\``))]
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
