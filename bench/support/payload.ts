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

/**
 * A GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec) as
 * a stream of Buffers: `operations`, the `map` sending part `0` to `variable`, then the file part,
 * streamed from `file`. Send it with `content-type: multipart/form-data; boundary=<boundary>`.
 */
export async function* graphqlUploadBody(
  boundary: string,
  operations: { query: string; variables: Record<string, unknown> },
  variable: string,
  fileName: string,
  file: AsyncIterable<Buffer>,
): AsyncGenerator<Buffer> {
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify(operations)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: [`variables.${variable}`] })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  yield* file;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}
