import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { assertBuilt, postGraphQL, repoRoot, runCli, type CliProcess } from '../support/e2e.js';

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
  beforeAll(() => assertBuilt());
  let emulator: Emulator;
  beforeAll(async () => {
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
    for (const name of ['XNAT_URL', 'XNAT_USER', 'XNAT_PASSWORD', 'XNAT_GRAPHQL_CACHE_SECRET', 'LOG_LEVEL', 'OTEL_EXPORTER_OTLP_ENDPOINT']) expect(text).toContain(name);
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
});
