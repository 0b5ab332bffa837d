import { describe, expect, it } from 'vitest';
import { MemoryStore, TableCache, type CachedTable, type CacheStore } from '../../src/cache/table-cache.js';
import { SessionStore } from '../../src/xnat/sessions.js';

const admin = { kind: 'basic', user: 'admin', password: 'admin' } as const;

/** A MemoryStore whose bump and set can be made to fail or hang. */
class FlakyStore extends MemoryStore implements CacheStore {
  bumpFails = false;
  setHangs = false;

  override async bump() {
    if (this.bumpFails) throw new Error('connection refused');
    return super.bump();
  }

  override set(key: string, value: CachedTable, ttlMs: number) {
    if (this.setHangs) return new Promise<void>(() => {});
    return super.set(key, value, ttlMs);
  }
}

function setup(ttlMs = 1000) {
  const store = new FlakyStore();
  const errors: unknown[] = [];
  const cache = new TableCache(store, { ttlMs, onError: (e) => errors.push(e) });
  let fetches = 0;
  let version = 'before';
  const read = () =>
    cache.through(
      admin,
      { path: '/data/projects', params: { columns: 'ID' } },
      async () => {
        fetches += 1;
        return [{ ID: version }];
      },
      () => {},
    );
  return { store, cache, errors, read, fetches: () => fetches, write: (v: string) => (version = v) };
}

describe('table cache', () => {
  it('serves a repeated listing from the store and a write hides it', async () => {
    const t = setup();
    expect(await t.read()).toEqual([{ ID: 'before' }]);
    expect(await t.read()).toEqual([{ ID: 'before' }]);
    expect(t.fetches()).toBe(1);
    t.write('after');
    await t.cache.invalidate();
    expect(await t.read()).toEqual([{ ID: 'after' }]);
    expect(t.errors).toEqual([]);
  });

  it('after a failed bump, reads XNAT for one TTL and reports the failure, then uses the cache again', async () => {
    const t = setup(100);
    await t.read();
    t.store.bumpFails = true;
    t.write('after');
    await t.cache.invalidate();
    expect(t.errors).toHaveLength(1);
    expect(String((t.errors[0] as Error).message)).toMatch(/connection refused/);
    // The pre-write entry is still in the store under the same generation, but is not served.
    expect(await t.read()).toEqual([{ ID: 'after' }]);
    expect(await t.read()).toEqual([{ ID: 'after' }]);
    expect(t.fetches()).toBe(3);
    // One TTL later the entries stored before the write have expired too.
    await new Promise((r) => setTimeout(r, 120));
    t.store.bumpFails = false;
    await t.read();
    expect(await t.read()).toEqual([{ ID: 'after' }]);
    expect(t.fetches()).toBe(4);
  });

  it('does not store an answer fetched while a bump failed', async () => {
    const t = setup();
    t.store.bumpFails = true;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = t.cache.through(
      admin,
      { path: '/data/projects', params: {} },
      async () => {
        await gate;
        return [{ ID: 'before' }];
      },
      () => {},
    );
    await t.cache.invalidate();
    release();
    await slow;
    t.store.bumpFails = false;
    // Once the distrust has passed, nothing stored: the listing is fetched again.
    (t.cache as unknown as { distrustUntil: number }).distrustUntil = 0;
    let fetched = false;
    await t.cache.through(
      admin,
      { path: '/data/projects', params: {} },
      async () => {
        fetched = true;
        return [];
      },
      () => {},
    );
    expect(fetched).toBe(true);
  });

  it('does not wait for the store to take a fetched listing', async () => {
    const t = setup();
    t.store.setHangs = true;
    expect(await t.read()).toEqual([{ ID: 'before' }]);
  });

  it('keys identities like the session store: by an HMAC of the credential, never the password', () => {
    const cache = new TableCache(new MemoryStore(), { ttlMs: 0, secret: 'shared' });
    const key = cache.identity(admin);
    expect(key).not.toContain('admin');
    expect(new TableCache(new MemoryStore(), { ttlMs: 0, secret: 'shared' }).identity(admin)).toBe(key);
    expect(new TableCache(new MemoryStore(), { ttlMs: 0, secret: 'other' }).identity(admin)).not.toBe(key);
    expect(cache.identity({ kind: 'anonymous' })).toBe('anonymous');
    expect(new SessionStore().keyOf(admin)).not.toBe(key);
  });
});
