import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGateway, type Gateway } from '../../src/server/gateway.js';
import { cacheSuite } from './cache-suite.js';
import { basic, type Credentials, ADMIN, GUEST } from '../support/stack.js';

const binary = '/usr/bin/redis-server';
// On CI redis-server is installed (.ci/run), so a missing binary there is a failure, not a skip.
const run = existsSync(binary) || process.env.CI ? describe : describe.skip;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { url: `redis://127.0.0.1:${port}`, process: child };
}

run('cross-request cache in Redis', () => {
  let redis: { url: string; process: ChildProcess };
  beforeAll(async () => {
    redis = await startRedis();
  }, 20_000);
  afterAll(() => {
    redis?.process.kill('SIGTERM');
  });

  describe('the same behaviour as the in-process store', () => {
    cacheSuite(() => ({ cacheUrl: redis.url }));
  });

  it('steps aside when Redis goes away: queries are answered by XNAT', async () => {
    const own = await startRedis();
    const emulator = await startEmulator({ port: 0 });
    const gateway = await startGateway({
      xnatUrl: emulator.url,
      port: 0,
      cacheTtlMs: 60_000,
      cacheUrl: own.url,
      logger: (await import('pino')).pino({ level: 'silent' }),
    });
    try {
      const ask = async () => {
        const response = await fetch(gateway.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basic(ADMIN) },
          body: JSON.stringify({ query: '{ projects { totalCount } }' }),
        });
        return (await response.json()) as { data?: { projects: { totalCount: number } }; errors?: unknown[] };
      };
      expect((await ask()).data?.projects.totalCount).toBeGreaterThan(0);
      own.process.kill('SIGKILL');
      await new Promise((r) => own.process.once('exit', r));
      emulator.requests.clear();
      const answer = await ask();
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.projects.totalCount).toBeGreaterThan(0);
      expect(emulator.requests.entries().filter((e) => e.path === '/data/projects').length).toBe(1);
    } finally {
      await gateway.close();
      await emulator.close();
    }
  }, 20_000);

  describe('shared between two gateway replicas', () => {
    let emulator: Emulator;
    let a: Gateway;
    let b: Gateway;
    beforeAll(async () => {
      process.env.XNAT_GRAPHQL_CACHE_SECRET = 'replicas-share-this-secret';
      emulator = await startEmulator({ port: 0 });
      a = await startGateway({ xnatUrl: emulator.url, port: 0, cacheTtlMs: 60_000, cacheUrl: redis.url });
      b = await startGateway({ xnatUrl: emulator.url, port: 0, cacheTtlMs: 60_000, cacheUrl: redis.url });
    });
    afterAll(async () => {
      delete process.env.XNAT_GRAPHQL_CACHE_SECRET;
      await a?.close();
      await b?.close();
      await emulator?.close();
    });

    async function measure(gateway: Gateway, query: string, auth: Credentials, variables: Record<string, unknown> = {}) {
      emulator.requests.clear();
      const response = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(auth) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data: any; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return {
        data: body.data,
        xnatRequests: emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION' && e.method === 'GET').length,
      };
    }

    const QUERY = `{ project(id: "test") { id resources { nodes { label } } stats { sessionCount } } }`;

    it('one replica answers from what the other fetched, and a write through one hides it on both, whole answers included', async () => {
      const cold = await measure(a, QUERY, GUEST);
      expect(cold.xnatRequests).toBeGreaterThan(0);
      expect((await measure(b, QUERY, GUEST)).xnatRequests).toBe(0);
      // Replica a now holds the whole answer in its own process; the shared generation still hides it.
      expect((await measure(a, QUERY, GUEST)).xnatRequests).toBe(0);
      const created = await measure(b, `mutation($p: ID!) { createResource(parent: $p, label: "replica_probe") { label } }`, ADMIN, {
        p: cold.data.project.id,
      });
      expect(created.data.createResource.label).toBe('replica_probe');
      const after = await measure(a, QUERY, GUEST);
      expect(after.xnatRequests).toBeGreaterThan(0);
      expect(after.data.project.resources.nodes.map((r: { label: string }) => r.label)).toContain('replica_probe');
    });
  });
});
