import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { codes } from '../support/e2e.js';
import { ADMIN, basic, type Credentials, startStack, type Stack } from '../support/stack.js';

/** Over real HTTP: XNAT's session renewal, session cap, alias tokens and password changes, through the gateway. */

const TREE = '{ projects { nodes { label subjects { nodes { label experiments { nodes { label } } } } } } }';
const PROJECTS = '{ projects { nodes { label } } }';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function xnat(
  s: Stack,
  method: string,
  path: string,
  options: { as?: Credentials | null; body?: unknown; cookie?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.as !== null) headers['authorization'] = basic(options.as ?? ADMIN);
  if (options.cookie) headers['cookie'] = `JSESSIONID=${options.cookie}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${s.emulator.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
}

/** A user of the test's own, created as XNAT's admin would (`POST /xapi/users`). */
async function createUser(s: Stack, user: string, password: string): Promise<Credentials> {
  const res = await xnat(s, 'POST', '/xapi/users', { body: { username: user, password } });
  expect(res.status).toBe(201);
  return { user, password };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(20);
}

describe('session renewal', () => {
  // The cold path: with the listing cache on, repeated queries within the session max age would not reach XNAT.
  it('after XNAT drops every session, N queries open one new XNAT session, not one per request', async () => {
    stack = await startStack({ cache: false });
    expect((await stack.graphql(TREE)).errors).toBeUndefined();
    stack.emulator.sessions.dropAll();
    const before = stack.emulator.sessions.opened('admin');
    for (let i = 0; i < 5; i++) {
      const res = await stack.graphql(TREE);
      expect(res.errors).toBeUndefined();
      expect(res.data.projects.nodes.length).toBeGreaterThan(0);
    }
    expect(stack.emulator.sessions.opened('admin') - before).toBe(1);
    expect(stack.emulator.sessions.live('admin')).toBe(1);
  });

  it('keeps one live XNAT session when concurrent queries all met the dead one', async () => {
    stack = await startStack({ cache: false });
    expect((await stack.graphql(PROJECTS)).errors).toBeUndefined();
    stack.emulator.sessions.dropAll();
    const results = await Promise.all(Array.from({ length: 8 }, () => stack!.graphql(TREE)));
    for (const res of results) expect(res.errors).toBeUndefined();
    // Sessions XNAT opened for requests already under way are ended in the background.
    await until(() => stack!.emulator.sessions.live('admin') <= 1);
    expect(stack.emulator.sessions.live('admin')).toBe(1);
    // The surviving session is the one the gateway uses: later queries open none.
    const opened = stack.emulator.sessions.opened('admin');
    expect((await stack.graphql(TREE)).errors).toBeUndefined();
    expect(stack.emulator.sessions.opened('admin')).toBe(opened);
  });
});

describe('session cap', () => {
  it("answers UNAUTHENTICATED saying the user has reached XNAT's session limit, without adding sessions while refused", async () => {
    stack = await startStack({ emulator: { concurrentMaxSessions: 3 } });
    const user = await createUser(stack, 'busy', 'busy-pw');
    const elsewhere: string[] = [];
    for (let i = 0; i < 3; i++) elsewhere.push(await (await xnat(stack, 'GET', '/data/JSESSION', { as: user })).text());

    for (let i = 0; i < 3; i++) {
      const res = await stack.graphql(PROJECTS, {}, user);
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.errors![0]!.message).toMatch(/maximum number of concurrent sessions/);
    }
    // The cap plus the one session XNAT opened for the first refused login, reused by the next ones.
    expect(stack.emulator.sessions.live('busy')).toBe(4);

    // A wrong password is told apart.
    const wrong = await stack.graphql(PROJECTS, {}, { user: 'busy', password: 'nope' });
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.errors![0]!.message).not.toMatch(/sessions/);

    // Once sessions elsewhere end, the gateway logs in again.
    for (const id of elsewhere.slice(0, 2)) await xnat(stack, 'DELETE', '/data/JSESSION', { as: null, cookie: id });
    const res = await stack.graphql(PROJECTS, {}, user);
    expect(res.errors).toBeUndefined();
    expect(res.data.projects.nodes.length).toBeGreaterThan(0);
  });
});

describe('alias tokens', () => {
  it("authenticate through the gateway as the token's user", async () => {
    stack = await startStack();
    const token = (await (await xnat(stack, 'GET', '/data/services/tokens/issue')).json()) as { alias: string; secret: string };
    const res = await stack.graphql(PROJECTS, {}, { user: token.alias, password: token.secret });
    expect(res.errors).toBeUndefined();
    // admin's view, private project included.
    expect(res.data.projects.nodes.map((p: { label: string }) => p.label)).toContain('PRIV_ONC');
    const wrong = await stack.graphql(PROJECTS, {}, { user: token.alias, password: 'not-the-secret' });
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('password change', () => {
  it('refuses the old password once the session max age has passed, from XNAT and from the cache; the new one works', async () => {
    const maxAgeMs = 600;
    stack = await startStack({ gateway: { sessionMaxAgeMs: maxAgeMs, cacheTtlMs: 60_000 } });
    const old = await createUser(stack, 'rotor', 'old-pw');
    const first = await stack.graphql(PROJECTS, {}, old);
    expect(first.errors).toBeUndefined();
    const changed = await xnat(stack, 'PUT', '/xapi/users/rotor', { body: { password: 'new-pw' } });
    expect(changed.status).toBe(200);

    await sleep(maxAgeMs + 100);
    stack.emulator.requests.clear();
    for (let i = 0; i < 2; i++) {
      const refused = await stack.graphql(PROJECTS, {}, old);
      expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(refused.data?.projects ?? null).toBeNull();
    }
    // The first refusal came from XNAT (a login attempt, not a cached listing); the second from
    // the gateway, which does not put a credential XNAT just refused to it again.
    expect(stack.emulator.requests.entries().map((e) => `${e.path} ${e.status}`)).toEqual(['/data/JSESSION 401']);

    const renewed = await stack.graphql(PROJECTS, {}, { user: 'rotor', password: 'new-pw' });
    expect(renewed.errors).toBeUndefined();
    expect(renewed.data.projects.nodes).toEqual(first.data.projects.nodes);
  });

  it('logs in again after the max age even while the session is in use, so XNAT re-checks the credential', async () => {
    const maxAgeMs = 300;
    // The upstream timeout is also how long a retired session is kept for requests already sent with it.
    stack = await startStack({ gateway: { sessionMaxAgeMs: maxAgeMs, upstreamTimeoutMs: 1500 } });
    expect((await stack.graphql(PROJECTS)).errors).toBeUndefined();
    const opened = stack.emulator.sessions.opened('admin');
    const start = Date.now();
    // Busy all along: an idle timeout would never end this session.
    while (Date.now() - start < 3 * maxAgeMs) expect((await stack.graphql(PROJECTS)).errors).toBeUndefined();
    const logins = stack.emulator.sessions.opened('admin') - opened;
    expect(logins).toBeGreaterThanOrEqual(1);
    expect(logins).toBeLessThanOrEqual(Math.ceil((Date.now() - start) / maxAgeMs));
    // Retired sessions are ended at XNAT once requests sent with them had their time.
    await until(() => stack!.emulator.sessions.live('admin') <= 1, 8_000);
    expect(stack.emulator.sessions.live('admin')).toBe(1);
  });
});
