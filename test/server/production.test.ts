import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGateway } from '../../src/server/gateway.js';
import { parseTrustedDocuments } from '../../src/config/trusted-documents-file.js';
import { resolveGatewayConfig } from '../../src/config/gateway-config.js';
import { createLogger } from '../../src/logger.js';
import { ADMIN, basic, postGraphQL, startStack, type Stack } from '../support/stack.js';
import { codes, xnatProjectCount } from '../support/e2e.js';
import { selfSignedCertificate, startProxy, type RecordingProxy } from '../support/proxy.js';

const quiet = () => createLogger({ level: 'silent' });

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(ADMIN), ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] },
  };
}

describe('production switches', () => {
  const projects = 'query Projects { projects { totalCount } }';
  const hash = createHash('sha256').update(projects).digest('hex');
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      gateway: { graphiql: false, introspection: false, trustedDocuments: parseTrustedDocuments(JSON.stringify({ [hash]: projects })) },
    });
  });
  afterAll(() => stack.close());

  it('--trusted-documents runs listed documents by Apollo hash or documentId, and nothing else', async () => {
    const total = await xnatProjectCount(stack.emulator.url);
    const byHash = await post(stack.gateway.graphqlUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(byHash.body.data).toEqual({ projects: { totalCount: total } });
    const byId = await post(stack.gateway.graphqlUrl, { documentId: hash });
    expect(byId.body.data).toEqual({ projects: { totalCount: total } });

    stack.emulator.requests.clear();
    const text = await post(stack.gateway.graphqlUrl, { query: projects });
    const unknown = await post(stack.gateway.graphqlUrl, { documentId: 'f'.repeat(64) });
    const none = await post(stack.gateway.graphqlUrl, {});
    for (const refused of [text, unknown, none]) expect(codes(refused.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(stack.emulator.requests.count()).toBe(0);
  });

  it('--no-introspection refuses __schema and __type and drops field suggestions; --no-graphiql serves no page', async () => {
    const trusted = (query: string) => {
      const id = createHash('sha256').update(query).digest('hex');
      return { id, documents: { [id]: query } };
    };
    const introspection = trusted('{ __schema { types { name } } }');
    const typeQuery = trusted('{ __type(name: "Project") { fields { name } } }');
    const typo = trusted('{ projectz { totalCount } }');
    await using open = await startStack({
      gateway: {
        graphiql: false,
        introspection: false,
        trustedDocuments: parseTrustedDocuments(JSON.stringify({ ...introspection.documents, ...typeQuery.documents, ...typo.documents })),
      },
    });
    for (const { id } of [introspection, typeQuery]) {
      const answer = await post(open.gateway.graphqlUrl, { documentId: id });
      expect(answer.body.errors?.length).toBeGreaterThan(0);
      expect(new Set(codes(answer.body))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
      expect(answer.body.data).toBeUndefined();
    }
    const misspelt = await post(open.gateway.graphqlUrl, { documentId: typo.id });
    expect(codes(misspelt.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(misspelt.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const page = await fetch(stack.gateway.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/html/);
    expect(await page.text()).not.toMatch(/graphiql/i);
  });

  it('without the switches, introspection works and GraphiQL is served', async () => {
    await using open = await startStack();
    const answer = await postGraphQL(open.gateway.graphqlUrl, '{ __type(name: "Project") { name } }');
    expect(answer.data).toEqual({ __type: { name: 'Project' } });
    const page = await fetch(open.gateway.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/graphiql/i);
  });
});

describe('request ids', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('echoes a client x-request-id, makes one otherwise, and puts it in every error', async () => {
    const given = await post(
      stack.gateway.graphqlUrl,
      { query: '{ project(id: "test") { subject(label: "nope") { experiment(label: 1) } } }' },
      { 'x-request-id': 'req-4711' },
    );
    expect(given.headers.get('x-request-id')).toBe('req-4711');
    expect(given.body.errors?.length).toBeGreaterThan(0);
    for (const error of given.body.errors!) expect(error.extensions?.['requestId']).toBe('req-4711');

    const made = await post(stack.gateway.graphqlUrl, { query: '{ nope }' }, { 'x-request-id': 'bad id with spaces' });
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body.errors?.[0]?.extensions?.['requestId']).toBe(id);
    const other = await post(stack.gateway.graphqlUrl, { query: '{ projects { totalCount } }' });
    expect(other.headers.get('x-request-id')).not.toBe(id);
  });
});

describe('TLS to XNAT', () => {
  let emulator: Emulator;
  let proxy: RecordingProxy;
  let cert: string;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, dataset: 'demo' });
    const tls = await selfSignedCertificate();
    cert = tls.cert;
    proxy = await startProxy(emulator.url, tls);
  });
  afterAll(async () => {
    await proxy?.close();
    await emulator?.close();
  });

  async function totalCount(tls?: { ca?: string; insecure?: boolean }) {
    const gateway = await startGateway({ xnatUrl: proxy.url, port: 0, logger: quiet(), ...(tls ? { tls } : {}) });
    try {
      return await postGraphQL<{ projects: { totalCount: number } }>(gateway.graphqlUrl, '{ projects { totalCount } }');
    } finally {
      await gateway.close();
    }
  }

  it('a self-signed XNAT works with its certificate as the CA, or insecure, and fails clearly without', async () => {
    const total = await xnatProjectCount(emulator.url);
    expect((await totalCount({ ca: cert })).data?.projects.totalCount).toBe(total);
    expect((await totalCount({ insecure: true })).data?.projects.totalCount).toBe(total);
    const refused = await totalCount();
    expect(codes(refused)).toEqual(['UPSTREAM_ERROR']);
    expect(refused.errors?.[0]?.message).toMatch(/TLS certificate is not trusted.*--ca-file/);
  });

  it('pyxnat config "verify" is honoured: false is insecure, a path is the CA file; --ca-file wins', async () => {
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'xnat-graphql-verify-'));
    try {
      const caPath = join(dir, 'ca.pem');
      await writeFile(caPath, cert);
      await writeFile(join(dir, 'off.cfg'), JSON.stringify({ server: proxy.url, verify: false }));
      await writeFile(join(dir, 'ca.cfg'), JSON.stringify({ server: proxy.url, verify: caPath }));
      expect((await resolveGatewayConfig({ config: join(dir, 'off.cfg') }, {})).tls).toEqual({ insecure: true });
      expect((await resolveGatewayConfig({ config: join(dir, 'ca.cfg') }, {})).tls).toEqual({ ca: cert });
      await writeFile(join(dir, 'other.pem'), 'not a certificate');
      await expect(resolveGatewayConfig({ config: join(dir, 'ca.cfg'), caFile: join(dir, 'other.pem') }, {})).rejects.toThrow(
        /holds no PEM certificate/,
      );
      expect((await resolveGatewayConfig({}, {})).tls).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Cache-Control on a request', () => {
  let stack: Stack;
  const resource = '/data/projects/test/subjects/sub-01/experiments/sub-01_MR1/scans/2/resources/nifti';
  const files =
    '{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: "2") { resource(label: "nifti") { files { nodes { name } } } } } } } }';
  beforeAll(async () => {
    stack = await startStack({ gateway: { cacheTtlMs: 600_000, credentials: ADMIN } });
  });
  afterAll(() => stack.close());

  const names = async (headers: Record<string, string> = {}) => {
    const answer = await post(stack.gateway.graphqlUrl, { query: files }, headers);
    expect(answer.body.errors).toBeUndefined();
    return (answer.body.data.project.subject.experiment.scan.resource.files.nodes as { name: string }[]).map((f) => f.name).sort();
  };
  /** A file written straight to XNAT (as pyxnat or the web UI would), behind the gateway's back. */
  const writeBehind = async (name: string) => {
    const response = await fetch(`${stack.emulator.url}${resource}/files/${name}?inbody=true`, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN) },
      body: 'outside',
    });
    expect(response.status).toBeLessThan(300);
  };

  it('no-cache answers from XNAT at once and refreshes the cache; max-age bounds the age accepted', async () => {
    const before = await names();
    await writeBehind('outside-1.txt');
    expect(await names()).toEqual(before); // the listing cache still holds the old answer
    expect(await names({ 'cache-control': 'max-age=3600' })).toEqual(before);
    const fresh = await names({ 'cache-control': 'no-cache' });
    expect(fresh).toContain('outside-1.txt');
    expect(await names()).toEqual(fresh); // refreshed for everyone after

    await writeBehind('outside-2.txt');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await names({ 'cache-control': 'max-age=1' })).toContain('outside-2.txt');
  });
});
