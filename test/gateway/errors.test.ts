import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basic, startStack, type Stack } from '../support/stack.js';

/** XNAT failures reach GraphQL clients as contract error codes, on the fields that needed XNAT. */
describe('error mapping', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Off: each query must reach XNAT for its injected fault to be met.
    stack = await startStack({ cache: false, upstreamTimeoutMs: 500 });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => {
    stack.emulator.faults.clear();
    stack.emulator.requests.clear();
  });

  const codes = (response: { errors?: { extensions?: { code?: string } }[] }) => response.errors?.map((e) => e.extensions?.code);

  it('UNAUTHENTICATED when XNAT refuses the credentials, without echoing them', async () => {
    const response = await stack.graphql('{ projects { totalCount } }', {}, { user: 'admin', password: 'wrong-secret' });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(response)).not.toContain('wrong-secret');
    const anonymous = await stack.graphql('{ projects { totalCount } }', {}, null);
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('UPSTREAM_ERROR for XNAT 5xx, an HTML login page instead of JSON, and malformed JSON', async () => {
    for (const fault of [{ status: 500 }, { status: 200, body: 'html-login' as const }, { status: 200, body: 'malformed-json' as const }]) {
      stack.emulator.faults.add({ path: '/data/projects', times: 10, ...fault });
      const response = await stack.graphql('{ projects { totalCount } }');
      expect(codes(response), JSON.stringify(fault)).toEqual(['UPSTREAM_ERROR']);
      expect(response.data?.projects ?? null).toBeNull();
    }
  });

  it('UPSTREAM_TIMEOUT when XNAT answers later than the upstream timeout', async () => {
    stack.emulator.faults.add({ path: '/data/projects', delayMs: 1500, times: 10 });
    const started = Date.now();
    const response = await stack.graphql('{ projects { totalCount } }');
    expect(codes(response)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('fails only the fields that needed the failing request', async () => {
    stack.emulator.faults.add({ path: /^\/data\/experiments\/[^/]+\/scans\/ALL\/files$/, status: 503, times: 100 });
    const response = await stack.graphql(
      '{ project(id: "test") { label subjects { totalCount } experiments { nodes { scans { nodes { resources { nodes { label files { totalCount } } } } } } } } }',
    );
    expect(response.data.project.label).toBe('test');
    expect(response.data.project.subjects.totalCount).toBeGreaterThan(0);
    expect(new Set(codes(response))).toEqual(new Set(['UPSTREAM_ERROR']));
    for (const error of response.errors!) expect(error.path?.at(-1)).toBe('resources');
  });

  it('BAD_USER_INPUT for malformed ids and path-changing names, before any XNAT request', async () => {
    const malformed = await stack.graphql('{ node(id: "definitely-not-an-id") { id } }');
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
    const forged = Buffer.from(JSON.stringify(['R', ['P', '..'], 'x'])).toString('base64url');
    expect(codes(await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: forged }))).toEqual(['BAD_USER_INPUT']);
    expect(stack.emulator.requests.count()).toBe(0);

    const project = await stack.graphql('{ project(id: "test") { id } }');
    stack.emulator.requests.clear();
    const dotdot = await stack.graphql('mutation ($p: ID!) { createResource(parent: $p, label: "..") { id } }', {
      p: project.data.project.id,
    });
    expect(codes(dotdot)).toEqual(['BAD_USER_INPUT']);
    expect(stack.emulator.requests.count()).toBe(0);
  });

  it('FORBIDDEN when XNAT refuses a write to a user who may only read', async () => {
    const project = await stack.graphql('{ project(id: "test") { id } }', {}, { user: 'guest', password: 'guest' });
    const response = await stack.graphql(
      'mutation ($p: ID!) { createResource(parent: $p, label: "guest_notes") { id } }',
      { p: project.data.project.id },
      { user: 'guest', password: 'guest' },
    );
    // guest reads project test, so XNAT answers 403, not the 404 of a project it cannot see.
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });

  it('serves downloads only with credentials XNAT accepts', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: "2") { resource(label: "nifti") { downloadUrl } } } } } }',
    );
    const url = data.project.subject.experiment.scan.resource.downloadUrl;
    expect((await fetch(url, { headers: { authorization: basic({ user: 'admin', password: 'bad' }) } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: basic({ user: 'admin', password: 'admin' }) } });
    expect(ok.status).toBe(200);
    expect(
      Buffer.from(await ok.arrayBuffer())
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('PK');
  });
});
