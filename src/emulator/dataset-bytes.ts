import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FileSource } from './model.js';

/**
 * Dataset files are deterministic, so their bytes are regenerated on each read instead of being
 * copied to disk at start-up; only their size and MD5 are computed up front (for listings).
 */
export async function measureSource(source: FileSource): Promise<{ size: number; digest: string }> {
  const body = source();
  const hash = createHash('md5');
  let size = 0;
  for await (const chunk of Buffer.isBuffer(body) ? [body] : (body as AsyncIterable<Buffer>)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, digest: hash.digest('hex') };
}

async function* slice(body: Readable, start: number, end: number): AsyncGenerator<Buffer> {
  let position = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const from = Math.max(start - position, 0);
    const to = Math.min(end + 1 - position, chunk.length);
    if (from < to) yield chunk.subarray(from, to);
    position += chunk.length;
    if (position > end) break; // leaving the loop destroys the source
  }
}

/** The bytes of a dataset file as a byte stream, optionally an inclusive byte range of them. */
export function openSource(source: FileSource, range?: { start: number; end: number }): Readable {
  const body = source();
  if (Buffer.isBuffer(body)) {
    return Readable.from([range ? body.subarray(range.start, range.end + 1) : body], { objectMode: false });
  }
  return range ? Readable.from(slice(body, range.start, range.end), { objectMode: false }) : body;
}
