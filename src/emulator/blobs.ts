import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore, StoredBlob } from './model.js';

const KEY_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class BlobKeyError extends Error {
  constructor(key: string) {
    super(`Invalid blob key: ${JSON.stringify(key.slice(0, 80))}`);
    this.name = 'BlobKeyError';
  }
}

export function isBlobKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Counts bytes and hashes them on the way through, without holding them. */
class Measure extends Transform {
  readonly hash = createHash('md5');
  size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void) {
    this.size += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

class DiskBlobStore implements BlobStore {
  private closed = false;

  constructor(
    readonly root: string,
    private readonly owned: boolean,
  ) {}

  /** Blobs live in 256 sub-folders (made up front) by the first two key characters, so no folder grows huge. */
  private pathOf(key: string): string {
    if (!isBlobKey(key)) throw new BlobKeyError(key);
    return join(this.root, 'blobs', key.slice(0, 2), key);
  }

  async put(body: Readable | Buffer): Promise<StoredBlob> {
    if (this.closed) throw new Error('Blob store is closed');
    const key = randomUUID();
    const finalPath = this.pathOf(key);
    const partPath = join(this.root, 'incoming', `${key}.part`);
    if (Buffer.isBuffer(body)) {
      // Bytes already in hand (generated dataset files): one write, straight into place.
      try {
        await writeFile(finalPath, body, { flag: 'wx' });
      } catch (error) {
        // A partial write is ours to remove; an existing file (EEXIST) never is.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(finalPath, { force: true });
        throw error;
      }
      return { key, size: body.length, digest: createHash('md5').update(body).digest('hex') };
    }
    const measure = new Measure();
    try {
      await pipeline(body, measure, createWriteStream(partPath, { flags: 'wx' }));
      await rename(partPath, finalPath);
    } catch (error) {
      await rm(partPath, { force: true });
      throw error;
    }
    return { key, size: measure.size, digest: measure.hash.digest('hex') };
  }

  open(key: string, range?: { start: number; end: number }): Readable {
    const path = this.pathOf(key);
    if (range && (range.start < 0 || range.end < range.start)) {
      throw new RangeError(`Invalid byte range ${range.start}-${range.end}`);
    }
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async remove(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.owned) await rm(this.root, { recursive: true, force: true });
    else await rm(join(this.root, 'incoming'), { recursive: true, force: true });
  }
}

/**
 * File bytes on disk under `dir` (created when missing and kept on close), or under a fresh
 * temporary folder that `close()` removes. Uploads stream to `incoming/` while their size and
 * MD5 are computed, then move into place, so an aborted upload leaves nothing behind.
 */
export async function createBlobStore(dir?: string): Promise<BlobStore> {
  let root: string;
  if (dir) {
    root = dir;
    await mkdir(root, { recursive: true });
  } else {
    root = await mkdtemp(join(tmpdir(), 'xnat-emulator-blobs-'));
  }
  await Promise.all(
    Array.from({ length: 256 }, (_, i) => mkdir(join(root, 'blobs', i.toString(16).padStart(2, '0')), { recursive: true })),
  );
  // Parts left by a crash of an earlier run are never completed: start clean.
  await rm(join(root, 'incoming'), { recursive: true, force: true });
  await mkdir(join(root, 'incoming'), { recursive: true });
  return new DiskBlobStore(root, !dir);
}
