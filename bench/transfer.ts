/**
 * Transfer benchmark (`npm run bench:transfer`): 1 GiB up and down through the gateway versus
 * straight to the emulator, side by side in one run.
 *
 * The emulator (`xnat-graphql emulator --dataset demo`) and the gateway (`xnat-graphql serve
 * --xnat <emulator> --user admin --password admin`) run as child processes from the build in
 * dist/. Direct: `PUT {emulator}/data/projects/test/resources/bench/files/direct.bin?inbody=true`
 * then `GET` it back. Via the gateway: the raw route (`PUT` to the project's `uploadUrl`, with
 * Content-Length) and a GraphQL multipart upload (`uploadFile`, streamed, chunked,
 * `graphql-preflight: 1`) into the same resource, then `GET` a `downloadUrl`. Bytes are generated
 * in 1 MiB chunks and checked by MD5 on the way back. The gateway's VmRSS is sampled every 50 ms
 * from /proc. Writes the "Gateway: 1 GiB transfer" section of docs/benchmarks.md.
 *
 * Options: --size-mib N (default 1024), --no-write, --no-build.
 */
import { availableParallelism } from 'node:os';
import { request } from 'undici';
import {
  buildCli,
  cpuSeconds,
  memorySampler,
  readMemory,
  settledRss,
  startEmulatorChild,
  startGatewayChild,
  type CliChild,
} from './support/processes.js';
import { drain, generatedChunks, graphqlUploadBody, MiB, readableOf } from './support/payload.js';
import { fixed, markdownTable, replaceSection, runEnvironment } from './support/docs.js';

const SECTION = '## Gateway: 1 GiB transfer';
const GROWTH_GOAL_MIB = 64;
/** Goals of each gateway path against direct: raw upload, multipart upload, download. */
const GOALS = { raw: 0.95, multipart: 0.8, download: 0.95 } as const;
const AUTH = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

interface Step {
  /** the transfer size the step belongs to, e.g. "1 GiB" */
  group: string;
  path: 'direct' | 'gateway';
  /** how a gateway upload went: the raw route or a GraphQL multipart request */
  via?: 'raw' | 'multipart';
  direction: 'upload' | 'download';
  bytes: number;
  seconds: number;
  gatewayPeakMiB: number;
  emulatorPeakMiB: number;
  /** CPU seconds (user + system) during the step: this process (the client), the gateway, the emulator (XNAT) */
  cpu: { client: number; gateway: number; xnat: number };
  md5: string;
  /** what went wrong when the step failed; bytes is then what was sent before the answer */
  error?: string;
  /** what the gateway download served (when the gateway upload failed: the file stored directly) */
  note?: string;
}

/** Seconds of a `process.cpuUsage()` difference. */
const cpuOf = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

async function text(body: { text(): Promise<string> }): Promise<string> {
  return body.text();
}

type Measured = Omit<Step, 'gatewayPeakMiB' | 'emulatorPeakMiB' | 'group' | 'cpu'>;

async function directUpload(emulatorUrl: string, size: number, name: string): Promise<Measured> {
  const payload = generatedChunks(size);
  const started = performance.now();
  const res = await request(`${emulatorUrl}/data/projects/test/resources/bench/files/${name}?inbody=true`, {
    method: 'PUT',
    headers: { authorization: AUTH, 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: readableOf(payload.chunks()),
  });
  const answer = await text(res.body);
  const seconds = (performance.now() - started) / 1000;
  if (res.statusCode >= 300) throw new Error(`direct upload answered ${res.statusCode}: ${answer.slice(0, 300)}`);
  return { path: 'direct', direction: 'upload', bytes: payload.produced(), seconds, md5: payload.md5() };
}

/** Reference: the same bytes straight to the emulator as one multipart part, chunked (what the gateway sends XNAT for `uploadFile`). */
async function directMultipartUpload(emulatorUrl: string, size: number, name: string): Promise<Measured> {
  const payload = generatedChunks(size);
  const boundary = `----xnat-graphql-bench-direct-${Date.now().toString(16)}`;
  async function* body(): AsyncGenerator<Buffer> {
    yield Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    yield* payload.chunks();
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  const started = performance.now();
  const res = await request(`${emulatorUrl}/data/projects/test/resources/bench/files/${name}?overwrite=true`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: readableOf(body()),
  });
  const answer = await text(res.body);
  const seconds = (performance.now() - started) / 1000;
  if (res.statusCode >= 300) throw new Error(`direct multipart upload answered ${res.statusCode}: ${answer.slice(0, 300)}`);
  return { path: 'direct', via: 'multipart', direction: 'upload', bytes: payload.produced(), seconds, md5: payload.md5() };
}

async function download(url: string, path: Step['path']): Promise<Measured> {
  const started = performance.now();
  const res = await request(url, { method: 'GET', headers: { authorization: AUTH } });
  if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${(await text(res.body)).slice(0, 300)}`);
  const { bytes, md5 } = await drain(res.body);
  return { path, direction: 'download', bytes, seconds: (performance.now() - started) / 1000, md5 };
}

async function graphql<T>(graphqlUrl: string, query: string): Promise<T> {
  const res = await request(graphqlUrl, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = await text(res.body);
  const json = JSON.parse(body) as { data?: T; errors?: unknown[] };
  if (res.statusCode !== 200 || json.errors?.length || !json.data)
    throw new Error(`gateway answered ${res.statusCode}: ${body.slice(0, 500)}`);
  return json.data;
}

type GatewayUploadRun = Measured & { downloadUrl: string; reportedSize: number };

/**
 * One upload through the gateway, timed from the first byte sent to the answer: `send` makes the
 * request with the payload's chunks; the answer is `uploadFile`'s JSON either way.
 */
async function timedGatewayUpload(
  via: 'raw' | 'multipart',
  payload: ReturnType<typeof generatedChunks>,
  send: () => Promise<{ statusCode: number; body: Parameters<typeof text>[0] }>,
): Promise<GatewayUploadRun> {
  const started = performance.now();
  const failed = (error: string) => ({
    path: 'gateway' as const,
    via,
    direction: 'upload' as const,
    bytes: payload.produced(),
    seconds: (performance.now() - started) / 1000,
    md5: '',
    downloadUrl: '',
    reportedSize: NaN,
    error,
  });
  let statusCode: number;
  let answer: string;
  try {
    const res = await send();
    statusCode = res.statusCode;
    answer = await text(res.body);
  } catch (error) {
    return failed(`request failed: ${(error as Error).message}`);
  }
  const seconds = (performance.now() - started) / 1000;
  let json: { data?: { uploadFile?: { size: number; downloadUrl: string } }; errors?: unknown[] };
  try {
    json = JSON.parse(answer) as typeof json;
  } catch {
    return failed(`HTTP ${statusCode}: ${answer.slice(0, 300)}`);
  }
  const uploaded = json.data?.uploadFile;
  if (statusCode !== 200 || json.errors?.length || !uploaded) return failed(`HTTP ${statusCode}: ${answer.slice(0, 400)}`);
  return {
    path: 'gateway',
    via,
    direction: 'upload',
    bytes: payload.produced(),
    seconds,
    md5: payload.md5(),
    downloadUrl: uploaded.downloadUrl,
    reportedSize: uploaded.size,
  };
}

/** `PUT` to the project's `uploadUrl`: the file as the body, with its length. */
async function rawUpload(gatewayUrl: string, size: number, name: string): Promise<GatewayUploadRun> {
  const found = await graphql<{ project: { uploadUrl: string } }>(
    gatewayUrl,
    `{ project(id:"test"){ uploadUrl(resource:"bench", name:${JSON.stringify(name)}, overwrite:true) } }`,
  );
  const payload = generatedChunks(size);
  return timedGatewayUpload('raw', payload, () =>
    request(found.project.uploadUrl, {
      method: 'PUT',
      headers: { authorization: AUTH, 'graphql-preflight': '1', 'content-length': String(size) },
      body: readableOf(payload.chunks()),
    }),
  );
}

/** The GraphQL multipart request: `uploadFile` with the file as a part of unknown length. */
async function gatewayUpload(graphqlUrl: string, projectId: string, size: number, name: string): Promise<GatewayUploadRun> {
  const payload = generatedChunks(size);
  const boundary = `----xnat-graphql-bench-${Date.now().toString(16)}`;
  return timedGatewayUpload('multipart', payload, () =>
    request(graphqlUrl, {
      method: 'POST',
      headers: {
        authorization: AUTH,
        'graphql-preflight': '1',
        accept: 'application/json',
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body: readableOf(
        graphqlUploadBody(
          boundary,
          {
            query: `mutation($f: Upload!, $p: ID!){ uploadFile(parent:$p, resource:"bench", file:$f, name:${JSON.stringify(name)}, overwrite:true){ id size downloadUrl } }`,
            variables: { f: null, p: projectId },
          },
          'f',
          name,
          payload.chunks(),
        ),
      ),
    }),
  );
}

async function main(argv: string[]): Promise<void> {
  const sizeAt = argv.indexOf('--size-mib');
  const sizeMiB = sizeAt >= 0 ? Number(argv[sizeAt + 1]) : 1024;
  if (!Number.isFinite(sizeMiB) || sizeMiB <= 0) throw new Error('--size-mib needs a positive number');
  const size = Math.round(sizeMiB * MiB);
  const sizeLabel = sizeMiB === 1024 ? '1 GiB' : `${sizeMiB} MiB`;
  const build = argv.includes('--no-build') ? 'not rebuilt (--no-build)' : await buildCli();
  const environment = runEnvironment();

  const children: CliChild[] = [];
  const problems: string[] = [];
  try {
    const emulator = await startEmulatorChild('demo');
    children.push(emulator);
    const gateway = await startGatewayChild(emulator.url);
    children.push(gateway);
    console.log(`emulator ${emulator.url} (pid ${emulator.pid}), gateway ${gateway.url} (pid ${gateway.pid}), dist ${build}`);
    const fileUrl = (name: string) => `${emulator.url}/data/projects/test/resources/bench/files/${name}`;

    const { project } = await graphql<{ project: { id: string } | null }>(gateway.url, '{ project(id:"test"){ id } }');
    if (!project) throw new Error('project "test" not found through the gateway');
    const idleMiB = await settledRss(gateway.pid);
    const idleEmulatorMiB = (await readMemory(emulator.pid))?.rssMiB ?? NaN;
    console.log(`gateway idle RSS ${fixed(idleMiB)} MiB (after one query), emulator ${fixed(idleEmulatorMiB)} MiB`);

    const gatewayMemory = memorySampler(gateway.pid, 50);
    const emulatorMemory = memorySampler(emulator.pid, 50);
    const steps: Step[] = [];
    const measured = async <T extends Measured>(group: string, run: () => Promise<T>): Promise<T> => {
      gatewayMemory.reset();
      emulatorMemory.reset();
      const cpuBefore = { client: process.cpuUsage(), gateway: await cpuSeconds(gateway.pid), xnat: await cpuSeconds(emulator.pid) };
      const result = await run();
      const cpu = {
        client: cpuOf(process.cpuUsage(cpuBefore.client)),
        gateway: (await cpuSeconds(gateway.pid)) - cpuBefore.gateway,
        xnat: (await cpuSeconds(emulator.pid)) - cpuBefore.xnat,
      };
      await new Promise((r) => setTimeout(r, 150));
      await gatewayMemory.sampleNow();
      const step: Step = { ...result, group, cpu, gatewayPeakMiB: gatewayMemory.peakMiB(), emulatorPeakMiB: emulatorMemory.peakMiB() };
      steps.push(step);
      if (step.error) console.log(`${step.path} ${step.direction} FAILED: ${step.error}`);
      console.log(
        `${group}: ${step.path} ${step.direction}: ${fixed(step.bytes / MiB)} MiB in ${fixed(step.seconds, 2)} s = ${fixed(step.bytes / MiB / step.seconds)} MiB/s; ` +
          `gateway peak RSS ${fixed(step.gatewayPeakMiB)} MiB, emulator ${fixed(step.emulatorPeakMiB)} MiB`,
      );
      return result;
    };

    // ---------------------------------------------------------------- the big file
    // Uploads in A-B-C-A order (direct, raw route, multipart, direct), as the downloads below.
    const directUp = await measured(sizeLabel, () => directUpload(emulator.url, size, 'direct.bin'));
    const rawUp = await measured(sizeLabel, () => rawUpload(gateway.url, size, 'raw.bin'));
    if (rawUp.error) problems.push(`the ${sizeLabel} raw-route upload failed: ${rawUp.error}`);
    else if (rawUp.reportedSize !== size) problems.push(`the raw route reported size ${rawUp.reportedSize}, sent ${size}`);
    const gatewayUp = await measured(sizeLabel, () => gatewayUpload(gateway.url, project.id, size, 'gw.bin'));
    await measured(sizeLabel, () => directUpload(emulator.url, size, 'direct.bin'));
    // Reference: what a multipart body costs the emulator itself, without the gateway.
    await measured(sizeLabel, () => directMultipartUpload(emulator.url, size, 'direct-mp.bin'));
    let gatewaySource = 'gw.bin';
    let gatewayDownloadUrl = gatewayUp.downloadUrl;
    let gatewayMd5 = gatewayUp.md5;
    if (gatewayUp.error) {
      problems.push(
        `the ${sizeLabel} gateway upload failed after sending ${fixed(gatewayUp.bytes / MiB)} MiB in ${fixed(gatewayUp.seconds, 2)} s: ${gatewayUp.error}`,
      );
      // Still measure the gateway's download path, on the file stored directly.
      const found = await graphql<{ project: { resource: { file: { downloadUrl: string } | null } | null } | null }>(
        gateway.url,
        '{ project(id:"test"){ resource(label:"bench"){ file(name:"direct.bin"){ downloadUrl } } } }',
      );
      gatewayDownloadUrl = found.project?.resource?.file?.downloadUrl ?? '';
      if (!gatewayDownloadUrl) throw new Error('direct.bin not found through the gateway');
      gatewaySource = 'direct.bin';
      gatewayMd5 = directUp.md5;
    } else if (gatewayUp.reportedSize !== size) problems.push(`uploadFile reported size ${gatewayUp.reportedSize}, sent ${size}`);

    // Downloads in A-B-B-A order, so a drift in the machine's load does not favour one path.
    for (const path of ['direct', 'gateway', 'gateway', 'direct'] as const) {
      const down = await measured(sizeLabel, async () => ({
        ...(await download(path === 'direct' ? fileUrl('direct.bin') : gatewayDownloadUrl, path)),
        note: path === 'direct' ? 'direct.bin' : `${gatewaySource} via \`downloadUrl\``,
      }));
      const md5 = path === 'direct' ? directUp.md5 : gatewayMd5;
      if (down.bytes !== size || down.md5 !== md5)
        problems.push(`${path} download differs from the upload (${down.bytes} bytes, md5 ${down.md5} vs ${md5})`);
    }

    gatewayMemory.stop();
    emulatorMemory.stop();
    const hwmMiB = (await readMemory(gateway.pid))?.hwmMiB ?? NaN;
    const afterMiB = await settledRss(gateway.pid);
    const del = await request(`${emulator.url}/data/projects/test/resources/bench`, { method: 'DELETE', headers: { authorization: AUTH } });
    await text(del.body);

    // ------------------------------------------------------------------ report
    const ok = (s: Step) => !s.error;
    /** total bytes / total seconds of the successful steps of one kind */
    const rate = (group: string, path: Step['path'], direction: Step['direction'], via?: Step['via']) => {
      const chosen = steps.filter((s) => s.group === group && s.path === path && s.direction === direction && s.via === via && ok(s));
      const bytes = chosen.reduce((a, s) => a + s.bytes, 0);
      const seconds = chosen.reduce((a, s) => a + s.seconds, 0);
      return chosen.length ? bytes / MiB / seconds : NaN;
    };
    const speed = (s: Step) => s.bytes / MiB / s.seconds;
    const rows = steps.map((s) => {
      const direct = rate(s.group, 'direct', s.direction);
      return [
        s.group,
        s.direction,
        (s.path === 'direct'
          ? s.via === 'multipart'
            ? 'direct to the emulator, multipart (reference)'
            : 'direct to the emulator'
          : s.via === 'raw'
            ? 'gateway, raw route (`PUT` to `uploadUrl`)'
            : s.via === 'multipart'
              ? 'gateway, GraphQL multipart'
              : 'through the gateway') +
          (s.error ? ` — **FAILED** after ${fixed(s.bytes / MiB)} MiB sent` : '') +
          (s.note ? ` (${s.note})` : ''),
        fixed(s.bytes / MiB, 1),
        fixed(s.seconds, 2),
        s.error ? '—' : fixed(speed(s)),
        s.path === 'direct' && s.via === undefined ? '' : s.error ? '—' : `${fixed(speed(s) / direct, 2)}×`,
        s.path === 'gateway' ? fixed(s.gatewayPeakMiB) : '',
        s.path === 'gateway' ? `+${fixed(s.gatewayPeakMiB - idleMiB)}` : '',
        `${fixed(s.cpu.client, 2)} / ${s.path === 'gateway' ? fixed(s.cpu.gateway, 2) : '–'} / ${fixed(s.cpu.xnat, 2)}`,
        fixed((s.cpu.client + (s.path === 'gateway' ? s.cpu.gateway : 0) + s.cpu.xnat) / s.seconds, 2),
      ];
    });
    const table = markdownTable(
      [
        'transfer',
        'direction',
        'path',
        'MiB',
        'seconds',
        'MiB/s',
        'vs direct (mean)',
        'gateway peak RSS (MiB)',
        'growth over idle (MiB)',
        'CPU s: client / gateway / XNAT',
        'busy cores',
      ],
      rows,
      ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    );
    const verdict = (good: boolean) => (good ? 'met' : '**NOT met**');
    const direct = (direction: Step['direction']) => rate(sizeLabel, 'direct', direction);
    const compared = (label: string, direction: Step['direction'], goal: number, via?: Step['via']) => {
      const gatewayRate = rate(sizeLabel, 'gateway', direction, via);
      const r = gatewayRate / direct(direction);
      return Number.isNaN(r)
        ? `${label} — (failed), goal ≥ ${goal}× **NOT met**`
        : `${label} **${fixed(r, 2)}×** (${fixed(gatewayRate)} vs ${fixed(direct(direction))} MiB/s), goal ≥ ${goal}× ${verdict(r >= goal)}`;
    };
    /** The gateway's CPU seconds per GiB over the successful steps of one kind, and the MiB/s one core carries at that cost. */
    const gatewayCpu = (label: string, direction: Step['direction'], via?: Step['via']) => {
      const chosen = steps.filter((s) => s.path === 'gateway' && s.direction === direction && s.via === via && ok(s));
      const seconds = chosen.reduce((a, s) => a + s.cpu.gateway, 0);
      const mib = chosen.reduce((a, s) => a + s.bytes, 0) / MiB;
      return `${label} ${fixed((seconds / mib) * 1024, 2)} s (${fixed(mib / seconds)} MiB/s per core)`;
    };
    const gatewaySteps = steps.filter((s) => s.path === 'gateway');
    const peakGatewayMiB = Math.max(...gatewaySteps.map((s) => s.gatewayPeakMiB));
    const growth = peakGatewayMiB - idleMiB;
    const lines = [
      `Gateway RSS: idle ${fixed(idleMiB)} MiB, peak during the gateway transfers ${fixed(peakGatewayMiB)} MiB ` +
        `(VmHWM ${fixed(hwmMiB)} MiB), growth **${fixed(growth)} MiB** — goal ≤ ${GROWTH_GOAL_MIB} MiB ${verdict(growth <= GROWTH_GOAL_MIB)}; ` +
        `${fixed(afterMiB)} MiB once settled after the run.`,
      `${sizeLabel} through the gateway vs direct (total bytes / total time of each path): ` +
        `${compared('raw-route upload', 'upload', GOALS.raw, 'raw')}; ${compared('multipart upload', 'upload', GOALS.multipart, 'multipart')}; ` +
        `${compared('download', 'download', GOALS.download)}.`,
      `Emulator peak RSS over the run: ${fixed(Math.max(...steps.map((s) => s.emulatorPeakMiB)))} MiB (idle ${fixed(idleEmulatorMiB)} MiB).`,
      `Gateway CPU per GiB moved, and what one core of it would carry at that cost: ${gatewayCpu('raw-route upload', 'upload', 'raw')}; ` +
        `${gatewayCpu('multipart upload', 'upload', 'multipart')}; ${gatewayCpu('download', 'download')}.`,
    ];
    console.log(`\n${table}\n\n${lines.join('\n')}`);
    for (const p of problems) console.error(`CHECK FAILED: ${p}`);

    const section = [
      SECTION,
      '',
      `\`npm run bench:transfer\` (bench/transfer.ts) moves ${sizeLabel} of generated incompressible bytes (streamed in 1 MiB`,
      'chunks, never held whole) up and down, straight to the emulator and through the gateway, in one run.',
      'Both run as child processes of the built CLI: `xnat-graphql emulator --port 0 --dataset demo` and',
      '`xnat-graphql serve --port 0 --xnat <emulator> --user admin --password admin`. Direct:',
      '`PUT /data/projects/test/resources/bench/files/direct.bin?inbody=true`, then `GET` it. Gateway: the raw',
      'route (`PUT` the bytes with their `Content-Length` to `project(id: "test") { uploadUrl(resource: "bench", name: "raw.bin") }`),',
      'and a GraphQL multipart request (`uploadFile(parent: <project test>, resource: "bench", name: "gw.bin")`,',
      "chunked), both with `graphql-preflight: 1` and Basic admin; then `GET` the multipart file's `downloadUrl`.",
      'Uploads run direct, raw, multipart, direct and downloads direct, gateway, gateway, direct, so a drift in',
      'load does not favour one path; every download is checked by size and MD5. A last upload sends the same',
      'bytes straight to the emulator as one chunked multipart part (what the gateway sends XNAT for `uploadFile`),',
      'to show what multipart parsing costs the emulator itself.',
      "Memory is the gateway child's `/proc/<pid>/status` VmRSS sampled every 50 ms; idle is its settled RSS",
      'after one small query, before any transfer. The machine is shared with other work (load average in the',
      'line below), so speeds are noisy; the ratios come from the same run. CPU seconds (user + system) of each',
      'process during the step: the client is this benchmark process (`process.cpuUsage()`), the gateway and the',
      "emulator their `/proc/<pid>/stat`; busy cores is their sum over the step's wall time (this machine has",
      `${availableParallelism()}): near that number, the step waited for CPU, not for the network or the disk.`,
      '',
      `Last run: ${environment}.`,
      '',
      table,
      '',
      ...lines.map((l) => `- ${l}`),
      ...(problems.length
        ? ['', ...problems.map((p) => `**Check failed** — ${p}`)]
        : ['', 'Every download matched its upload (size and MD5).']),
      '',
    ].join('\n');
    if (!argv.includes('--no-write')) console.log(`wrote ${await replaceSection(SECTION, section)}`);
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
  if (problems.length) process.exitCode = 1;
}

await main(process.argv.slice(2));
