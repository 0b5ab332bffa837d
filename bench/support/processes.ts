/**
 * Child processes for the benchmarks and the memory-bound tests: build the CLI, start
 * `xnat-graphql emulator` / `serve` as children (as a user would run them), wait for the URL they
 * print, and read their memory and CPU time from /proc/<pid>/status and /proc/<pid>/stat.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliEntry = join(repoRoot, 'bin', 'xnat-graphql.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runTsc(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise) => {
    const tsc = spawn(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    tsc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    tsc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    tsc.once('exit', (code) => resolvePromise({ code, output }));
  });
}

/**
 * `npm run build` (tsc -p tsconfig.build.json) so the CLI children run the current sources. Other
 * engineers edit src/ concurrently: on failure wait and retry; after the last attempt fall back to
 * the existing dist/ with a warning (the CLI must exist).
 */
export async function buildCli({ attempts = 3, waitMs = 60_000 } = {}): Promise<'fresh' | 'stale'> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { code, output } = await runTsc();
    if (code === 0) return 'fresh';
    console.warn(`build failed (attempt ${attempt}/${attempts}):\n${output.slice(0, 1500)}`);
    if (attempt < attempts) await sleep(waitMs);
  }
  if (!existsSync(join(repoRoot, 'dist', 'cli.js'))) throw new Error('the build fails and there is no dist/cli.js to fall back on');
  console.warn('using the existing dist/ (the build of the current sources fails)');
  return 'stale';
}

export interface CliChild {
  child: ChildProcess;
  pid: number;
  /** The URL the command printed (the emulator's base URL, or the gateway's /graphql URL). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs `node bin/xnat-graphql.js ARGS` and resolves once a stdout line matches `ready`
 * (its first capture group is the URL). Later output is forwarded with a prefix.
 */
export function startCli(name: string, args: string[], ready: RegExp, timeoutMs = 60_000): Promise<CliChild> {
  // Its own process group, stopped as a whole; also stopped if this process exits without stop().
  const child = spawn(process.execPath, [cliEntry, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => signalGroup('SIGKILL');
  process.once('exit', onExit);
  child.once('exit', () => process.off('exit', onExit));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let started = false;
    const timeout = setTimeout(() => {
      void stop();
      reject(new Error(`${name} did not print its URL within ${timeoutMs / 1000} s; stderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      if (!started) {
        clearTimeout(timeout);
        reject(new Error(`${name} exited early (code ${code}, signal ${signal}); stderr: ${stderr.slice(-2000)}`));
      }
    });
    lines.on('line', (line) => {
      const match = started ? null : ready.exec(line);
      if (match?.[1]) {
        started = true;
        clearTimeout(timeout);
        resolvePromise({ child, pid: child.pid!, url: match[1].replace(/\/$/, ''), stop });
      } else if (!/^\{"level"/.test(line)) {
        process.stdout.write(`[${name}] ${line}\n`);
      }
    });
  });
}

/** `emulator --port 0 --dataset DATASET [--latency-ms N]` as a child; url is http://127.0.0.1:PORT. */
export function startEmulatorChild(dataset: string, latencyMs = 0): Promise<CliChild> {
  return startCli(
    'emulator',
    ['emulator', '--port', '0', '--dataset', dataset, '--latency-ms', String(latencyMs)],
    /listening at (http:\/\/\S+)/,
  );
}

/** `serve --port 0 --xnat URL --user admin --password admin` as a child; url is its /graphql URL. */
export function startGatewayChild(xnatUrl: string, extra: string[] = []): Promise<CliChild> {
  return startCli(
    'gateway',
    ['serve', '--port', '0', '--xnat', xnatUrl, '--user', 'admin', '--password', 'admin', ...extra],
    /(http:\/\/127\.0\.0\.1:\d+\/graphql)/,
  );
}

export interface MemorySample {
  /** ms since the sampler started */
  atMs: number;
  rssMiB: number;
  hwmMiB: number;
}

/** VmRSS and VmHWM of a process in MiB, or null once it is gone. */
export async function readMemory(pid: number): Promise<{ rssMiB: number; hwmMiB: number } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
    return { rssMiB: field('VmRSS'), hwmMiB: field('VmHWM') };
  } catch {
    return null;
  }
}

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`; 100 on Linux), asked once. */
let clockTicks: number | undefined;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; NaN once it is gone. */
export async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return NaN;
  }
}

/**
 * Starts a new VmHWM window at the current RSS (Linux: writing 5 to /proc/<pid>/clear_refs), so a
 * later VmHWM is the peak since now, including peaks between samples.
 */
export async function resetPeak(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

/** Polls a process's VmRSS every `everyMs`; keeps every sample and a resettable peak. */
export function memorySampler(pid: number, everyMs = 50) {
  const started = performance.now();
  const samples: MemorySample[] = [];
  let peak = 0;
  let last = 0;
  const take = async () => {
    const m = await readMemory(pid);
    if (!m) return;
    last = m.rssMiB;
    peak = Math.max(peak, m.rssMiB);
    samples.push({ atMs: performance.now() - started, ...m });
  };
  const timer = setInterval(() => void take(), everyMs);
  return {
    samples,
    /** Starts a new peak window at the current RSS. */
    reset: () => {
      peak = last;
    },
    peakMiB: () => peak,
    lastMiB: () => last,
    /** One extra sample now (e.g. right after a step ends). */
    sampleNow: take,
    stop: () => clearInterval(timer),
  };
}

/** Waits until the process's RSS stops moving (two reads `everyMs` apart within `toleranceMiB`). */
export async function settledRss(pid: number, { everyMs = 500, toleranceMiB = 1, maxMs = 10_000 } = {}): Promise<number> {
  const deadline = performance.now() + maxMs;
  let previous = (await readMemory(pid))?.rssMiB ?? NaN;
  for (;;) {
    await sleep(everyMs);
    const current = (await readMemory(pid))?.rssMiB ?? NaN;
    if (Math.abs(current - previous) <= toleranceMiB || performance.now() > deadline) return current;
    previous = current;
  }
}
