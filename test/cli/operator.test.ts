import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { postGraphQL } from '../support/stack.js';
import { assertBuilt, repoRoot, runCli, xnatProjectCount, type CliProcess } from '../support/e2e.js';
import { selfSignedCertificate, startProxy } from '../support/proxy.js';

/** What an operator meets first: the version, the help, and the environment a container sets. */

const running = new Set<CliProcess>();
function cli(args: string[], env?: NodeJS.ProcessEnv): CliProcess {
  const started = runCli(args, env ? { env } : {});
  running.add(started);
  return started;
}
afterAll(async () => {
  await Promise.all([...running].map((p) => p.stop()));
});

const graphqlLine = /(http:\/\/127\.0\.0\.1:(\d+)\/graphql)\b/;

describe('xnat-graphql for operators', { timeout: 60_000 }, () => {
  let emulator: Emulator;
  beforeAll(async () => {
    assertBuilt();
    emulator = await startEmulator({ port: 0, dataset: 'demo' });
  });
  afterAll(() => emulator?.close());

  it('--version prints the package version and exits 0', async () => {
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const process = cli(['--version']);
    expect(await process.exited(20_000)).toBe(0);
    expect(process.stdout().trim()).toBe(version);
  });

  it('serve --help shows defaults, every environment variable and an example', async () => {
    const process = cli(['serve', '--help']);
    expect(await process.exited(20_000)).toBe(0);
    const text = process.stdout().replace(/\s+/g, ' ');
    expect(text).toMatch(/--port <n>.*env PORT; default 4000/);
    expect(text).toMatch(/--host <host>.*env HOST; default 127\.0\.0\.1/);
    for (const name of ['XNAT_URL', 'XNAT_USER', 'XNAT_PASSWORD', 'XNAT_GRAPHQL_CACHE_SECRET', 'LOG_LEVEL', 'OTEL_EXPORTER_OTLP_ENDPOINT'])
      expect(text).toContain(name);
    expect(text).toMatch(/Examples: xnat-graphql serve/);
    const emulatorHelp = cli(['emulator', '--help']);
    expect(await emulatorHelp.exited(20_000)).toBe(0);
    expect(emulatorHelp.stdout()).toMatch(/Examples:\n\s+xnat-graphql emulator/);
  });

  it('PORT and HOST configure where serve listens; --port wins over PORT', async () => {
    const fromEnv = cli(['serve'], { PORT: '0', HOST: '127.0.0.1', XNAT_URL: emulator.url, XNAT_USER: 'admin', XNAT_PASSWORD: 'admin' });
    const url = (await fromEnv.waitForLine(graphqlLine))[1]!;
    const answer = await postGraphQL<{ projects: { totalCount: number } }>(url, '{ projects { totalCount } }', {}, null);
    expect(answer.data?.projects.totalCount).toBe(4);
    await fromEnv.stop();

    const flagWins = cli(['serve', '--port', '0'], { PORT: 'not-a-port', XNAT_URL: emulator.url });
    expect(Number((await flagWins.waitForLine(graphqlLine))[2])).toBeGreaterThan(0);
    await flagWins.stop();

    const badEnv = cli(['serve'], { PORT: 'not-a-port', XNAT_URL: emulator.url });
    expect(await badEnv.exited(20_000)).not.toBe(0);
    expect(badEnv.stderr()).toMatch(/invalid port/);
  });

  /** A loopback port nothing listens on. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it('an unreachable cache store stops serve within seconds, naming it', async () => {
    const port = await closedPort();
    const process = cli(['serve', '--port', '0', '--xnat', emulator.url, '--cache', `redis://127.0.0.1:${port}`]);
    const code = await process.exited(40_000);
    expect(code).not.toBe(0);
    expect(process.stderr()).toContain(`cannot reach the cache store redis://127.0.0.1:${port}`);
    expect(process.stdout()).not.toMatch(graphqlLine);
  });

  it('an unreachable or non-XNAT --xnat starts anyway with a warning naming the problem; /readyz is 503', async () => {
    const port = await closedPort();
    const unreachable = cli(['serve', '--port', '0', '--xnat', `http://127.0.0.1:${port}`]);
    const url = (await unreachable.waitForLine(graphqlLine))[1]!;
    await expect
      .poll(() => unreachable.stderr(), { timeout: 20_000 })
      .toMatch(new RegExp(`warning: XNAT at http://127\\.0\\.0\\.1:${port} is not usable: .*ECONNREFUSED`));
    expect((await fetch(url.replace(/graphql$/, 'readyz'))).status).toBe(503);
    await unreachable.stop();

    const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>a web site</html>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const website = cli(['serve', '--port', '0', '--xnat', `http://127.0.0.1:${(other.address() as AddressInfo).port}`]);
      const otherUrl = (await website.waitForLine(graphqlLine))[1]!;
      await expect
        .poll(() => website.stderr(), { timeout: 20_000 })
        .toMatch(/warning: XNAT at .* is not usable: the server does not look like XNAT/);
      expect((await fetch(otherUrl.replace(/graphql$/, 'readyz'))).status).toBe(503);
      await website.stop();
    } finally {
      other.close();
    }

    const fine = cli(['serve', '--port', '0', '--xnat', emulator.url]);
    await fine.waitForLine(graphqlLine);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await fine.stop();
    expect(fine.stderr()).not.toMatch(/warning/);
  });

  it('logs JSON with ISO times and the request id of each request (echoed to the client)', async () => {
    const process = cli(['serve', '--port', '0', '--xnat', emulator.url, '--user', 'admin', '--password', 'admin'], {
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    });
    const url = (await process.waitForLine(graphqlLine))[1]!;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-42' },
      body: JSON.stringify({ query: 'query Count { projects { totalCount } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('trace-me-42');
    await response.arrayBuffer();
    await expect.poll(() => process.stderr(), { timeout: 10_000 }).toContain('trace-me-42');
    const line = process
      .stderr()
      .split('\n')
      .find((l) => l.includes('trace-me-42'))!;
    const entry = JSON.parse(line) as { requestId: string; time: string; operation: string };
    expect(entry).toMatchObject({ requestId: 'trace-me-42', operation: 'Count' });
    expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    await process.stop();

    const pretty = cli(['serve', '--port', '0', '--xnat', emulator.url], { LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    const prettyUrl = (await pretty.waitForLine(graphqlLine))[1]!;
    await (
      await fetch(prettyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'pretty-7' },
        body: JSON.stringify({ query: '{ __typename }' }),
      })
    ).arrayBuffer();
    await expect.poll(() => pretty.stderr(), { timeout: 10_000 }).toContain('pretty-7');
    const prettyLine = pretty
      .stderr()
      .split('\n')
      .find((l) => l.includes('graphql operation'))!;
    expect(prettyLine.trim().startsWith('{')).toBe(false);
    await pretty.stop();
  });

  it('serves an HTTPS XNAT with a self-signed certificate given by --ca-file; --insecure warns loudly', async () => {
    const tls = await selfSignedCertificate();
    const proxy = await startProxy(emulator.url, tls);
    const dir = await mkdtemp(join(tmpdir(), 'xnat-graphql-ca-'));
    try {
      const caFile = join(dir, 'xnat.pem');
      await writeFile(caFile, tls.cert);
      const trusted = cli(['serve', '--port', '0', '--xnat', proxy.url, '--ca-file', caFile, '--user', 'admin', '--password', 'admin']);
      const url = (await trusted.waitForLine(graphqlLine))[1]!;
      expect(
        (await postGraphQL<{ projects: { totalCount: number } }>(url, '{ projects { totalCount } }', {}, null)).data?.projects.totalCount,
      ).toBe(await xnatProjectCount(emulator.url));
      await trusted.stop();

      const insecure = cli(['serve', '--port', '0', '--xnat', proxy.url, '--insecure']);
      await insecure.waitForLine(graphqlLine);
      expect(insecure.stderr()).toMatch(/warning: --insecure: XNAT's TLS certificate is NOT checked/);
      await insecure.stop();
    } finally {
      await proxy.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
