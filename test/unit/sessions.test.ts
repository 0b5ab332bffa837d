import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../src/xnat/sessions.js';

const admin = { kind: 'basic', user: 'admin', password: 'admin' } as const;

describe('JSESSION store', () => {
  it('keys sessions by a keyed hash that never contains the credential', () => {
    const store = new SessionStore();
    const key = store.keyOf(admin);
    expect(key).not.toContain('admin');
    expect(Buffer.from(key, 'base64url').toString('latin1')).not.toContain('admin');
    expect(store.keyOf({ ...admin, password: 'other' })).not.toBe(key);
    expect(store.keyOf({ kind: 'basic', user: 'admi', password: 'nadmin' })).not.toBe(key);
    expect(new SessionStore().keyOf(admin)).not.toBe(key);
  });

  it('logs in once for concurrent requests and reuses the session', async () => {
    const store = new SessionStore();
    let logins = 0;
    const login = async () => `S${++logins}`;
    const key = store.keyOf(admin);
    const ids = await Promise.all(Array.from({ length: 10 }, () => store.obtain(key, login)));
    expect(new Set(ids)).toEqual(new Set(['S1']));
    expect(await store.obtain(key, login)).toBe('S1');
    expect(logins).toBe(1);
  });

  it('forgets a dropped session, but not a newer one, and does not cache failed logins', async () => {
    const store = new SessionStore();
    const key = store.keyOf(admin);
    await expect(store.obtain(key, async () => Promise.reject(new Error('401')))).rejects.toThrow('401');
    expect(store.get(key)).toBeUndefined();
    await store.obtain(key, async () => 'S1');
    store.drop(key, 'S0');
    expect(store.get(key)).toBe('S1');
    store.drop(key, 'S1');
    expect(store.get(key)).toBeUndefined();
    await store.obtain(key, async () => 'S2');
    expect(store.drain()).toEqual(['S2']);
    expect(store.get(key)).toBeUndefined();
  });

  it('bounds the number of sessions it keeps', async () => {
    const store = new SessionStore({ max: 2 });
    for (const user of ['a', 'b', 'c']) await store.obtain(store.keyOf({ kind: 'basic', user, password: 'p' }), async () => user);
    expect(store.get(store.keyOf({ kind: 'basic', user: 'a', password: 'p' }))).toBeUndefined();
    expect(store.get(store.keyOf({ kind: 'basic', user: 'c', password: 'p' }))).toBe('c');
  });

  it('uses a session for at most the maximum age, however busy, and retires it then', async () => {
    const retired: string[] = [];
    let now = 0;
    const store = new SessionStore({ maxAgeMs: 80, onRetire: (id) => retired.push(id), now: () => now });
    const key = store.keyOf(admin);
    let logins = 0;
    const login = async () => `S${++logins}`;
    expect(await store.obtain(key, login)).toBe('S1');
    for (let i = 0; i < 3; i++) {
      now += 20;
      expect(store.get(key)).toBe('S1');
      expect(await store.obtain(key, login)).toBe('S1');
    }
    now += 20;
    expect(store.get(key)).toBeUndefined();
    expect(retired).toEqual(['S1']);
    expect(await store.obtain(key, login)).toBe('S2');
  });

  it('adopts a session XNAT opened in place of the one sent, unless another replaced it first', async () => {
    let now = 0;
    const store = new SessionStore({ maxAgeMs: 80, now: () => now });
    const key = store.keyOf(admin);
    await store.obtain(key, async () => 'S1');
    now += 50;
    expect(store.adopt(key, 'S1', 'S2')).toBe(true);
    // A request sent with S1 that also got a new session is surplus now.
    expect(store.adopt(key, 'S1', 'S3')).toBe(false);
    // Adoption re-proves the credential: the age starts again.
    now += 50;
    expect(store.get(key)).toBe('S2');
  });

  it('remembers the session a refused login opened until a login succeeds', async () => {
    const store = new SessionStore();
    const key = store.keyOf(admin);
    store.noteRefused(key, 'R1');
    expect(store.refusedSession(key)).toBe('R1');
    await store.obtain(key, async () => 'S1');
    expect(store.refusedSession(key)).toBeUndefined();
  });
});
