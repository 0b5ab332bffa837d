import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

/** An upload on its way to XNAT, counting the file's bytes. */
export interface UploadBody {
  body: Readable | Buffer;
  contentType: string;
  /** Length of the whole body, when the file's size is known up front. */
  contentLength?: number;
  /** Query parameters the body form needs (`inbody=true`). */
  query: Record<string, string>;
  /** File bytes that have passed so far; the total once XNAT has answered. */
  fileBytes(): number;
  /** MD5 (hex) of the file bytes once all of them have passed (XNAT's catalog digest), else undefined. */
  fileDigest(): string | undefined;
}

/**
 * The body XNAT gets for one file: the file's own bytes as the body (`inbody=true`, what pyxnat
 * sends) when its length is known and not zero, else a multipart part. XNAT refuses an in-body
 * upload whose length is unknown or zero unless it is application/zip
 * (SecureResource.getFileWritersAndLoadParams: entity size < 1), and a GraphQL multipart upload
 * never announces its file's length; XNAT's multipart parser takes a chunked body of any size,
 * an empty file included. Either way XNAT names the file from the URL path and unpacks an archive
 * (extract) by the last segment of that name (CatalogUtils.storeCatalogEntry).
 */
export function uploadBody(fileName: string, source: Readable | Buffer, options: { contentType?: string; size?: number } = {}): UploadBody {
  const size = Buffer.isBuffer(source) ? source.length : options.size;
  if (size !== undefined && size > 0) return inBodyUpload(source, size);
  return multipartUpload(fileName, source, options);
}

/**
 * The file as the request body, untouched. The client (undici) fails the request when the stream
 * ends short of or runs past `size`, so once XNAT has answered, exactly `size` bytes went up. The
 * type is always octet-stream: XNAT answers a multipart type with inbody=true 406.
 */
function inBodyUpload(source: Readable | Buffer, size: number): UploadBody {
  // A streamed body passes to undici untouched, so only a buffer's digest is known here.
  const digest = Buffer.isBuffer(source) ? createHash('md5').update(source).digest('hex') : undefined;
  return {
    body: source,
    contentType: 'application/octet-stream',
    contentLength: size,
    query: { inbody: 'true' },
    fileBytes: () => size,
    fileDigest: () => digest,
  };
}

/** One file as a multipart part; the part's file name only has to exist, so it is kept to plain ASCII. */
function multipartUpload(fileName: string, source: Readable | Buffer, options: { contentType?: string; size?: number }): UploadBody {
  const boundary = `xnat-graphql-${randomUUID()}`;
  const partName = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'upload';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${partName}"\r\n` +
      `Content-Type: ${options.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let total = 0;
  const md5 = createHash('md5');
  let digest: string | undefined;
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of Buffer.isBuffer(source) ? [source] : source) {
      total += (chunk as Buffer).length;
      md5.update(chunk as Buffer);
      yield chunk as Buffer;
    }
    digest = md5.digest('hex');
    yield tail;
  }
  return {
    body: Readable.from(parts(), { objectMode: false }),
    contentType: `multipart/form-data; boundary=${boundary}`,
    ...(options.size !== undefined ? { contentLength: head.length + options.size + tail.length } : {}),
    query: {},
    fileBytes: () => total,
    fileDigest: () => digest,
  };
}
