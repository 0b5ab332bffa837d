import { createServer, type Server } from 'node:net';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ADMIN, basic, multipartRequest, postGraphQL } from '../support/stack.js';
import { assertBuilt, runCli, type CliProcess } from '../support/e2e.js';

/** The CLI as users run it: `node bin/xnat-graphql.js …` in a child process, over real sockets. */

const running = new Set<CliProcess>();
function cli(args: string[], env?: NodeJS.ProcessEnv): CliProcess {
  const started = runCli(args, env ? { env } : {});
  running.add(started);
  void started.exited(600_000).then(
    () => running.delete(started),
    () => {},
  );
  return started;
}

afterAll(async () => {
  await Promise.all([...running].map((p) => p.stop()));
});

const graphqlLine = /^.*(http:\/\/127\.0\.0\.1:(\d+)\/graphql)\b.*$/m;

/** Starts `serve` and returns its GraphQL URL. */
async function serve(args: string[], env?: NodeJS.ProcessEnv): Promise<{ process: CliProcess; graphqlUrl: string; origin: string }> {
  const process = cli(['serve', '--port', '0', ...args], env);
  const match = await process.waitForLine(graphqlLine);
  const graphqlUrl = match[1]!;
  expect(Number(match[2])).toBeGreaterThan(0);
  return { process, graphqlUrl, origin: graphqlUrl.replace(/\/graphql$/, '') };
}

/** Project labels the gateway returns for a request without an Authorization header (configured credentials). */
async function projectLabels(graphqlUrl: string): Promise<string[]> {
  const response = await postGraphQL<{ projects: { nodes: { label: string }[] } }>(
    graphqlUrl,
    '{ projects { nodes { label } } }',
    {},
    null,
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.projects.nodes.map((p) => p.label).sort();
}

/**
 * Asserts a failed start: a non-zero exit soon after the one line on stderr. The machine running
 * the suite may be busy, so the deadline for the whole start is generous; the reason-to-exit gap is not.
 */
async function expectOneLineFailure(process: CliProcess, reason: RegExp): Promise<string> {
  const code = await process.exited(25_000);
  const exitedAt = Date.now();
  expect(code, `stderr: ${process.stderr()}`).not.toBe(0);
  expect(typeof code).toBe('number');
  const lines = process
    .stderr()
    .split('\n')
    .filter((line) => line.trim() !== '');
  expect(lines, process.stderr()).toHaveLength(1);
  expect(lines[0]).toMatch(reason);
  expect(exitedAt - process.stderrAt()!).toBeLessThan(5_000);
  return lines[0]!;
}

// Child processes start slowly on a busy two-core CI machine; these deadlines only catch hangs.
describe('xnat-graphql serve', { timeout: 60_000 }, () => {
  let emulator: Emulator;
  let dir: string;
  beforeAll(async () => {
    assertBuilt();
    emulator = await startEmulator({ port: 0, dataset: 'demo' });
    dir = await mkdtemp(join(tmpdir(), 'xnat-graphql-cli-'));
  });
  afterAll(async () => {
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function configFile(name: string, content: unknown): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  /** The XNAT users the emulator saw since the last clear. */
  function xnatUsers(): Set<string | null> {
    return new Set(emulator.requests.entries().map((e) => e.user));
  }

  it('with no XNAT, serves the embedded demo: one GraphQL URL line, ≥3 projects, /healthz, /metrics', async () => {
    const { process, graphqlUrl, origin } = await serve([]);
    const urlLines = process
      .stdout()
      .split('\n')
      .filter((line) => /https?:\/\//.test(line));
    expect(urlLines.filter((line) => line.includes('/graphql'))).toHaveLength(1);
    for (const line of urlLines) {
      if (line.includes(graphqlUrl)) continue;
      for (const url of line.match(/https?:\/\/\S+/g) ?? []) expect(url.replace(/[.,;)]+$/, '')).not.toMatch(/\/graphql\/?$/);
    }

    const labels = await projectLabels(graphqlUrl);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(labels).toContain('test');
    // Default credentials are admin/admin, so the private project is visible.
    expect(labels).toContain('PRIV_ONC');

    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    await health.arrayBuffer();

    const metrics = await fetch(`${origin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^# TYPE xnat_upstream_requests_total counter$/m);
    expect(text).toMatch(/^xnat_upstream_requests_total\{.*\} [1-9]\d*$/m);

    // SIGTERM (what a service manager sends) ends it cleanly, embedded emulator included.
    process.child.kill('SIGTERM');
    expect(await process.exited(20_000)).toBe(0);
  });

  it('--config FILE in pyxnat format points the gateway at that XNAT with those credentials', async () => {
    // As pyxnat's Interface.save_config writes it: "verify" rides along, and a trailing slash is common.
    const path = await configFile('admin.cfg', { server: `${emulator.url}/`, user: 'admin', password: 'admin', verify: true });
    emulator.requests.clear();
    const { process, graphqlUrl } = await serve(['--config', path]);
    expect(process.stdout()).not.toMatch(/emulator/i);
    expect(await projectLabels(graphqlUrl)).toEqual(['ADNI_DEMO', 'PRIV_ONC', 'PROT_NEURO', 'test']);
    expect(emulator.requests.count()).toBeGreaterThan(0);
    expect(xnatUsers()).toEqual(new Set(['admin']));
    await process.stop();
  });

  it('XNAT_URL, XNAT_USER and XNAT_PASSWORD configure it from the environment', async () => {
    emulator.requests.clear();
    const { process, graphqlUrl } = await serve([], { XNAT_URL: emulator.url, XNAT_USER: 'guest', XNAT_PASSWORD: 'guest' });
    // Public projects, and the protected one listed (its data stays unreadable to guest).
    expect(await projectLabels(graphqlUrl)).toEqual(['ADNI_DEMO', 'PROT_NEURO', 'test']);
    expect(xnatUsers()).toEqual(new Set(['guest']));
    await process.stop();
  });

  it('flags win over env, env wins over the config file', async () => {
    // File: unreachable XNAT as guest. Env: the emulator as guest. Flags: admin → admin at the emulator.
    const file = await configFile('guest.cfg', { server: 'http://127.0.0.1:9', user: 'guest', password: 'guest' });
    emulator.requests.clear();
    const flagsWin = await serve(['--config', file, '--user', 'admin', '--password', 'admin'], {
      XNAT_URL: emulator.url,
      XNAT_USER: 'guest',
      XNAT_PASSWORD: 'guest',
    });
    expect(await projectLabels(flagsWin.graphqlUrl)).toContain('PRIV_ONC');
    expect(xnatUsers()).toEqual(new Set(['admin']));
    await flagsWin.process.stop();

    // File: the emulator as admin. Env: guest → guest (the private project is hidden).
    const adminFile = await configFile('admin2.cfg', { server: emulator.url, user: 'admin', password: 'admin' });
    emulator.requests.clear();
    const envWins = await serve(['--config', adminFile], { XNAT_USER: 'guest', XNAT_PASSWORD: 'guest' });
    expect(await projectLabels(envWins.graphqlUrl)).toEqual(['ADNI_DEMO', 'PROT_NEURO', 'test']);
    expect(xnatUsers()).toEqual(new Set(['guest']));
    await envWins.process.stop();

    // --xnat beats XNAT_URL: env names an unreachable XNAT, the flag the emulator.
    emulator.requests.clear();
    const xnatFlag = await serve(['--xnat', emulator.url, '--user', 'admin', '--password', 'admin'], { XNAT_URL: 'http://127.0.0.1:9' });
    expect(await projectLabels(xnatFlag.graphqlUrl)).toContain('PRIV_ONC');
    expect(emulator.requests.count()).toBeGreaterThan(0);
    await xnatFlag.process.stop();
  });

  it('the caller’s Basic credentials win over the configured ones; --max-upload-bytes bounds uploads', async () => {
    const { process, graphqlUrl } = await serve([
      '--xnat',
      emulator.url,
      '--user',
      'admin',
      '--password',
      'admin',
      '--max-upload-bytes',
      '16',
    ]);
    const asGuest = await postGraphQL(graphqlUrl, '{ projects { nodes { label } } }', {}, { user: 'guest', password: 'guest' });
    expect(asGuest.data.projects.nodes.map((p: { label: string }) => p.label).sort()).toEqual(['ADNI_DEMO', 'PROT_NEURO', 'test']);

    const { data } = await postGraphQL(graphqlUrl, '{ project(id: "test") { id } }');
    const upload = (bytes: string, name: string) =>
      multipartRequest(
        graphqlUrl,
        {
          query:
            'mutation ($p: ID!, $f: Upload!, $n: String) { uploadFile(parent: $p, resource: "cli_limit", file: $f, name: $n) { size } }',
          variables: { p: data.project.id, f: null, n: name },
        },
        { '0': ['variables.f'] },
        [{ field: '0', bytes, filename: name }],
      );
    expect((await upload('sixteen bytes!!!', 'fits.txt')).data?.uploadFile).toEqual({ size: 16 });
    const refused = await upload('seventeen bytes!!', 'over.txt');
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    await process.stop();
  });

  // Each of these processes ends by itself, so they can run side by side.
  describe.concurrent('refuses to start, with one line on stderr and a non-zero exit', { timeout: 60_000 }, () => {
    it('on an unknown flag', async () => {
      await expectOneLineFailure(cli(['serve', '--port', '0', '--no-such-flag']), /--no-such-flag/);
    });

    it('on --port abc', async () => {
      await expectOneLineFailure(cli(['serve', '--port', 'abc']), /port/i);
    });

    it('on an unreadable config file', async () => {
      const missing = join(dir, 'does-not-exist.cfg');
      await expectOneLineFailure(cli(['serve', '--port', '0', '--config', missing]), /config/i);
      const locked = await configFile('locked.cfg', { server: emulator.url });
      await chmod(locked, 0o000);
      // root reads anything; the check only means something for other users.
      if (process.getuid?.() !== 0) await expectOneLineFailure(cli(['serve', '--port', '0', '--config', locked]), /config/i);
      const directory = await expectOneLineFailure(cli(['serve', '--port', '0', '--config', dir]), /config/i);
      expect(directory).toContain(dir);
    });

    it('on a config file that is not JSON', async () => {
      const path = await configFile('broken.cfg', '{"server": "http://x", ');
      await expectOneLineFailure(cli(['serve', '--port', '0', '--config', path]), /JSON/);
    });

    it('on a config file with the wrong shape', async () => {
      const path = await configFile('shape.cfg', { server: 42 });
      await expectOneLineFailure(cli(['serve', '--port', '0', '--config', path]), /config/i);
    });

    it('on a user without a password, and on an XNAT URL that is not http(s)', async () => {
      await expectOneLineFailure(cli(['serve', '--port', '0', '--user', 'admin']), /password/i);
      await expectOneLineFailure(cli(['serve', '--port', '0', '--xnat', 'ftp://example.org']), /xnat|url/i);
    });

    it('when the port is in use', async () => {
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = String((blocker.address() as { port: number }).port);
      try {
        const withXnat = await expectOneLineFailure(cli(['serve', '--port', port, '--xnat', emulator.url]), /in use/i);
        expect(withXnat).toContain(port);
        // Also when the embedded emulator was already started.
        await expectOneLineFailure(cli(['serve', '--port', port]), /in use/i);
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }
    });
  });
});

describe('xnat-graphql emulator', { timeout: 60_000 }, () => {
  beforeAll(() => assertBuilt());

  it('--port 0 --dataset empty prints its URL and answers XNAT REST with admin:admin', async () => {
    const process = cli(['emulator', '--port', '0', '--dataset', 'empty']);
    const match = await process.waitForLine(/(http:\/\/127\.0\.0\.1:(\d+))(?![\d/])/);
    const url = match[1]!;
    expect(Number(match[2])).toBeGreaterThan(0);

    const response = await fetch(`${url}/data/projects?format=json`, { headers: { authorization: basic(ADMIN) } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ResultSet: { Result: unknown[] } };
    expect(body.ResultSet.Result).toEqual([]);

    const anonymous = await fetch(`${url}/data/projects?format=json`);
    expect(anonymous.status).toBe(401);
    await anonymous.arrayBuffer();
    await process.stop();
  });

  it.concurrent('--dataset nope fails with one line', async () => {
    await expectOneLineFailure(cli(['emulator', '--port', '0', '--dataset', 'nope']), /dataset/i);
  });
});
