import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startStack, type Stack } from '../support/stack.js';
import { codes } from '../support/e2e.js';

const ALLOWED = ['https://a.example', 'https://b.example'];
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ gateway: { credentials: ADMIN, corsOrigins: ALLOWED } });
});
afterAll(() => stack?.close());

async function post(origin: string) {
  const response = await fetch(stack.gateway.graphqlUrl, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ projects { totalCount } }' }),
  });
  await response.arrayBuffer();
  return response.headers;
}

async function preflight(origin: string) {
  const response = await fetch(stack.gateway.graphqlUrl, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });
  await response.arrayBuffer();
  return response.headers;
}

describe('CORS with several allowed origins', () => {
  it.each(['https://evil.example', 'null', 'https://a.example.evil.example'])(
    'gives %s no Access-Control-Allow-Origin, on requests and preflights',
    async (origin) => {
      for (const headers of [await post(origin), await preflight(origin)]) {
        expect(headers.get('access-control-allow-origin')).toBeNull();
        expect(headers.get('access-control-allow-credentials')).toBeNull();
      }
    },
  );

  it.each(ALLOWED)('echoes the allowed origin %s itself, with Vary: Origin', async (origin) => {
    for (const headers of [await post(origin), await preflight(origin)]) {
      expect(headers.get('access-control-allow-origin')).toBe(origin);
      expect(headers.get('vary') ?? '').toMatch(/\borigin\b/i);
    }
  });

  it('varies on Origin even when it sends no CORS headers', async () => {
    expect((await post('https://evil.example')).get('vary') ?? '').toMatch(/\borigin\b/i);
  });
});

describe('GraphQL over GET', () => {
  const get = (params: Record<string, string>, accept?: string) => {
    const url = new URL(stack.gateway.graphqlUrl);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return fetch(url, accept ? { headers: { accept } } : {});
  };

  it.each(['variables', 'extensions'])('answers malformed %s JSON with 400 BAD_USER_INPUT', async (name) => {
    for (const bad of ['{bad', '[1,2]', '"text"']) {
      const response = await get({ query: '{ projects { totalCount } }', [name]: bad }, 'application/json');
      expect(response.status).toBe(400);
      expect(codes((await response.json()) as never)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it.each([undefined, '*/*', 'application/json', 'application/graphql-response+json'])(
    'answers with a JSON media type (Accept: %s)',
    async (accept) => {
      const response = await get({ query: '{ projects { totalCount } }' }, accept);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json\b/);
      expect(((await response.json()) as { data: { projects: { totalCount: number } } }).data.projects.totalCount).toBe(4);
    },
  );
});
