/**
 * Full-tree benchmark (`npm run bench`): the whole archive (projects → subjects → experiments →
 * scans → resources → files, test/operations/archive-tree.graphql) read three ways, side by side
 * in one run, each against an XNAT emulator that adds 5 ms to every answer:
 *
 *   (a) the gateway, batched (one XNAT listing per level);
 *   (b) the same gateway with `batching: false` (one XNAT request per parent object);
 *   (c) pyxnat walking the tree as the seed walkthrough does (bench/pyxnat_walk.py, Debian's
 *       /usr/bin/python3), against its own fresh emulator; skipped with a note without pyxnat.
 *
 * XNAT requests are counted at the emulator's request log. Wall time is the median of 3 runs for
 * the gateway modes and 1 run for pyxnat. All three must see the same number of files.
 * Writes the "Gateway: full tree vs unbatched vs pyxnat" section of docs/benchmarks.md.
 *
 * Options: --datasets demo,bench:10 (default), --runs N (default 3), --no-pyxnat, --no-write.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { request } from 'undici';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import type { DatasetSummary } from '../src/emulator/datasets/index.js';
import { startGateway } from '../src/server/gateway.js';
import { createLogger } from '../src/logger.js';
import { ArchiveTreeDocument } from '../test/generated/operations.js';
import { fixed, markdownTable, median, replaceSection, runEnvironment } from './support/docs.js';
import { repoRoot } from './support/processes.js';

const SECTION = '## Gateway: full tree vs unbatched vs pyxnat';
const LATENCY_MS = 5;
const PYTHON = '/usr/bin/python3';
const PYXNAT_WALK = join(repoRoot, 'bench', 'pyxnat_walk.py');
const QUERY = print(ArchiveTreeDocument);
const AUTH = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

/** What a walk of the tree saw, level by level (the dataset summary's shape). */
type TreeCounts = Omit<DatasetSummary, 'assessors'>;

interface ModeResult {
  mode: string;
  /** XNAT requests of each run, as the emulator logged them */
  requests: number[];
  /** wall time of each run, ms */
  times: number[];
  counts: TreeCounts;
  note?: string;
  /** requests of the untimed first query (gateway modes) */
  warmupRequests?: number;
}

// ------------------------------------------------------------------ the gateway's tree

interface Conn<T> {
  totalCount: number;
  nodes: T[];
}
type Tree = {
  projects: Conn<{ subjects: Conn<{ experiments: Conn<{ scans?: Conn<{ resources: Conn<{ files: Conn<unknown> }> }> }> }> }>;
};

function countTree(data: Tree): TreeCounts {
  const counts: TreeCounts = { projects: 0, subjects: 0, experiments: 0, scans: 0, resources: 0, files: 0 };
  const check = (c: Conn<unknown>, what: string) => {
    if (c.totalCount !== c.nodes.length) throw new Error(`${what}: totalCount ${c.totalCount} but ${c.nodes.length} nodes`);
  };
  check(data.projects, 'projects');
  for (const project of data.projects.nodes) {
    counts.projects++;
    check(project.subjects, 'subjects');
    for (const subject of project.subjects.nodes) {
      counts.subjects++;
      check(subject.experiments, 'experiments');
      for (const experiment of subject.experiments.nodes) {
        counts.experiments++;
        if (!experiment.scans) continue;
        check(experiment.scans, 'scans');
        for (const scan of experiment.scans.nodes) {
          counts.scans++;
          check(scan.resources, 'resources');
          for (const resource of scan.resources.nodes) {
            counts.resources++;
            check(resource.files, 'files');
            counts.files += resource.files.nodes.length;
          }
        }
      }
    }
  }
  return counts;
}

async function queryTree(graphqlUrl: string): Promise<TreeCounts> {
  const res = await request(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: AUTH },
    body: JSON.stringify({ query: QUERY }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`gateway answered ${res.statusCode}: ${text.slice(0, 500)}`);
  const json = JSON.parse(text) as { data?: Tree; errors?: { message: string }[] };
  if (json.errors?.length || !json.data) throw new Error(`gateway errors: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return countTree(json.data);
}

async function runGateway(emulator: Emulator, batching: boolean, runs: number): Promise<ModeResult> {
  const gateway = await startGateway({
    xnatUrl: emulator.url,
    port: 0,
    credentials: { user: 'admin', password: 'admin' },
    batching,
    logger: createLogger({ level: 'warn' }),
  });
  const result: ModeResult = {
    mode: batching ? 'gateway (batched)' : 'gateway, `batching: false`',
    requests: [],
    times: [],
    counts: undefined as unknown as TreeCounts,
  };
  try {
    // One untimed warm-up query: JIT, the schema's first execution and the gateway's XNAT login.
    emulator.requests.clear();
    await queryTree(gateway.graphqlUrl);
    result.warmupRequests = emulator.requests.count();
    for (let run = 0; run < runs; run++) {
      emulator.requests.clear();
      const started = performance.now();
      const counts = await queryTree(gateway.graphqlUrl);
      result.times.push(performance.now() - started);
      result.requests.push(emulator.requests.count());
      result.counts ??= counts;
      if (JSON.stringify(counts) !== JSON.stringify(result.counts)) throw new Error(`run ${run + 1} saw a different tree`);
    }
  } finally {
    await gateway.close();
  }
  return result;
}

// ------------------------------------------------------------------ pyxnat

const hasPyxnat = () => spawnSync(PYTHON, ['-c', 'import pyxnat']).status === 0;

async function runPyxnat(dataset: string): Promise<ModeResult> {
  // its own fresh emulator, so the log holds pyxnat's requests only
  const emulator = await startEmulator({ port: 0, dataset, latencyMs: LATENCY_MS });
  const dir = await mkdtemp(join(tmpdir(), 'bench-pyxnat-'));
  try {
    const config = join(dir, 'xnat_config.cfg');
    await writeFile(config, JSON.stringify({ server: emulator.url, user: 'admin', password: 'admin' }));
    emulator.requests.clear();
    const started = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(PYTHON, [PYXNAT_WALK, config], { env: { ...process.env, HOME: dir } });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    const elapsed = performance.now() - started;
    if (code !== 0) throw new Error(`pyxnat walk failed (${code}): ${stderr.slice(-2000)}`);
    const counts = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as TreeCounts;
    const failed = emulator.requests.entries().filter((e) => e.status >= 400).length;
    return {
      mode: 'pyxnat 1.5 walk',
      requests: [emulator.requests.count()],
      times: [elapsed],
      counts,
      ...(failed ? { note: `${failed} of its requests answered ≥ 400` } : {}),
    };
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ report

function describeCounts(c: TreeCounts): string {
  return `${c.projects} projects, ${c.subjects} subjects, ${c.experiments} experiments, ${c.scans} scans, ${c.resources} scan resources, ${c.files} files`;
}

function rowsFor(dataset: string, results: ModeResult[]): string[][] {
  const base = results[0]!;
  const baseRequests = base.requests[0]!;
  const baseTime = median(base.times);
  return results.map((r) => {
    const requests = r.requests[0]!;
    const time = median(r.times);
    const sameEveryRun = r.requests.every((n) => n === requests);
    const requestCell = sameEveryRun ? String(requests) : `${requests} (runs: ${r.requests.join(', ')})`;
    const timeCell = r.times.length > 1 ? `${fixed(time, 0)} (median of ${r.times.length})` : `${fixed(time, 0)} (1 run)`;
    return [
      dataset,
      r.mode + (r.note ? ` — ${r.note}` : ''),
      requestCell,
      r === base ? '1×' : `${fixed(requests / baseRequests, 1)}×`,
      timeCell,
      r === base ? '1×' : `${fixed(time / baseTime, 1)}×`,
      String(r.counts.files),
    ];
  });
}

async function main(argv: string[]): Promise<void> {
  const option = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const environment = runEnvironment();
  const datasets = (option('--datasets') ?? 'demo,bench:10').split(',');
  const runs = Number(option('--runs') ?? 3);
  const withPyxnat = !argv.includes('--no-pyxnat') && hasPyxnat();
  const pyxnatNote = argv.includes('--no-pyxnat')
    ? 'pyxnat skipped (--no-pyxnat).'
    : withPyxnat
      ? null
      : `pyxnat skipped: \`${PYTHON} -c "import pyxnat"\` fails here (Debian: \`apt-get install -y python3-pyxnat\`).`;
  if (pyxnatNote) console.warn(pyxnatNote);

  const rows: string[][] = [];
  const summaries: string[] = [];
  const problems: string[] = [];
  for (const dataset of datasets) {
    const emulator = await startEmulator({ port: 0, dataset, latencyMs: LATENCY_MS });
    const results: ModeResult[] = [];
    try {
      for (const batching of [true, false]) {
        const r = await runGateway(emulator, batching, runs);
        console.log(
          `${dataset} ${r.mode}: warm-up ${r.warmupRequests} requests; requests ${r.requests.join('/')}, ms ${r.times.map((t) => t.toFixed(0)).join('/')}, ${describeCounts(r.counts)}`,
        );
        results.push(r);
      }
    } finally {
      await emulator.close();
    }
    if (withPyxnat) {
      const r = await runPyxnat(dataset);
      console.log(`${dataset} ${r.mode}: requests ${r.requests[0]}, ms ${r.times[0]!.toFixed(0)}, ${describeCounts(r.counts)}`);
      results.push(r);
    }
    const files = new Set(results.map((r) => r.counts.files));
    if (files.size !== 1)
      problems.push(
        `${dataset}: the modes saw different numbers of files: ${results.map((r) => `${r.mode} ${r.counts.files}`).join(', ')}`,
      );
    rows.push(...rowsFor(dataset, results));
    summaries.push(
      `\`${dataset}\`: ${describeCounts(results[0]!.counts)}; the untimed warm-up query before the timed ones took ` +
        results
          .filter((r) => r.warmupRequests !== undefined)
          .map((r) => `${r.warmupRequests} (${r.mode})`)
          .join(' and ') +
        " XNAT requests, the gateway's XNAT login included.",
    );
    const pyxnat = results.find((r) => r.mode.startsWith('pyxnat'));
    if (pyxnat) {
      const ratio = pyxnat.requests[0]! / results[0]!.requests[0]!;
      summaries.push(
        `  pyxnat / batched gateway XNAT requests: ${fixed(ratio, 0)}× — goal ≥ 100× ${ratio >= 100 ? 'met' : '**NOT met**'}.`,
      );
    }
  }

  const header = ['dataset', 'client', 'XNAT requests', 'vs batched', 'wall time (ms)', 'vs batched', 'files seen'];
  const table = markdownTable(header, rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r']);
  console.log(`\n${table}\n`);
  for (const s of summaries) console.log(s);
  for (const p of problems) console.error(`SANITY CHECK FAILED: ${p}`);

  const section = [
    SECTION,
    '',
    '`npm run bench` (bench/tree.ts) reads the whole archive — projects → subjects → experiments →',
    'scans → scan resources → files, `test/operations/archive-tree.graphql` — three ways in one run,',
    `each against an in-process XNAT emulator (\`startEmulator\`) that adds ${LATENCY_MS} ms to every answer:`,
    'the gateway (`startGateway`, in-process, admin), the same gateway with `batching: false` (one XNAT',
    "request per parent object), and Debian's pyxnat 1.5 walking the tree as the seed walkthrough does",
    '(bench/pyxnat_walk.py: `interface.select.projects()`, `.subjects()`, `.experiments()`, `.scans()`',
    "with `scan.attrs.mget({'type'})`, `.resources()`, `.files()` with `label()`), against its own fresh",
    "emulator. XNAT requests are counted in the emulator's request log (pyxnat's include its `JSESSION`",
    'login and logout). Each gateway mode answers one untimed warm-up query first; wall time is the median of',
    `${runs} timed runs for the gateway modes and one run for pyxnat. The machine is shared, so times are noisy; request counts are exact.`,
    '',
    `Last run: ${environment}.`,
    '',
    table,
    '',
    ...summaries.map((s) => s.replace(/^ {2}/, '- ').replace(/^`/, '- `')),
    ...(pyxnatNote ? ['', pyxnatNote] : []),
    ...(problems.length
      ? ['', ...problems.map((p) => `**Sanity check failed** — ${p}`)]
      : ['', 'All clients saw the same number of files.']),
    '',
  ].join('\n');
  if (!argv.includes('--no-write')) console.log(`wrote ${await replaceSection(SECTION, section)}`);
  if (problems.length) process.exitCode = 1;
}

await main(process.argv.slice(2));
