import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

/** An upload body as it streams to XNAT, counting its bytes on the way. */
export interface CountedBody {
  /** True when the source ended before its first byte. */
  empty: boolean;
  stream: Readable;
  /** Bytes that have passed so far; the total once XNAT has answered. */
  bytes(): number;
}

/**
 * Waits for the first chunk only (never the whole file), so an empty upload can be told apart:
 * XNAT refuses an empty in-body upload, but stores an empty multipart file part.
 */
export async function countedBody(source: Readable | Buffer): Promise<CountedBody> {
  if (Buffer.isBuffer(source)) return { empty: source.length === 0, stream: Readable.from([source]), bytes: () => source.length };
  const chunks = source[Symbol.asyncIterator]();
  const first = await chunks.next();
  let total = 0;
  async function* all(): AsyncGenerator<Buffer> {
    if (first.done) return;
    total += (first.value as Buffer).length;
    yield first.value as Buffer;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      total += (next.value as Buffer).length;
      yield next.value as Buffer;
    }
  }
  return { empty: first.done === true, stream: Readable.from(all(), { objectMode: false }), bytes: () => total };
}

/** A multipart/form-data body holding one empty file part named `fileName`. */
export function emptyFilePart(fileName: string): { body: Buffer; contentType: string } {
  const boundary = `xnat-graphql-${randomUUID()}`;
  const quoted = fileName.replace(/["\\\r\n]/g, '_');
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n\r\n--${boundary}--\r\n`,
  );
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
