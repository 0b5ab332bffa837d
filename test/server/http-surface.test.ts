import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, startStack, type Stack } from '../support/stack.js';
import { codes, download } from '../support/e2e.js';

/** The gateway's HTTP surface besides GraphQL itself: CSRF rules, health, metrics, unknown paths, auth headers. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ gateway: { credentials: ADMIN } });
});
afterAll(async () => {
  await stack?.close();
});

async function post(body: string, headers: Record<string, string>) {
  const response = await fetch(stack.gateway.graphqlUrl, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] } };
}

describe('cross-site request forgery', () => {
  // A page on any site can send these without a CORS preflight; with the configured (admin) credentials
  // behind the gateway, running them would let any web page write to XNAT.
  it('refuses an HTML-form POST (application/x-www-form-urlencoded) without running it', async () => {
    const { data } = await stack.graphql('{ project(id: "test") { resource(label: "protocols") { id } } }');
    const id = data.project.resource.id as string;
    const form = new URLSearchParams({ query: `mutation { deleteResource(id: "${id}") }` });
    stack.emulator.requests.clear();
    const response = await post(form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
    expect(codes(response.json())).toEqual(['BAD_USER_INPUT']);
    expect(stack.emulator.requests.count()).toBe(0);
    const still = await stack.graphql('{ project(id: "test") { resource(label: "protocols") { id } } }');
    expect(still.data.project.resource.id).toBe(id);
  });

  it('does not let another origin pass the CORS preflight that the upload CSRF rule relies on', async () => {
    const preflight = await fetch(stack.gateway.graphqlUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'graphql-preflight, authorization, content-type',
      },
    });
    await preflight.arrayBuffer();
    const allowed = preflight.headers.get('access-control-allow-origin');
    expect(allowed === null || (allowed !== '*' && allowed !== 'https://evil.example')).toBe(true);
    const response = await fetch(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ projects { totalCount } }' }),
    });
    await response.arrayBuffer();
    expect(response.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).not.toBe('*');
  });

  it('refuses text/plain bodies', async () => {
    const response = await post(JSON.stringify({ query: '{ projects { totalCount } }' }), { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
  });

  it('refuses mutations over GET', async () => {
    const url = new URL(stack.gateway.graphqlUrl);
    url.searchParams.set('query', 'mutation { deleteFile(id: "x") }');
    const response = await fetch(url, { headers: { accept: 'application/graphql-response+json' } });
    expect(response.status).toBe(405);
    await response.arrayBuffer();
  });

  it('answers JSON queries over GET and POST', async () => {
    const url = new URL(stack.gateway.graphqlUrl);
    url.searchParams.set('query', '{ projects { totalCount } }');
    const viaGet = await fetch(url, { headers: { accept: 'application/graphql-response+json' } });
    expect(viaGet.status).toBe(200);
    expect(((await viaGet.json()) as { data: { projects: { totalCount: number } } }).data.projects.totalCount).toBe(4);
    const viaPost = await post(JSON.stringify({ query: '{ projects { totalCount } }' }), { 'content-type': 'application/json' });
    expect(viaPost.status).toBe(200);
  });
});

describe('JSON request bodies', () => {
  it('larger than 25 MB are refused with 413 and a code, by Content-Length or as they stream', async () => {
    const query = `{ projects { totalCount } } # ${'x'.repeat(25_000_001)}`;
    const declared = await post(JSON.stringify({ query }), { 'content-type': 'application/json' });
    expect(declared.status).toBe(413);
    expect(codes(declared.json())).toEqual(['BAD_USER_INPUT']);

    const bytes = new TextEncoder().encode(JSON.stringify({ query }));
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 1 << 20) controller.enqueue(bytes.subarray(offset, offset + (1 << 20)));
        controller.close();
      },
    });
    const response = await fetch(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(codes((await response.json()) as { errors?: { extensions?: { code?: string } }[] })).toEqual(['BAD_USER_INPUT']);
  });
});

describe('authorization header', () => {
  it('a malformed Authorization header is UNAUTHENTICATED, not silently anonymous', async () => {
    for (const authorization of ['Bearer abc', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
      const response = await post(JSON.stringify({ query: '{ projects { totalCount } }' }), {
        'content-type': 'application/json',
        authorization,
      });
      expect(codes(response.json()), authorization).toEqual(['UNAUTHENTICATED']);
      expect(response.status).toBe(401);
    }
  });

  it('wrong credentials are UNAUTHENTICATED and never echoed', async () => {
    const response = await stack.graphql('{ projects { totalCount } }', {}, { user: 'admin', password: 'hunter2-wrong' });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(response)).not.toContain('hunter2-wrong');
  });
});

describe('operational endpoints', () => {
  it('/healthz answers 200 to GET and HEAD', async () => {
    expect((await fetch(`${stack.gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.gateway.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });

  it('unknown paths are 404', async () => {
    for (const path of ['/', '/graphql/extra', '/download', '/download/file', '/nope']) {
      const response = await fetch(`${stack.gateway.url}${path}`, { headers: { authorization: basic(ADMIN) } });
      expect(response.status, path).toBe(404);
      await response.arrayBuffer();
    }
  });

  it('/metrics counts every request the gateway sent to XNAT', async () => {
    const total = async () => {
      const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
      let sum = 0;
      for (const match of text.matchAll(/^xnat_upstream_requests_total\{.*\} (\d+)$/gm)) sum += Number(match[1]);
      return sum;
    };
    const before = await total();
    stack.emulator.requests.clear();
    const response = await stack.graphql('{ projects { nodes { subjects { nodes { experiments { nodes { label } } } } } } }');
    expect(response.errors).toBeUndefined();
    const { data } = await stack.graphql('{ project(id: "test") { resource(label: "protocols") { downloadUrl } } }');
    expect((await download(data.project.resource.downloadUrl)).status).toBe(200);
    const sent = stack.emulator.requests.count();
    expect(sent).toBeGreaterThan(2);
    expect((await total()) - before).toBe(sent);
  });
});
