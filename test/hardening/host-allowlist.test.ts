import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startStack, type Stack } from '../support/stack.js';
import { assertBuilt, runCli, type CliProcess } from '../support/e2e.js';

/** A GraphQL POST with a Host header of our choosing (fetch may not set one), without credentials. */
function postWithHost(url: string, host: string, path = '/graphql'): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const body = JSON.stringify({
    query: '{ projects { totalCount } project(id: "test") { resource(label: "protocols") { downloadUrl } } }',
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: path === '/graphql' ? 'POST' : 'GET',
        headers: { host, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (chunk: string) => (text += chunk))
          .on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(path === '/graphql' ? body : undefined);
  });
}

describe('Host allowlist (DNS rebinding)', () => {
  let stack: Stack;
  let adminProjects: number;
  beforeAll(async () => {
    // The XNAT release is configured, so the gateway asks XNAT nothing in the background and every
    // request the emulator sees was caused by the request under test.
    stack = await startStack({
      gateway: { credentials: ADMIN, publicUrl: 'https://gw.example.org', allowedHosts: ['intranet.lab'], xnatVersion: '1.8.10' },
    });
    adminProjects = (await stack.graphql('{ projects { totalCount } }', {}, ADMIN)).data.projects.totalCount;
  });
  afterAll(() => stack?.close());

  it.each(['rebound.attacker.example', 'rebound.attacker.example:4000', '10.1.2.3', 'gw.example.org.evil'])(
    'refuses Host %j with 421 before asking XNAT anything',
    async (host) => {
      stack.emulator.requests.clear();
      const response = await postWithHost(stack.gateway.url, host);
      expect(response.status).toBe(421);
      expect(JSON.parse(response.body).errors[0].extensions.code).toBe('FORBIDDEN');
      expect(stack.emulator.requests.count()).toBe(0);
    },
  );

  it.each(['localhost', `localhost:4000`, '127.0.0.1:4000', '[::1]:4000', 'gw.example.org', 'INTRANET.lab:8443'])(
    'serves Host %j, with downloadUrl on the public URL',
    async (host) => {
      const response = await postWithHost(stack.gateway.url, host);
      expect(response.status).toBe(200);
      const { data } = JSON.parse(response.body);
      // Served as the default user: admin's projects, not what an anonymous caller sees.
      expect(data.projects.totalCount).toBe(adminProjects);
      expect(data.project.resource.downloadUrl).toMatch(/^https:\/\/gw\.example\.org\/download\//);
    },
  );

  it('answers /healthz and /readyz whatever the Host (platform probes)', async () => {
    expect((await postWithHost(stack.gateway.url, '10.1.2.3', '/healthz')).status).toBe(200);
    expect((await postWithHost(stack.gateway.url, '10.1.2.3', '/readyz')).status).toBe(200);
  });
});

describe('serve with a default user', { timeout: 60_000 }, () => {
  const running: CliProcess[] = [];
  beforeAll(() => assertBuilt());
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
  });

  it('refuses a non-loopback --host unless told to expose the default user', async () => {
    const process = runCli(['serve', '--port', '0', '--host', '0.0.0.0']);
    running.push(process);
    expect(await process.exited(25_000)).not.toBe(0);
    const lines = process.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/--expose-default-user/);
  });

  it('on loopback says whom callers without credentials act as, without a warning', async () => {
    const process = runCli(['serve', '--port', '0']);
    running.push(process);
    await process.waitForLine(/Default user: requests without credentials .* act as XNAT user admin \(listening on loopback only\)/);
    expect(process.stderr()).not.toMatch(/warning/);
  });

  it('exposed beyond loopback, warns that anyone reaching it acts as that user', async () => {
    const process = runCli(['serve', '--port', '0', '--host', '0.0.0.0', '--expose-default-user']);
    running.push(process);
    await process.waitForLine(/xnat-graphql ready/);
    for (let i = 0; i < 50 && !/warning/.test(process.stderr()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(process.stderr()).toMatch(
      /warning: requests without credentials .* act as XNAT user admin, for anyone who can reach 0\.0\.0\.0/,
    );
  });
});
