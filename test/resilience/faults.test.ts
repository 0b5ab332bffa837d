import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { startGateway } from '../../src/server/gateway.js';
import { startStack, type Stack } from '../support/stack.js';

const PROJECTS = '{ projects { nodes { label } } }';
const codes = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.map((e) => e.extensions?.code);

describe('XNAT failures never take the gateway down', () => {
  let stack: Stack;
  let expected: string[];

  beforeAll(async () => {
    // Off: each query must reach XNAT for its injected fault to be met.
    stack = await startStack({ cache: false, upstreamTimeoutMs: 500 });
    expected = (await stack.graphql(PROJECTS)).data.projects.nodes.map((p: { label: string }) => p.label);
  });
  afterAll(() => stack.close());

  beforeEach(() => {
    stack.emulator.faults.clear();
    stack.emulator.requests.clear();
  });

  async function stillServes() {
    expect((await fetch(`${stack.gateway.url}/healthz`)).status).toBe(200);
    const again = await stack.graphql(PROJECTS);
    expect(again.errors).toBeUndefined();
    expect(again.data.projects.nodes.map((p: { label: string }) => p.label)).toEqual(expected);
  }

  const projectRequests = () => stack.emulator.requests.entries().filter((e) => e.path === '/data/projects').length;

  it.each([
    ['a 503 from the proxy', { status: 503 }],
    ['a 502 with Retry-After', { status: 502, retryAfter: 0 }],
    ['a dropped connection', { body: 'drop' as const }],
  ])('retries a read after %s and then succeeds', async (_name, fault) => {
    stack.emulator.faults.add({ path: '/data/projects', times: 1, ...fault });
    const response = await stack.graphql(PROJECTS);
    expect(response.errors).toBeUndefined();
    expect(response.data.projects.nodes.map((p: { label: string }) => p.label)).toEqual(expected);
    expect(projectRequests()).toBe(2);
    await stillServes();
  });

  it('gives up after two retries with UPSTREAM_ERROR', async () => {
    stack.emulator.faults.add({ path: '/data/projects', times: 10, status: 503 });
    const response = await stack.graphql(PROJECTS);
    expect(codes(response)).toEqual(['UPSTREAM_ERROR']);
    expect(projectRequests()).toBe(3);
    stack.emulator.faults.clear();
    await stillServes();
  });

  it('answers UPSTREAM_TIMEOUT when XNAT is slower than the upstream timeout', async () => {
    stack.emulator.faults.add({ path: '/data/projects', times: 1, delayMs: 1500 });
    expect(codes(await stack.graphql(PROJECTS))).toEqual(['UPSTREAM_TIMEOUT']);
    await stillServes();
  });

  it('logs in again once when an expired session answers with the login page', async () => {
    stack.emulator.faults.add({ path: '/data/projects', times: 1, body: 'html-login' });
    const response = await stack.graphql(PROJECTS);
    expect(response.errors).toBeUndefined();
    expect(stack.emulator.requests.entries().map((e) => e.path)).toEqual(['/data/projects', '/data/JSESSION', '/data/projects']);
    await stillServes();
  });

  it('logs in again once when XNAT answers 401 to an expired session, and retries', async () => {
    stack.emulator.faults.add({ path: '/data/projects', times: 1, status: 401 });
    const response = await stack.graphql(PROJECTS);
    expect(response.errors).toBeUndefined();
    expect(stack.emulator.requests.entries().map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /data/projects 401',
      'GET /data/JSESSION 200',
      'GET /data/projects 200',
    ]);
    await stillServes();
  });

  it('answers UPSTREAM_ERROR when the login page keeps coming, and for malformed JSON', async () => {
    stack.emulator.faults.add({ path: '/data/projects', times: 2, body: 'html-login' });
    expect(codes(await stack.graphql(PROJECTS))).toEqual(['UPSTREAM_ERROR']);
    stack.emulator.faults.add({ path: '/data/projects', times: 1, body: 'malformed-json' });
    expect(codes(await stack.graphql(PROJECTS))).toEqual(['UPSTREAM_ERROR']);
    await stillServes();
  });

  it("delivers the rest of the tree when one session's scans fail, pointing the error at the failed field", async () => {
    stack.emulator.faults.add({ path: /^\/data\/experiments\/[^/]+\/scans\/ALL\/files$/, times: 100, status: 500 });
    const response = await stack.graphql(`{ project(id: "test") { subjects { nodes { label experiments { nodes { label
      scans { nodes { label resources { nodes { label files { nodes { name } } } } } } } } } } } }`);
    expect(response.data.project.subjects.nodes.length).toBeGreaterThan(0);
    expect(response.data.project.subjects.nodes[0].experiments.nodes[0].label).toMatch(/MR/);
    expect(response.errors?.length).toBeGreaterThan(0);
    for (const error of response.errors ?? []) {
      expect(error.extensions?.code).toBe('UPSTREAM_ERROR');
      expect(error.path).toContain('scans');
    }
    stack.emulator.faults.clear();
    await stillServes();
  });

  it('keeps serving when XNAT is down entirely', async () => {
    const emulator = await startEmulator({ port: 0, dataset: 'empty' });
    const gateway = await startGateway({
      xnatUrl: emulator.url,
      port: 0,
      credentials: { user: 'admin', password: 'admin' },
      upstreamTimeoutMs: 1000,
    });
    try {
      await emulator.close();
      const response = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: PROJECTS }),
      });
      const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      expect(codes(body)).toEqual(['UPSTREAM_ERROR']);
      expect(body.errors?.[0]?.message).not.toContain('admin');
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});
