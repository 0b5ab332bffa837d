/** Generated payloads for transfer benchmarks: streamed in 1 MiB chunks, never held whole. */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export const MiB = 1024 * 1024;

/**
 * `size` incompressible bytes as 1 MiB chunks (a random block stamped with a chunk counter);
 * `md5()` is the digest of what was produced, valid once the generator is exhausted.
 */
export function generatedChunks(size: number): { chunks: () => AsyncGenerator<Buffer>; md5: () => string; produced: () => number } {
  const block = randomBytes(MiB);
  const hash = createHash('md5');
  let produced = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    let counter = 0;
    while (produced < size) {
      const length = Math.min(MiB, size - produced);
      const chunk = Buffer.from(block.subarray(0, length));
      if (length >= 4) chunk.writeUInt32LE(counter++, 0);
      hash.update(chunk);
      produced += length;
      yield chunk;
    }
  }
  let digest: string | undefined;
  return { chunks, md5: () => (digest ??= hash.digest('hex')), produced: () => produced };
}

/** A Readable over an async generator of Buffers (object mode off, so undici sends bytes). */
export function readableOf(chunks: AsyncIterable<Buffer>): Readable {
  return Readable.from(chunks, { objectMode: false });
}

/** Consumes a body stream: byte count and MD5. */
export async function drain(body: AsyncIterable<Buffer | Uint8Array>): Promise<{ bytes: number; md5: string }> {
  const hash = createHash('md5');
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { bytes, md5: hash.digest('hex') };
}
