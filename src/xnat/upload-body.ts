import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

/** An upload on its way to XNAT as a multipart/form-data body, counting the file's bytes. */
export interface MultipartUpload {
  body: Readable;
  contentType: string;
  /** Length of the whole body, when the file's size is known up front. */
  contentLength?: number;
  /** File bytes that have passed so far; the total once XNAT has answered. */
  fileBytes(): number;
}

/**
 * Streams one file to XNAT as a multipart part. XNAT refuses an in-body upload whose length is
 * unknown (SecureResource.getFileWritersAndLoadParams: entity size -1 or 0), and a GraphQL
 * multipart upload never announces its file's length, while XNAT's multipart parser takes a
 * chunked body of any size, an empty file included. XNAT names the file from the URL path; the
 * part's file name only has to exist, so it is kept to plain ASCII.
 */
export function multipartUpload(fileName: string, source: Readable | Buffer, options: { contentType?: string; size?: number } = {}): MultipartUpload {
  const boundary = `xnat-graphql-${randomUUID()}`;
  const partName = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'upload';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${partName}"\r\n` +
      `Content-Type: ${options.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let total = 0;
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of Buffer.isBuffer(source) ? [source] : source) {
      total += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    yield tail;
  }
  return {
    body: Readable.from(parts(), { objectMode: false }),
    contentType: `multipart/form-data; boundary=${boundary}`,
    ...(options.size !== undefined ? { contentLength: head.length + options.size + tail.length } : {}),
    fileBytes: () => total,
  };
}
