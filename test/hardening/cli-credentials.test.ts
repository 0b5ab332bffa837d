import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { postGraphQL } from '../support/stack.js';
import { assertBuilt, runCli, type CliProcess } from '../support/e2e.js';

const graphqlLine = /(http:\/\/127\.0\.0\.1:\d+\/graphql)/;

describe('serve takes the password from a file or the environment, and warns about one on the command line', { timeout: 60_000 }, () => {
  let emulator: Emulator;
  let dir: string;
  const running: CliProcess[] = [];
  beforeAll(async () => {
    assertBuilt();
    emulator = await startEmulator({ port: 0, dataset: 'demo' });
    dir = await mkdtemp(join(tmpdir(), 'xnat-graphql-password-'));
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
    const process = runCli(['serve', '--port', '0', '--xnat', emulator.url, ...args], { env });
    running.push(process);
    const url = (await process.waitForLine(graphqlLine))[1]!;
    const { data } = await postGraphQL(url, '{ projects { totalCount } }', {}, null);
    return { process, projects: data.projects.totalCount as number };
  }

  it('--password-file (with its trailing newline) acts as the user, silently', async () => {
    const file = join(dir, 'admin.pw');
    await writeFile(file, 'admin\n', { mode: 0o600 });
    const { process, projects } = await serve(['--user', 'admin', '--password-file', file]);
    expect(projects).toBe(4);
    expect(process.stderr()).not.toMatch(/warning/);
  });

  it('XNAT_PASSWORD acts as the user, silently', async () => {
    const { process, projects } = await serve(['--user', 'admin'], { XNAT_PASSWORD: 'admin' });
    expect(projects).toBe(4);
    expect(process.stderr()).not.toMatch(/warning/);
  });

  it('--password works but prints a warning naming the safer ways', async () => {
    const { process, projects } = await serve(['--user', 'admin', '--password', 'admin']);
    expect(projects).toBe(4);
    expect(process.stderr()).toMatch(/warning: .*--password.*--password-file.*XNAT_PASSWORD/);
    expect(process.stderr()).not.toContain('admin');
  });

  it('refuses --password with --password-file, and an unreadable password file, in one line', async () => {
    for (const args of [
      ['--password', 'x', '--password-file', join(dir, 'admin.pw')],
      ['--password-file', join(dir, 'missing.pw')],
    ]) {
      const process = runCli(['serve', '--port', '0', '--xnat', emulator.url, '--user', 'admin', ...args]);
      running.push(process);
      expect(await process.exited(25_000)).not.toBe(0);
      expect(process.stderr().trim().split('\n')).toHaveLength(1);
      expect(process.stderr()).toMatch(/password/);
    }
  });
});
