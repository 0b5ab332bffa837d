import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, resolveGatewayConfig } from '../../src/config/gateway-config.js';
import { startEmulator } from '../../src/emulator/index.js';
import { startGateway } from '../../src/server/gateway.js';
import { ADMIN, basic, startStack, uploadRequest, type Stack } from '../support/stack.js';

const CONTRACT = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_ERROR',
  'QUERY_TOO_COMPLEX',
  'INTERNAL_SERVER_ERROR',
];

describe('every error a client meets carries a contract code', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  async function post(body: unknown) {
    const response = await fetch(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: basic(ADMIN) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
  }

  it.each([
    ['a syntax error', { query: '{ projects {' }, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
  ])('%s gets the code GraphQL tooling expects', async (_name, body, code) => {
    const { status, body: answer } = await post(body);
    expect(status).toBe(400);
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  });

  it.each([
    ['a missing variable', { query: 'query ($id: ID!) { node(id: $id) { id } }', variables: {} }],
    ['no query at all', {}],
    [
      'a JSON batch, which would multiply the query limits',
      [{ query: '{ projects { totalCount } }' }, { query: '{ projects { totalCount } }' }],
    ],
  ])('%s is BAD_USER_INPUT', async (_name, body) => {
    const { status, body: answer } = await post(body);
    expect(status).toBe(400);
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('keeps batched operations for multipart uploads, as the multipart request spec allows', async () => {
    const { data } = await stack.graphql('{ project(id: "test") { id } }');
    const form = new FormData();
    const mutation =
      'mutation ($p: ID!, $file: Upload!) { uploadFile(parent: $p, resource: "batch", file: $file, overwrite: true) { name } }';
    form.set(
      'operations',
      JSON.stringify([{ query: mutation, variables: { p: data.project.id, file: null } }, { query: '{ projects { totalCount } }' }]),
    );
    form.set('map', JSON.stringify({ 0: ['0.variables.file'] }));
    form.set('0', new Blob(['batched']), 'batched.txt');
    const response = await fetch(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { authorization: basic(ADMIN), 'graphql-preflight': '1' },
      body: form,
    });
    const answers = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] }[];
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
    expect(answers[0]!.data).toEqual({ uploadFile: { name: 'batched.txt' } });
  });

  it('answers downloads as attachments the browser will not sniff or run', async () => {
    const { data } = await stack.graphql('{ project(id: "test") { id } }');
    const upload = await uploadRequest(
      stack,
      'mutation ($p: ID!, $file: Upload!) { uploadFile(parent: $p, resource: "web", file: $file, overwrite: true) { downloadUrl } }',
      { p: data.project.id },
      { name: 'page.html', bytes: new TextEncoder().encode('<script>alert(1)</script>') },
    );
    const download = await fetch(upload.data.uploadFile.downloadUrl, { headers: { authorization: basic(ADMIN) } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="page\.html"/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toBe('sandbox');
    const malformed = await fetch(`${stack.gateway.url}/download/file/%E0%A4%A`, { headers: { authorization: basic(ADMIN) } });
    expect(malformed.status).toBe(400);
    expect(CONTRACT).toContain(((await malformed.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code);
  });

  it('is not ready while a proxy answers for XNAT with 503, and ready again after', async () => {
    expect((await fetch(`${stack.gateway.url}/readyz`)).status).toBe(200);
    stack.emulator.faults.add({ path: '/data/projects', status: 503, times: 3 });
    expect((await fetch(`${stack.gateway.url}/readyz`)).status).toBe(503);
    stack.emulator.faults.clear();
    expect((await fetch(`${stack.gateway.url}/readyz`)).status).toBe(200);
  });
});

describe('serve configuration', () => {
  it.each(['http://u:p@xnat.example.org', 'http://xnat.example.org/?x=1', 'http://xnat.example.org/#f'])(
    'refuses the XNAT URL %s',
    async (xnat) => {
      await expect(resolveGatewayConfig({ xnat }, {})).rejects.toBeInstanceOf(ConfigError);
    },
  );
});

describe('behind a TLS proxy', () => {
  it('builds every downloadUrl on --public-url', async () => {
    const emulator = await startEmulator({ port: 0, dataset: 'demo' });
    const gateway = await startGateway({ xnatUrl: emulator.url, port: 0, credentials: ADMIN, publicUrl: 'https://gateway.example.org/' });
    try {
      const response = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ project(id: "test") { resources { nodes { downloadUrl files { nodes { downloadUrl } } } } } }' }),
      });
      const { data } = (await response.json()) as {
        data: { project: { resources: { nodes: { downloadUrl: string; files: { nodes: { downloadUrl: string }[] } }[] } } };
      };
      const urls = data.project.resources.nodes.flatMap((r) => [r.downloadUrl, ...r.files.nodes.map((f) => f.downloadUrl)]);
      expect(urls.length).toBeGreaterThan(1);
      for (const url of urls) expect(url).toMatch(/^https:\/\/gateway\.example\.org\/download\/(file|resource)\/[A-Za-z0-9_-]+$/);
    } finally {
      await gateway.close();
      await emulator.close();
    }
  });
});
