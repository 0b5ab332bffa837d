import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/stack.js';
import { assertBuilt, repoRoot, runCli, xnatProjectCount, type CliProcess } from '../support/e2e.js';

const run = promisify(execFile);

/**
 * What an operator gets from `npm pack`: the tarball installs into an empty folder from the
 * registry like any package, and its CLI runs there without anything of the repository.
 */
describe('the packed package', () => {
  let dir: string;
  let app: string;
  let files: string[];
  let installLog: string;
  const running: CliProcess[] = [];
  beforeAll(async () => {
    assertBuilt();
    dir = await mkdtemp(join(tmpdir(), 'xnat-graphql-pack-'));
    // The suite has just built dist/; packing need not build again.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    files = info!.files.map((f) => f.path);
    app = join(dir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'operator-site', private: true }));
    const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, info!.filename)], {
      cwd: app,
      timeout: 240_000,
    });
    installLog = installed.stdout + installed.stderr;
  }, 250_000);
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('holds the built CLI and what it reads at run time, not the sources or tests', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/xnat-graphql.js',
        'dist/cli.js',
        'dist/server/gateway.js',
        'dist/emulator/index.js',
        'examples/dashboard/index.html',
        'package.json',
        'README.md',
      ]),
    );
    expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
    expect(installLog).not.toMatch(/ERR!/);
  });

  it('npx xnat-graphql --version answers the packed version', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const { stdout } = await run('npx', ['--no-install', 'xnat-graphql', '--version'], { cwd: app, timeout: 60_000 });
    expect(stdout.trim()).toBe(version);
  });

  it('serves GraphQL over its embedded emulator from the install folder', async () => {
    // The installed bin itself (what npx runs), spawned directly so that stopping it stops node.
    const cli = runCli(['serve', '--port', '0'], { entry: join(app, 'node_modules', 'xnat-graphql', 'bin', 'xnat-graphql.js'), cwd: app });
    running.push(cli);
    const url = (await cli.waitForLine(/GraphQL and GraphiQL at (http:\/\/\S+\/graphql)/))[1]!;
    const emulator = /Embedded XNAT emulator \(demo dataset\) at (http:\/\/\S+)\/data/.exec(cli.stdout())![1]!;
    const answer = await postGraphQL<{ projects: { totalCount: number } }>(url, '{ projects { totalCount } }', {}, null);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.projects.totalCount).toBe(await xnatProjectCount(emulator));
  });
});
