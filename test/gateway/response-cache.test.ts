import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  basic,
  GUEST,
  postGraphQL,
  startShippedGateway,
  startStack,
  uploadRequest,
  type Credentials,
  type Stack,
} from '../support/stack.js';
import type { Gateway } from '../../src/server/gateway.js';

/**
 * Whole answers kept across requests (src/server/response-cache.ts), over real HTTP: identical to
 * what the cold path answers, per credential only, dropped by every write, bypassed on request.
 * XNAT requests are counted in the emulator's request log (logins not counted).
 */

const MEMBER: Credentials = { user: 'member', password: 'member' };

const TREE = `{ projects { nodes { label subjects { nodes { label experiments { nodes { label date } } } } } } }`;
const NOTES = `{ project(id: "test") { resources { nodes { label files { nodes { name size } } } } } }`;

describe('whole-answer cache', () => {
  let stack: Stack;
  /** The same emulator behind a gateway without any cache: what the cold path answers. */
  let cold: Gateway;

  beforeAll(async () => {
    stack = await startStack({ gateway: { cacheTtlMs: 60_000 } });
    cold = await startShippedGateway(stack.emulator.url, { cache: false });
  });
  afterAll(async () => {
    await cold?.close();
    await stack?.close();
  });

  const ask = (query: string, auth: Credentials | null = ADMIN, headers: Record<string, string> = {}) =>
    postGraphQL(stack.gateway.graphqlUrl, query, {}, auth, headers);

  /** The answer and the XNAT requests it cost. */
  async function measured(query: string, auth: Credentials | null = ADMIN, headers: Record<string, string> = {}) {
    stack.emulator.requests.clear();
    const answer = await ask(query, auth, headers);
    const xnatRequests = stack.emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION').length;
    return { answer, xnatRequests };
  }

  async function answerHits(): Promise<number> {
    const text = await (await fetch(new URL('/metrics', stack.gateway.url))).text();
    return Number(/^graphql_response_cache_lookups_total\{result="hit"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }

  it('answers a repeated query from the cache, identical to the cold path, for users with different rights', async () => {
    for (const user of [ADMIN, MEMBER, GUEST]) {
      const truth = await postGraphQL(cold.graphqlUrl, TREE, {}, user);
      expect(truth.errors).toBeUndefined();
      // The first request proves the credential (an XNAT login); the next one is kept.
      const first = await measured(TREE, user);
      expect(first.answer).toEqual(truth);
      expect((await measured(TREE, user)).answer).toEqual(truth);
      const hits = await answerHits();
      const again = await measured(TREE, user);
      expect(again.xnatRequests).toBe(0);
      expect(await answerHits()).toBe(hits + 1);
      expect(again.answer).toEqual(truth);
    }
  });

  it("never serves one user's answer to another: private and protected projects, guest and member", async () => {
    const query = `{ projects { nodes { label subjects { nodes { label } } } } }`;
    const seen = async (user: Credentials) => {
      const { answer } = await measured(query, user);
      expect(answer.errors).toBeUndefined();
      return Object.fromEntries(
        answer.data.projects.nodes.map((p: { label: string; subjects: { nodes: { label: string }[] } }) => [
          p.label,
          p.subjects.nodes.length,
        ]),
      );
    };
    // The widest view is cached first, then each narrower one asks the same document.
    const admin = await seen(ADMIN);
    const member = await seen(MEMBER);
    const guest = await seen(GUEST);
    expect(admin['PRIV_ONC']).toBeGreaterThan(0);
    expect(member['PRIV_ONC']).toBeUndefined();
    expect(guest['PRIV_ONC']).toBeUndefined();
    expect(member['PROT_NEURO']).toBeGreaterThan(0);
    expect(guest['PROT_NEURO'] ?? 0).toBe(0);
    for (const [user, view] of [
      [ADMIN, admin],
      [MEMBER, member],
      [GUEST, guest],
    ] as const) {
      const truth = await postGraphQL(cold.graphqlUrl, query, {}, user);
      expect(view).toEqual(
        Object.fromEntries(
          truth.data.projects.nodes.map((p: { label: string; subjects: { nodes: unknown[] } }) => [p.label, p.subjects.nodes.length]),
        ),
      );
      // Asked again, each gets its own answer back from the cache.
      const again = await measured(query, user);
      expect(again.xnatRequests).toBe(0);
      expect(await seen(user)).toEqual(view);
    }
  });

  it('answers are served only while XNAT accepted the credential within the session max age', async () => {
    // Every request of this gateway logs in again (1 ms), so none may be answered from the cache.
    const reproving = await startShippedGateway(stack.emulator.url, { gateway: { cacheTtlMs: 60_000, sessionMaxAgeMs: 1 } });
    try {
      const logins = () => stack.emulator.requests.entries().filter((e) => e.path === '/data/JSESSION' && e.method === 'GET').length;
      const before = logins();
      for (let i = 0; i < 3; i++) expect((await postGraphQL(reproving.graphqlUrl, TREE, {}, ADMIN)).errors).toBeUndefined();
      expect(logins() - before).toBeGreaterThanOrEqual(3);
      const text = await (await fetch(new URL('/metrics', reproving.url))).text();
      expect(/^graphql_response_cache_lookups_total\{result="hit"\} (\d+)/m.exec(text)?.[1] ?? '0').toBe('0');
    } finally {
      await reproving.close();
    }
  });

  it('a wrong password never gets a cached answer, nor does a malformed or missing credential get another user’s', async () => {
    await ask(TREE, ADMIN);
    expect((await measured(TREE, ADMIN)).xnatRequests).toBe(0);
    const wrong = await ask(TREE, { user: 'admin', password: 'not-admin' });
    expect(wrong.data?.projects ?? null).toBeNull();
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const malformed = await fetch(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic !!!' },
      body: JSON.stringify({ query: TREE }),
    });
    expect(malformed.status).toBe(401);
    expect(((await malformed.json()) as { data?: unknown }).data ?? null).toBeNull();
  });

  it('a write through the gateway shows at once, for the writer and for another user', async () => {
    const projectId = (await ask('{ project(id: "test") { id } }')).data.project.id;
    type Listed = { project: { resources: { nodes: { label: string; files: { nodes: { name: string }[] } }[] } } };
    const labels = (answer: { data?: Listed }) =>
      answer.data!.project.resources.nodes.flatMap((r) => r.files.nodes.map((f) => `${r.label}/${f.name}`));
    const cachedFor = async (user: Credentials) => {
      await ask(NOTES, user);
      const again = await measured(NOTES, user);
      expect(again.xnatRequests).toBe(0);
      return labels(again.answer);
    };
    expect(await cachedFor(ADMIN)).not.toContain('rc_notes/a.txt');
    expect(await cachedFor(GUEST)).not.toContain('rc_notes/a.txt');

    // A GraphQL multipart upload.
    const up = await uploadRequest(
      stack,
      'mutation ($p: ID!, $file: Upload!) { uploadFile(parent: $p, resource: "rc_notes", file: $file, name: "a.txt") { id } }',
      { p: projectId },
      { name: 'a.txt', bytes: new TextEncoder().encode('a') },
    );
    expect(up.errors).toBeUndefined();
    for (const user of [ADMIN, GUEST]) expect(labels(await ask(NOTES, user))).toContain('rc_notes/a.txt');

    // The raw upload route.
    expect(await cachedFor(GUEST)).not.toContain('rc_notes/b.bin');
    const url = (await ask('{ project(id: "test") { uploadUrl(resource: "rc_notes", name: "b.bin") } }')).data.project.uploadUrl;
    const put = await fetch(url, { method: 'PUT', headers: { authorization: basic(ADMIN), 'graphql-preflight': '1' }, body: 'bb' });
    expect(put.status).toBe(200);
    for (const user of [ADMIN, GUEST]) expect(labels(await ask(NOTES, user))).toContain('rc_notes/b.bin');

    // A delete.
    expect(await cachedFor(GUEST)).toContain('rc_notes/a.txt');
    const deleted = await ask(`mutation { deleteFile(id: ${JSON.stringify(up.data.uploadFile.id)}) }`);
    expect(deleted.errors).toBeUndefined();
    for (const user of [GUEST, ADMIN]) {
      const after = labels(await ask(NOTES, user));
      expect(after).not.toContain('rc_notes/a.txt');
      expect(after).toContain('rc_notes/b.bin');
    }
  });

  it('Cache-Control: no-cache answers from XNAT and refreshes the kept answer; max-age bounds its age', async () => {
    const query = `{ project(id: "test") { resources { nodes { label } } } }`;
    const listed = (answer: { data: { project: { resources: { nodes: { label: string }[] } } } }) =>
      answer.data.project.resources.nodes.map((r) => r.label);
    await ask(query);
    // A write straight to XNAT, which the gateway does not see.
    const created = await fetch(`${stack.emulator.url}/data/projects/test/resources/rc_direct`, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN) },
    });
    expect(created.ok).toBe(true);
    const stale = await measured(query);
    expect(stale.xnatRequests).toBe(0);
    expect(listed(stale.answer as never)).not.toContain('rc_direct');
    const fresh = await measured(query, ADMIN, { 'cache-control': 'no-cache' });
    expect(fresh.xnatRequests).toBeGreaterThan(0);
    expect(listed(fresh.answer as never)).toContain('rc_direct');
    // The refreshed answer is what the next plain request gets, from the cache.
    const after = await measured(query);
    expect(after.xnatRequests).toBe(0);
    expect(after.answer).toEqual(fresh.answer);

    const direct2 = await fetch(`${stack.emulator.url}/data/projects/test/resources/rc_direct2`, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN) },
    });
    expect(direct2.ok).toBe(true);
    const young = await measured(query, ADMIN, { 'cache-control': 'max-age=60' });
    expect(young.xnatRequests).toBe(0);
    expect(listed(young.answer as never)).not.toContain('rc_direct2');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const bounded = await measured(query, ADMIN, { 'cache-control': 'max-age=1' });
    expect(bounded.xnatRequests).toBeGreaterThan(0);
    expect(listed(bounded.answer as never)).toContain('rc_direct2');
  });
});

describe('kept answers served in front of yoga', () => {
  const DASHBOARD = 'https://dash.example.org';
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ gateway: { cacheTtlMs: 60_000, corsOrigins: [DASHBOARD] } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A raw POST: status, the headers that describe the answer, and its exact bytes. */
  async function post(body: string, headers: Record<string, string> = {}) {
    stack.emulator.requests.clear();
    const response = await fetch(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(ADMIN), ...headers },
      body,
    });
    const described = [...response.headers].filter(([name]) => !['date', 'x-request-id', 'connection', 'keep-alive'].includes(name));
    const xnatRequests = stack.emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION').length;
    return { status: response.status, headers: Object.fromEntries(described), text: await response.text(), xnatRequests };
  }

  async function hits(): Promise<number> {
    const text = await (await fetch(new URL('/metrics', stack.gateway.url))).text();
    return Number(/^graphql_response_cache_lookups_total\{result="hit"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }

  beforeAll(async () => {
    // The credential's first request proves it (an XNAT login); answers are kept from then on.
    expect((await post(JSON.stringify({ query: '{ projects { totalCount } }' }))).status).toBe(200);
  });

  it.each([
    ['no Accept header', {}],
    ['Accept: application/json', { accept: 'application/json' }],
    ['Accept: application/graphql-response+json', { accept: 'application/graphql-response+json' }],
    ['both, GraphQL over HTTP first', { accept: 'application/graphql-response+json, application/json' }],
    ['a browser-like Accept', { accept: 'text/html, application/json;q=0.9, */*;q=0.8' }],
    ['an origin without CORS rights', { origin: 'https://elsewhere.example.org' }],
    ['an origin with CORS rights', { origin: DASHBOARD }],
  ])('goes out byte for byte and header for header as yoga first sent it (%s)', async (name, headers: Record<string, string>) => {
    // Each case its own document, so its first request is answered by yoga and kept.
    const body = JSON.stringify({ query: `query Case { projects { nodes { label } } } # ${name}`, operationName: 'Case', variables: {} });
    const before = await hits();
    const first = await post(body, headers);
    expect(first.status).toBe(200);
    expect(await hits()).toBe(before);
    const again = await post(body, headers);
    expect(await hits()).toBe(before + 1);
    expect(again).toEqual({ ...first, xnatRequests: 0 });
  });

  it('keeps no answer of a document deferring with white space or a comment after the @', async () => {
    for (const directive of ['@ defer', '@ # the rest may come later\n defer']) {
      const body = JSON.stringify({ query: `{ projects { nodes { label ... ${directive} { name } } } }` });
      const before = await hits();
      for (const _ of [1, 2]) {
        const answer = await post(body, { accept: 'multipart/mixed' });
        expect(answer.headers['content-type']).toMatch(/^multipart\/mixed/);
        // The first part carries the labels only; the names follow in a later one.
        expect(answer.text).toContain('"hasNext":true');
      }
      expect(await hits()).toBe(before);
    }
  });

  it('leaves to yoga what it would answer otherwise, even with the answer kept', async () => {
    const query = '{ projects { nodes { label name } } }';
    await post(JSON.stringify({ query }));
    const kept = await hits();
    await post(JSON.stringify({ query }));
    expect(await hits()).toBe(kept + 1);
    // Parameters yoga refuses.
    const extra = await post(JSON.stringify({ query, unexpected: 1 }));
    expect(extra.status).toBe(400);
    expect(extra.text).toContain('Unexpected parameter');
    const batch = await post(JSON.stringify([{ query }]));
    expect(JSON.parse(batch.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // A media type yoga does not answer a query with.
    expect((await post(JSON.stringify({ query }), { accept: 'application/xml' })).status).toBe(406);
    // Another user, and a wrong password for the same user: their own answers, never this one.
    const guest = await post(JSON.stringify({ query }), { authorization: basic(GUEST) });
    expect(JSON.parse(guest.text).data.projects.nodes.map((p: { label: string }) => p.label)).not.toContain('PRIV_ONC');
    const wrong = await post(JSON.stringify({ query }), { authorization: basic({ user: 'admin', password: 'not-admin' }) });
    expect(JSON.parse(wrong.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
