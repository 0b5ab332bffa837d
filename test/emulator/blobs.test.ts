import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../src/emulator/blobs.js';
import type { BlobStore } from '../../src/emulator/model.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Yields `chunks` pieces of 64 KiB, then fails if `failAfter` is set. */
function generated(chunks: number, failAfter?: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && sent === failAfter) {
        this.destroy(new Error('connection reset'));
        return;
      }
      if (sent === chunks) {
        this.push(null);
        return;
      }
      this.push(Buffer.alloc(65536, sent++ % 251));
    },
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('createBlobStore', () => {
  const stores: BlobStore[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const open = async (dir?: string) => {
    const store = await createBlobStore(dir);
    stores.push(store);
    return store;
  };

  it('stores a buffer and reports its size and MD5', async () => {
    const store = await open();
    const body = Buffer.from('hello, xnat\n');
    const blob = await store.put(body);
    expect(blob.size).toBe(body.length);
    expect(blob.digest).toBe(md5(body));
    expect(blob.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readAll(store.open(blob.key))).toEqual(body);
  });

  it('streams a body in and serves inclusive byte ranges', async () => {
    const store = await open();
    const blob = await store.put(generated(40));
    const whole = await readAll(store.open(blob.key));
    expect(blob.size).toBe(40 * 65536);
    expect(whole.length).toBe(blob.size);
    expect(blob.digest).toBe(md5(whole));
    const part = await readAll(store.open(blob.key, { start: 65530, end: 65545 }));
    expect(part).toEqual(whole.subarray(65530, 65546));
  });

  it('stores an empty body', async () => {
    const store = await open();
    const blob = await store.put(Buffer.alloc(0));
    expect(blob).toMatchObject({ size: 0, digest: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect((await readAll(store.open(blob.key))).length).toBe(0);
  });

  it('gives every put its own key', async () => {
    const store = await open();
    const a = await store.put(Buffer.from('same'));
    const b = await store.put(Buffer.from('same'));
    expect(a.key).not.toBe(b.key);
    await store.remove(a.key);
    expect((await readAll(store.open(b.key))).toString()).toBe('same');
  });

  it('leaves nothing behind when the upload fails midway', async () => {
    const store = await open();
    await expect(store.put(generated(100, 10))).rejects.toThrow('connection reset');
    expect(await filesUnder(store.root)).toEqual([]);
  });

  it('removes blobs, and removing twice is harmless', async () => {
    const store = await open();
    const blob = await store.put(Buffer.from('bye'));
    await store.remove(blob.key);
    await store.remove(blob.key);
    expect(await filesUnder(store.root)).toEqual([]);
    await expect(readAll(store.open(blob.key))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses keys that are not its own', async () => {
    const store = await open();
    for (const key of ['../../etc/passwd', '/etc/passwd', 'a/b', '', 'ZZZZZZZZ-0000-0000-0000-000000000000']) {
      expect(() => store.open(key)).toThrow(/Invalid blob key/);
      await expect(store.remove(key)).rejects.toThrow(/Invalid blob key/);
    }
  });

  it('removes its own temporary folder on close', async () => {
    const store = await createBlobStore();
    await store.put(Buffer.from('x'));
    expect(existsSync(store.root)).toBe(true);
    await store.close();
    expect(existsSync(store.root)).toBe(false);
  });

  it('keeps a given folder and its blobs on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'blobs-test-'));
    dirs.push(dir);
    const storageDir = join(dir, 'storage');
    const store = await createBlobStore(storageDir);
    const blob = await store.put(Buffer.from('persist'));
    await store.close();
    expect(existsSync(storageDir)).toBe(true);
    const again = await open(storageDir);
    expect((await readAll(again.open(blob.key))).toString()).toBe('persist');
  });
});
