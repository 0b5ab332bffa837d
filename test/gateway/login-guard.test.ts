import { afterEach, describe, expect, it } from 'vitest';
import { codes } from '../support/e2e.js';
import { ADMIN, basic, type Credentials, startStack, type Stack } from '../support/stack.js';

/**
 * Over real HTTP: XNAT locks an account after 20 refused logins in a row (the emulator counts as
 * XNAT does). Nothing a caller sends through the gateway may lock a user out of XNAT.
 */

const PROJECTS = '{ projects { nodes { label } } }';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function createUser(s: Stack, user: string, password: string): Promise<Credentials> {
  const res = await fetch(`${s.emulator.url}/xapi/users`, {
    method: 'POST',
    headers: { authorization: basic(ADMIN), 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  expect(res.status).toBe(201);
  return { user, password };
}

const loginsOf = (s: Stack) => s.emulator.requests.count({ method: 'GET', pathPrefix: '/data/JSESSION' });

describe('refused logins', () => {
  it('a caller retrying a wrong password, or guessing many, cannot get the account locked; its owner still gets in', async () => {
    // A session max age of 1 ms: every request logs in again, so every credential is put to XNAT.
    stack = await startStack({ gateway: { sessionMaxAgeMs: 1 } });
    const owner = await createUser(stack, 'targeted', 'the-right-one');
    expect((await stack.graphql(PROJECTS, {}, owner)).errors).toBeUndefined();

    for (let i = 0; i < 30; i++) {
      const res = await stack.graphql(PROJECTS, {}, { user: 'targeted', password: `guess-${i % 10}` });
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    }
    // Far fewer refusals reached XNAT than its lockout (20) needs.
    expect(stack.emulator.sessions.failedLogins('targeted')).toBe(5);
    const later = await stack.graphql(PROJECTS, {}, { user: 'targeted', password: 'guess-99' });
    expect(codes(later)).toEqual(['UNAUTHENTICATED']);
    expect(later.errors![0]!.message).toMatch(/refused 5 logins of this user in a row/);
    expect(stack.emulator.sessions.failedLogins('targeted')).toBe(5);

    // Credentials XNAT accepted before still reach it, and are accepted: the account is not locked.
    const before = loginsOf(stack);
    const res = await stack.graphql(PROJECTS, {}, owner);
    expect(res.errors).toBeUndefined();
    expect(loginsOf(stack)).toBeGreaterThan(before);
    expect(stack.emulator.sessions.failedLogins('targeted')).toBe(0);
  });

  it('sends a credential XNAT just refused to XNAT once, however often it is retried', async () => {
    stack = await startStack();
    await createUser(stack, 'typo', 'correct');
    const before = loginsOf(stack);
    const results = await Promise.all(Array.from({ length: 10 }, () => stack!.graphql(PROJECTS, {}, { user: 'typo', password: 'corect' })));
    for (const res of results) expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    for (let i = 0; i < 5; i++)
      expect(codes(await stack.graphql(PROJECTS, {}, { user: 'typo', password: 'corect' }))).toEqual(['UNAUTHENTICATED']);
    expect(loginsOf(stack) - before).toBe(1);
    expect(stack.emulator.sessions.failedLogins('typo')).toBe(1);
    // The corrected password goes through at once.
    const res = await stack.graphql(PROJECTS, {}, { user: 'typo', password: 'correct' });
    expect(res.errors).toBeUndefined();
    expect(stack.emulator.sessions.failedLogins('typo')).toBe(0);
  });

  it('with --login-failure-limit 0 every refused login reaches XNAT, which then locks the account', async () => {
    stack = await startStack({ emulator: { maxFailedLogins: 20 }, gateway: { loginFailureLimit: 0 } });
    const owner = await createUser(stack, 'exposed', 'pw');
    for (let i = 0; i < 20; i++) await stack.graphql(PROJECTS, {}, { user: 'exposed', password: `guess-${i}` });
    expect(stack.emulator.sessions.failedLogins('exposed')).toBe(20);
    expect(codes(await stack.graphql(PROJECTS, {}, owner))).toEqual(['UNAUTHENTICATED']);
  });
});
