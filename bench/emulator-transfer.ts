/**
 * Emulator transfer benchmark (`npm run bench:emulator`): starts the XNAT emulator in a child
 * process, uploads 1 GiB to a project resource (`PUT ...files/big.bin?inbody=true`), downloads
 * it back as the file and as a resource zip, and samples the child's memory from /proc while it
 * works. Results go to the "Emulator: 1 GiB transfer" section of docs/benchmarks.md.
 *
 * The child runs the compiled emulator (built into dist/ first) under plain Node, as the CLI does;
 * with --tsx, or when the build fails, it runs the TypeScript sources through tsx instead.
 *
 * Options: --size-mib N (default 1024), --no-write (print only), --no-zip, --tsx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MiB = 1024 * 1024;
const RSS_GOAL_MIB = 150;
const SECTION = '## Emulator: 1 GiB transfer';
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');

interface MemorySample {
  rssKiB: number;
  hwmKiB: number;
}

async function readMemory(pid: number): Promise<MemorySample | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
  } catch {
    return null;
  }
}

/** Polls the child's VmRSS; `peak()` is the largest seen since the last `reset()`. */
function memorySampler(pid: number, everyMs = 50) {
  let peak = 0;
  let last: MemorySample | null = null;
  const timer = setInterval(() => {
    void readMemory(pid).then((sample) => {
      if (!sample) return;
      last = sample;
      peak = Math.max(peak, sample.rssKiB);
    });
  }, everyMs);
  return {
    reset: () => {
      peak = last?.rssKiB ?? 0;
    },
    peakMiB: () => peak / 1024,
    stop: () => clearInterval(timer),
  };
}

/** `size` bytes that look incompressible: a random 1 MiB block, varied per chunk. */
function generatedBody(size: number): { stream: Readable; md5: () => string } {
  const block = randomBytes(MiB);
  const hash = createHash('md5');
  let sent = 0;
  let counter = 0;
  const stream = new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const length = Math.min(MiB, size - sent);
      const chunk = Buffer.from(block.subarray(0, length));
      chunk.writeUInt32LE(counter++, 0);
      hash.update(chunk);
      sent += length;
      this.push(chunk);
    },
  });
  return { stream, md5: () => hash.digest('hex') };
}

const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(method: string, url: string, headers: Record<string, string | number> = {}, body?: Readable) {
  return new Promise<IncomingMessage>((resolvePromise, reject) => {
    const req = request(url, { method, headers: { authorization: auth, ...headers } }, resolvePromise);
    req.on('error', reject);
    if (body) pipeline(body, req).catch(reject);
    else req.end();
  });
}

interface StepResult {
  step: string;
  bytes: number;
  seconds: number;
  peakRssMiB: number;
}

async function upload(url: string, size: number): Promise<StepResult & { md5: string }> {
  const body = generatedBody(size);
  const started = performance.now();
  const res = await send('PUT', url, { 'content-type': 'application/octet-stream', 'content-length': size }, body.stream);
  const text = await readBody(res);
  const seconds = (performance.now() - started) / 1000;
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`upload answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return { step: 'upload: `PUT …/files/big.bin?inbody=true`', bytes: size, seconds, peakRssMiB: 0, md5: body.md5() };
}

async function download(url: string, step: string): Promise<StepResult & { md5: string }> {
  const started = performance.now();
  const res = await send('GET', url);
  if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${(await readBody(res)).slice(0, 300)}`);
  const hash = createHash('md5');
  let bytes = 0;
  for await (const chunk of res) {
    bytes += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  const seconds = (performance.now() - started) / 1000;
  return { step, bytes, seconds, peakRssMiB: 0, md5: hash.digest('hex') };
}

/** How the emulator child runs: compiled output under plain Node (as `npx xnat-graphql` does), or sources through tsx. */
type ChildMode = 'dist' | 'tsx';

/**
 * Compiles the emulator and what it imports (nothing of the gateway) from src/ into dist/, as
 * `npm run build` would, so a gateway change in progress elsewhere cannot stop the benchmark.
 * False when that fails.
 */
async function buildEmulator(): Promise<boolean> {
  const configDir = await mkdtemp(join(tmpdir(), 'xnat-bench-tsconfig-'));
  const config = join(configDir, 'tsconfig.json');
  await writeFile(
    config,
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.build.json'),
      compilerOptions: { rootDir: join(repoRoot, 'src'), outDir: join(repoRoot, 'dist') },
      include: [],
      files: [join(repoRoot, 'src', 'emulator', 'index.ts')],
    }),
  );
  const code = await new Promise<number | null>((resolvePromise) => {
    const tsc = spawn(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    tsc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    tsc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    tsc.once('exit', (exitCode) => {
      if (exitCode !== 0) console.warn(`emulator build failed, running it from sources through tsx instead:\n${output.slice(0, 2000)}`);
      resolvePromise(exitCode);
    });
  });
  await rm(configDir, { recursive: true, force: true });
  return code === 0 && existsSync(join(repoRoot, 'dist', 'emulator', 'index.js'));
}

/** Node arguments for a child that starts the emulator and prints `READY <url>`. */
function childArgs(mode: ChildMode, storage: string): string[] {
  const entry = mode === 'dist' ? join(repoRoot, 'dist', 'emulator', 'index.js') : join(repoRoot, 'src', 'emulator', 'index.ts');
  const program = `
    const { startEmulator } = await import(${JSON.stringify(pathToFileURL(entry).href)});
    const emulator = await startEmulator({ port: 0, dataset: 'demo', storage: ${JSON.stringify(storage)} });
    const stop = async () => { await emulator.close(); process.exit(0); };
    process.once('SIGTERM', () => void stop());
    process.stdin.once('end', () => void stop());
    process.stdin.resume();
    process.stdout.write('READY ' + emulator.url + '\\n');
  `;
  return [...(mode === 'tsx' ? ['--import', 'tsx'] : []), '--input-type=module', '-e', program];
}

function startChild(mode: ChildMode, storage: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, childArgs(mode, storage), { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timeout = setTimeout(() => reject(new Error('emulator did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`emulator child exited early (code ${code})`)));
    lines.on('line', (line) => {
      const match = /^READY (\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timeout);
        resolvePromise({ child, url: match[1].replace(/\/$/, '') });
      } else process.stdout.write(`[emulator] ${line}\n`);
    });
  });
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function renderSection(
  results: StepResult[],
  memory: { idleMiB: number; hwmMiB: number },
  sizeMiB: number,
  mode: ChildMode,
  withZip: boolean,
): string {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const verdict = memory.hwmMiB < RSS_GOAL_MIB ? 'met' : 'NOT met';
  return [
    SECTION,
    '',
    '`npm run bench:emulator` (bench/emulator-transfer.ts) starts the emulator in a child process with',
    "`startEmulator({ port: 0, dataset: 'demo', storage })`, " +
      (mode === 'dist'
        ? 'compiled into dist/ and run by plain Node as `npx xnat-graphql` runs it.'
        : 'its TypeScript sources run through tsx (the compiled build was not available).'),
    `The script uploads ${sizeMiB} MiB of incompressible generated bytes as admin with`,
    '`PUT /data/projects/test/resources/bench/files/big.bin?inbody=true`, downloads the file back and',
    `checks its MD5${withZip ? ", then downloads the resource as a zip (XNAT's default deflate)" : ''}.`,
    "Memory is the child's `/proc/<pid>/status`: VmRSS sampled every 50 ms, and VmHWM (its lifetime peak).",
    '',
    `Last run: ${now}, Node ${process.version}, ${cpus().length} × ${cpu}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} at the end (other work on the machine lowers the MiB/s; the RSS figures hold).`,
    '',
    '| step | bytes | seconds | MiB/s | emulator peak RSS during step (MiB) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.step} | ${r.bytes} | ${fmt(r.seconds, 2)} | ${fmt(r.bytes / MiB / r.seconds)} | ${fmt(r.peakRssMiB)} |`),
    '',
    `Emulator RSS after start (demo dataset loaded): ${fmt(memory.idleMiB)} MiB; peak over the whole run (VmHWM): ` +
      `**${fmt(memory.hwmMiB)} MiB** — goal under ${RSS_GOAL_MIB} MiB ${verdict}.`,
    '',
  ].join('\n');
}

async function writeSection(section: string): Promise<string> {
  const path = join(repoRoot, 'docs', 'benchmarks.md');
  await mkdir(dirname(path), { recursive: true });
  const current = existsSync(path) ? await readFile(path, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(`${SECTION}\n`);
  let next: string;
  if (start < 0) {
    next = `${current.replace(/\n*$/, '\n\n')}${section}`;
  } else {
    const after = current.indexOf('\n## ', start + SECTION.length);
    next = current.slice(0, start) + section + (after < 0 ? '' : `\n${current.slice(after + 1)}`);
  }
  await writeFile(path, next);
  return path;
}

async function runParent(argv: string[]): Promise<void> {
  const sizeArg = argv.indexOf('--size-mib');
  const sizeMiB = sizeArg >= 0 ? Number(argv[sizeArg + 1]) : 1024;
  if (!Number.isFinite(sizeMiB) || sizeMiB <= 0) throw new Error('--size-mib needs a positive number');
  const size = Math.round(sizeMiB * MiB);
  const mode: ChildMode = !argv.includes('--tsx') && (await buildEmulator()) ? 'dist' : 'tsx';
  const storage = await mkdtemp(join(tmpdir(), 'xnat-bench-storage-'));
  const { child, url } = await startChild(mode, storage);
  const pid = child.pid!;
  const sampler = memorySampler(pid);
  let failed = false;
  try {
    await new Promise((r) => setTimeout(r, 500));
    const idle = await readMemory(pid);
    console.log(`emulator (${mode}) at ${url}, pid ${pid}, RSS after start ${fmt((idle?.rssKiB ?? 0) / 1024)} MiB`);

    const resource = `${url}/data/projects/test/resources/bench`;
    const fileUrl = `${resource}/files/big.bin`;
    const results: StepResult[] = [];
    const measured = async <T extends StepResult>(run: () => Promise<T>): Promise<T> => {
      sampler.reset();
      const result = await run();
      await new Promise((r) => setTimeout(r, 120));
      result.peakRssMiB = sampler.peakMiB();
      results.push(result);
      console.log(
        `${result.step}: ${fmt(result.bytes / MiB)} MiB in ${fmt(result.seconds, 2)} s = ${fmt(result.bytes / MiB / result.seconds)} MiB/s, peak RSS ${fmt(result.peakRssMiB)} MiB`,
      );
      return result;
    };

    const up = await measured(() => upload(`${fileUrl}?inbody=true`, size));
    const down = await measured(() => download(fileUrl, 'download: `GET …/files/big.bin`'));
    if (down.bytes !== size || down.md5 !== up.md5) {
      failed = true;
      console.error(`download does not match the upload: ${down.bytes} bytes md5 ${down.md5}, sent ${size} md5 ${up.md5}`);
    }
    if (!argv.includes('--no-zip')) {
      const zip = await measured(() =>
        download(`${resource}/files?format=zip`, 'download: `GET …/resources/bench/files?format=zip` (deflate)'),
      );
      if (zip.bytes < size) {
        failed = true;
        console.error(`zip download is shorter (${zip.bytes} bytes) than the file`);
      }
    }
    const del = await send('DELETE', fileUrl);
    await readBody(del);

    const end = await readMemory(pid);
    const memory = { idleMiB: (idle?.rssKiB ?? 0) / 1024, hwmMiB: (end?.hwmKiB ?? 0) / 1024 };
    console.log(`emulator peak RSS (VmHWM): ${fmt(memory.hwmMiB)} MiB (goal < ${RSS_GOAL_MIB} MiB)`);
    if (!argv.includes('--no-write') && !failed) {
      const path = await writeSection(renderSection(results, memory, sizeMiB, mode, !argv.includes('--no-zip')));
      console.log(`wrote ${path}`);
    }
  } finally {
    sampler.stop();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(storage, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

await runParent(process.argv.slice(2));
