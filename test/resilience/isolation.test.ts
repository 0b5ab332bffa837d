import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { Gateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/logger.js';
import { ADMIN, CACHE_MODES, GUEST, basic, startShippedGateway, startStack, type Credentials, type Stack } from '../support/stack.js';

const VIEW = '{ projects { nodes { label subjects { totalCount nodes { label } } } } }';

describe.each(CACHE_MODES)('each user sees only what XNAT lets them see ($mode)', ({ cache }) => {
  let stack: Stack;
  let emulator: Emulator;
  let gateway: Gateway;
  const logs: string[] = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    stack = await startStack({ cache, gateway: { logger: createLogger({ level: 'trace', destination }) } });
    ({ emulator, gateway } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function ask(auth: Credentials | null, query = VIEW) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth) headers['authorization'] = basic(auth);
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  }

  /** What XNAT itself lists for a user: the truth each answer must match. */
  async function xnatView(auth: Credentials): Promise<string[]> {
    const response = await fetch(`${emulator.url}/data/projects?format=json`, { headers: { authorization: basic(auth) } });
    const body = (await response.json()) as { ResultSet: { Result: { ID: string }[] } };
    return body.ResultSet.Result.map((r) => r.ID).sort();
  }

  it("answers 200 concurrent mixed admin and guest queries each with that user's own view, cold and again", async () => {
    const truth = { admin: await xnatView(ADMIN), guest: await xnatView(GUEST) };
    expect(truth.admin.length).toBeGreaterThan(truth.guest.length);
    const users = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? GUEST : ADMIN));
    // The first round starts with nothing cached: both users' misses race each other.
    const first = await Promise.all(users.map((user) => ask(user)));
    const seen = { admin: new Set<string>(), guest: new Set<string>() };
    first.forEach((answer, i) => {
      const user = users[i]!.user as 'admin' | 'guest';
      expect(answer.errors).toBeUndefined();
      expect(answer.data.projects.nodes.map((p: { label: string }) => p.label).sort()).toEqual(truth[user]);
      seen[user].add(JSON.stringify(answer.data));
    });
    // Every answer to a user is the same whole answer, subjects included.
    expect([seen.admin.size, seen.guest.size]).toEqual([1, 1]);
    // The second round (from the cache, when it is on) gives each user the same answer again.
    const again = await Promise.all(users.map((user) => ask(user)));
    again.forEach((answer, i) => {
      expect(answer.errors).toBeUndefined();
      expect(seen[users[i]!.user as 'admin' | 'guest'].has(JSON.stringify(answer.data))).toBe(true);
    });
    // Each query lists subjects of every project, which costs several XNAT requests where projects share subjects.
  }, 120_000);

  it('gives anonymous and wrong-password requests no data', async () => {
    const anonymous = await ask(null);
    expect(anonymous.data?.projects ?? null).toBeNull();
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await ask({ user: 'admin', password: 'not-the-password' });
    expect(wrong.data?.projects ?? null).toBeNull();
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(wrong)).not.toContain('not-the-password');
  });

  it('logs in to XNAT once per credential and reuses the session', async () => {
    emulator.requests.clear();
    await Promise.all(Array.from({ length: 20 }, () => ask({ user: 'guest', password: 'guest' })));
    const fresh = await startShippedGateway(emulator.url, { cache });
    try {
      emulator.requests.clear();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(fresh.graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: basic(i % 2 ? ADMIN : GUEST) },
            body: JSON.stringify({ query: VIEW }),
          }),
        ),
      );
      const logins = emulator.requests.entries().filter((e) => e.path === '/data/JSESSION' && e.method === 'GET');
      expect(logins).toHaveLength(2);
      const dataRequests = emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION');
      expect(dataRequests.every((e) => e.user === 'admin' || e.user === 'guest')).toBe(true);
    } finally {
      emulator.requests.clear();
      await fresh.close();
    }
    // Ending the gateway ends its XNAT sessions.
    expect(emulator.requests.entries().filter((e) => e.path === '/data/JSESSION' && e.method === 'DELETE')).toHaveLength(2);
  }, 60_000);

  it('never writes a password or an Authorization value to its logs', async () => {
    await ask({ user: 'admin', password: 'wrong-secret-123' });
    await ask(ADMIN);
    const text = logs.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of ['wrong-secret-123', basic(ADMIN), basic(ADMIN).slice(6), basic(GUEST).slice(6), '"admin:admin"']) {
      expect(text).not.toContain(secret);
    }
  });
});
