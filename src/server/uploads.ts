import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { processRequest, Upload } from 'graphql-upload-minimal';

/** Headers a browser cannot send cross-site without a CORS preflight (Apollo's CSRF rule). */
const preflightHeaders = ['apollo-require-preflight', 'x-apollo-operation-name', 'graphql-preflight'];

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}

export function isFormEncoded(req: IncomingMessage): boolean {
  return /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
}

export function hasPreflightHeader(req: IncomingMessage): boolean {
  return preflightHeaders.some((name) => {
    const value = req.headers[name];
    return typeof value === 'string' && value.trim() !== '';
  });
}

/** A refused multipart request, answered before any resolver runs. */
export class MultipartError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * graphql-upload-minimal reports a missing file, an oversized file or a client that went away as
 * plain errors with an HTTP status; resolvers would surface those as INTERNAL_SERVER_ERROR.
 */
function uploadError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const status = (error as { status?: number }).status;
  const message = (error as Error)?.message ?? String(error);
  return new GraphQLError(`Upload failed: ${message}`, { extensions: { code: 'BAD_USER_INPUT', ...(status ? { uploadStatus: status } : {}) } });
}

interface UploadedFile {
  filename: string;
  mimetype?: string;
  encoding?: string;
  createReadStream(): Readable;
}

/**
 * The file's bytes as they arrive, ending in an error (never a clean end) when busboy truncates
 * the file at the size limit or the request breaks off, so a partial file is never stored as complete.
 */
function guardedFile(file: UploadedFile): UploadedFile {
  return {
    ...file,
    createReadStream() {
      let source: Readable;
      try {
        source = file.createReadStream();
      } catch (error) {
        throw uploadError(error);
      }
      const out = new PassThrough();
      const fail = (error: unknown) => {
        source.unpipe(out);
        out.destroy(uploadError(error));
      };
      source.once('limit', () => fail(new MultipartError(413, 'the file exceeds the size limit of this gateway')));
      source.once('error', fail);
      source.once('end', () => {
        if ((source as Readable & { truncated?: boolean }).truncated) fail(new MultipartError(413, 'the file exceeds the size limit of this gateway'));
      });
      source.pipe(out);
      return out;
    },
  };
}

/** Every Upload placeholder in the operations, once per place it is mapped to. */
function uploadsIn(value: unknown, found: Upload[] = []): Upload[] {
  if (value instanceof Upload) found.push(value);
  else if (Array.isArray(value)) for (const item of value) uploadsIn(item, found);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) uploadsIn(item, found);
  return found;
}

/**
 * Parses a GraphQL multipart request as it streams: the operations come back as soon as the
 * `operations` and `map` parts have arrived, with each file still flowing from the socket.
 */
export async function parseMultipart(
  req: IncomingMessage,
  res: ServerResponse,
  limits: { maxFileSize: number; maxFiles: number },
): Promise<unknown> {
  // busboy flags a file as truncated when it reaches fileSize, so a file of exactly the limit needs one more byte of room.
  const operations = await processRequest(req, res, { maxFileSize: limits.maxFileSize + 1, maxFiles: limits.maxFiles });
  const uploads = uploadsIn(operations);
  if (new Set(uploads).size !== uploads.length) {
    // A streamed file can be read once; two mutations sharing it would store one whole and one empty file.
    for (const upload of new Set(uploads)) upload.promise.then((file) => file.createReadStream().resume(), () => {});
    throw new MultipartError(400, 'Each file part may be mapped to one variable only; send the file once per use.');
  }
  for (const upload of uploads) {
    const guarded = upload.promise.then(guardedFile, (error: unknown) => {
      throw uploadError(error);
    });
    guarded.catch(() => {});
    upload.promise = guarded as typeof upload.promise;
  }
  return operations;
}

export function sendGraphQLError(res: ServerResponse, status: number, message: string, code: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { 'content-type': 'application/graphql-response+json; charset=utf-8' });
  res.end(body);
}
