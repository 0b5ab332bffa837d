import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GraphQLError } from 'graphql';
import { processRequest, Upload } from 'graphql-upload-minimal';
import { gatewayError } from '../errors.js';

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
  return gatewayError('BAD_USER_INPUT', `Upload failed: ${message}`, status ? { uploadStatus: status } : {});
}

interface UploadedFile {
  filename: string;
  mimetype?: string;
  encoding?: string;
  createReadStream(): Readable;
}

const tooLarge = () => new MultipartError(413, 'the file exceeds the size limit of this gateway');

/**
 * A file's bytes as busboy delivers them, ending in an error (never a clean end) when busboy
 * truncates the file at the size limit or the request breaks off, so a partial file is never
 * stored as complete.
 */
function guarded(source: Readable, into: Writable): void {
  const fail = (error: unknown) => {
    source.unpipe(into);
    into.destroy(uploadError(error));
  };
  source.once('limit', () => fail(tooLarge()));
  source.once('error', fail);
  source.once('end', () => {
    if ((source as Readable & { truncated?: boolean }).truncated) fail(tooLarge());
  });
  source.pipe(into);
}

/**
 * Bytes of out-of-order file parts the gateway holds on disk: per request, and per caller over
 * all its requests in flight (a caller is its credential's HMAC; anonymous callers share one).
 */
export class SpoolBudget {
  readonly #byCaller = new Map<string, number>();

  constructor(
    readonly maxPerRequest: number,
    readonly maxPerCaller: number,
  ) {}

  /** Takes `bytes` for the caller; false (nothing taken) when that would pass its bound. */
  take(caller: string, bytes: number): boolean {
    const used = this.#byCaller.get(caller) ?? 0;
    if (used + bytes > this.maxPerCaller) return false;
    this.#byCaller.set(caller, used + bytes);
    return true;
  }

  give(caller: string, bytes: number): void {
    const left = (this.#byCaller.get(caller) ?? 0) - bytes;
    if (left > 0) this.#byCaller.set(caller, left);
    else this.#byCaller.delete(caller);
  }
}

/** The request's share of the spool: its caller, and the bytes it holds. */
interface SpoolAccount {
  budget: SpoolBudget;
  caller: string;
  held: number;
}

const spoolFull = (account: SpoolAccount) =>
  new MultipartError(
    413,
    `A file part arrived before the parts the operations read first, and holding it would take more than this gateway keeps on disk ` +
      `(${account.budget.maxPerRequest} bytes per request, ${account.budget.maxPerCaller} per caller): send each file part in the order the operations use them.`,
  );

/** Reads a file part to its end without keeping it. */
function discard(file: UploadedFile): void {
  try {
    file
      .createReadStream()
      .once('error', () => {})
      .resume();
  } catch {
    // Already read, or the request broke off.
  }
}

/** What the gateway knows about one file part while the operation runs. */
interface Slot {
  arrived?: UploadedFile;
  /** A resolver awaits this file. */
  awaited: boolean;
  /** A resolver has taken the file's stream. */
  taken: boolean;
  /** The part was drained to a temporary file so that later parts could arrive. */
  spool?: Promise<string>;
}

/**
 * Files are read straight from the socket, so a resolver waiting for a part that comes after an
 * unread one would wait forever (the unread part holds the request back). When that happens, the
 * unread parts are drained to temporary files and read from there later.
 */
class UploadStreams {
  readonly #slots: Slot[] = [];
  #dir: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly account: SpoolAccount,
    private readonly onSpool: (bytes: number, refused: boolean) => void,
  ) {}

  /** Replaces the upload's promise with one that tracks when it is awaited and serves guarded streams. */
  track(upload: Upload): void {
    const slot: Slot = { awaited: false, taken: false };
    this.#slots.push(slot);
    const settled = upload.promise.then(
      (file) => {
        slot.arrived = file;
        if (this.#closed) discard(file);
        this.#schedule();
        return this.#serve(file, slot);
      },
      (error: unknown) => {
        throw uploadError(error);
      },
    );
    settled.catch(() => {});
    // A thenable, not a Promise: `await` on a native promise would not call an overridden then().
    const tracked = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose (see above)
      then: (onFulfilled?: (file: UploadedFile) => unknown, onRejected?: (error: unknown) => unknown) => {
        if (!slot.awaited) {
          slot.awaited = true;
          this.#schedule();
        }
        return settled.then(onFulfilled, onRejected);
      },
      catch: (onRejected?: (error: unknown) => unknown) => settled.catch(onRejected),
      finally: (onFinally?: () => void) => settled.finally(onFinally),
    };
    upload.promise = tracked as unknown as typeof upload.promise;
  }

  /** Removes the temporary files (once the response is out, no resolver reads them any more). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    // Parts no resolver read (a write refused before its file) are read and dropped, so the request
    // ends and its keep-alive connection can carry the client's next request.
    for (const slot of this.#slots) if (slot.arrived && !slot.taken && !slot.spool) discard(slot.arrived);
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    this.account.budget.give(this.account.caller, this.account.held);
    this.account.held = 0;
  }

  /** Counts a spooled chunk against the request's and the caller's bounds; false when past either. */
  #hold(bytes: number): boolean {
    const account = this.account;
    if (this.#closed || account.held + bytes > account.budget.maxPerRequest || !account.budget.take(account.caller, bytes)) return false;
    account.held += bytes;
    return true;
  }

  #schedule(): void {
    // A resolver still awaiting a file after the response (client gone) must not spool anew.
    if (this.#closed) return;
    // A short grace period: usually the resolver holding the earlier part takes its stream at once.
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#drainIfStuck(), 25);
  }

  #drainIfStuck(): void {
    if (!this.#slots.some((s) => s.awaited && !s.arrived)) return;
    for (const slot of this.#slots) {
      if (slot.arrived && !slot.taken && !slot.spool) this.#spool(slot, slot.arrived);
    }
  }

  #spool(slot: Slot, file: UploadedFile): void {
    if (this.#closed) return;
    this.#dir ??= mkdtempSync(join(tmpdir(), 'xnat-graphql-upload-'));
    const path = join(this.#dir, String(this.#slots.indexOf(slot)));
    slot.spool = new Promise<string>((resolve, reject) => {
      let source: Readable;
      try {
        source = file.createReadStream();
      } catch (error) {
        reject(uploadError(error));
        return;
      }
      const sink = createWriteStream(path, { mode: 0o600 });
      let bytes = 0;
      const counted = new Transform({
        transform: (chunk: Buffer, _encoding, done) => {
          if (!this.#hold(chunk.length)) {
            done(spoolFull(this.account));
            return;
          }
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      sink.once('finish', () => {
        this.onSpool(bytes, false);
        resolve(path);
      });
      const fail = (error: unknown) => {
        if (error instanceof MultipartError) this.onSpool(bytes, true);
        // Drop the rest of the part (busboy must reach the parts after it) and the partial copy.
        source.unpipe();
        source.resume();
        sink.destroy();
        rmSync(path, { force: true });
        reject(uploadError(error));
      };
      counted.once('error', fail);
      sink.once('error', fail);
      counted.pipe(sink);
      guarded(source, counted);
    });
    slot.spool.catch(() => {});
  }

  #serve(file: UploadedFile, slot: Slot): UploadedFile {
    return {
      ...file,
      createReadStream: () => {
        if (slot.taken) throw uploadError(new Error('the file was already read'));
        slot.taken = true;
        const out = new PassThrough();
        if (slot.spool) {
          slot.spool.then(
            (path) =>
              createReadStream(path)
                .once('error', (error) => out.destroy(uploadError(error)))
                .pipe(out),
            (error: unknown) => out.destroy(uploadError(error)),
          );
          return out;
        }
        let source: Readable;
        try {
          source = file.createReadStream();
        } catch (error) {
          throw uploadError(error);
        }
        guarded(source, out);
        return out;
      },
    };
  }
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
  spool: { budget: SpoolBudget; caller: string; onSpool: (bytes: number, refused: boolean) => void },
): Promise<unknown> {
  // busboy flags a file as truncated when it reaches fileSize, so a file of exactly the limit needs one more byte of room.
  const operations = await processRequest(req, res, { maxFileSize: limits.maxFileSize + 1, maxFiles: limits.maxFiles });
  const uploads = uploadsIn(operations);
  if (new Set(uploads).size !== uploads.length) {
    // A streamed file can be read once; two mutations sharing it would store one whole and one empty file.
    for (const upload of new Set(uploads))
      upload.promise.then(
        (file) => file.createReadStream().resume(),
        () => {},
      );
    throw new MultipartError(400, 'Each file part may be mapped to one variable only; send the file once per use.');
  }
  const streams = new UploadStreams({ budget: spool.budget, caller: spool.caller, held: 0 }, spool.onSpool);
  res.once('close', () => streams.close());
  for (const upload of uploads) streams.track(upload);
  return operations;
}

/** Headers that describe the multipart body, which yoga must not see: busboy alone reads it. */
const bodyHeaders = new Set(['content-length', 'content-type', 'transfer-encoding']);

/** What runs a GraphQL operation whose parameters the gateway parsed itself (yoga's fetch). */
export interface OperationRunner {
  fetch(input: string, init: RequestInit, context: { uploadParams: unknown }): Promise<Response> | Response;
}

/**
 * Runs already-parsed operations through yoga on a body-less request carrying the caller's other
 * headers (credentials, cookies, origin). Handing yoga the socket itself would let its body-size
 * guard start reading the stream the file is still arriving on.
 */
export function runParsed(
  yoga: OperationRunner,
  req: IncomingMessage,
  uploadParams: unknown,
  overrides: Record<string, string> = {},
): Promise<Response> | Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || bodyHeaders.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  for (const [name, value] of Object.entries(overrides)) headers.set(name, value);
  return yoga.fetch(`http://${req.headers.host ?? 'localhost'}/graphql`, { method: 'POST', headers }, { uploadParams });
}

/** Runs already-parsed multipart operations through yoga and streams its answer. */
export async function executeUpload(
  yoga: OperationRunner,
  req: IncomingMessage,
  res: ServerResponse,
  uploadParams: unknown,
): Promise<void> {
  const response = await runParsed(yoga, req, uploadParams);
  // A body cut off for silence was answered already (408). A client that hung up is not: writing
  // to its closed response fails, and the router logs that as a disconnect.
  if (res.headersSent) return;
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  // yoga's fetch ponyfill streams are async iterables, not Node's web streams.
  await pipeline(Readable.from(response.body as unknown as AsyncIterable<Uint8Array>), res);
}
