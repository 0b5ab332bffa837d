import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import yazl from 'yazl';

export interface ZipEntrySource {
  /** Entry name inside the archive, '/'-separated. */
  name: string;
  /** Opens the entry's bytes; called only when the entry is written, one entry at a time. */
  open: () => Readable;
  size: number;
  /** Modification time stored in the entry; defaults to now. */
  mtime?: Date;
}

export interface ZipOptions {
  /**
   * Deflate level 0..9, as XNAT's `compression=` parameter. 0 stores entries uncompressed.
   * Default: deflate (zlib's default level 6), as XNAT's zip download does.
   */
  compression?: number;
}

/**
 * A zip archive streamed entry by entry: each entry's bytes are opened only when the writer
 * reaches it, so memory stays flat whatever the archive's size. Sizes let the writer use
 * Zip64 records past 4 GiB. An entry whose stream fails destroys the archive stream.
 */
export function zipStream(entries: ZipEntrySource[], options: ZipOptions = {}): Readable {
  const level = options.compression ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new RangeError(`compression must be an integer from 0 to 9, got ${options.compression}`);
  }
  const zip = new yazl.ZipFile();
  const output = new PassThrough();
  const fail = (error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error)));
  zip.on('error', fail);
  let current: Readable | undefined;

  for (const entry of entries) {
    const entryOptions: Partial<yazl.ReadStreamOptions> = { size: entry.size, compressionLevel: level };
    if (entry.mtime) entryOptions.mtime = entry.mtime;
    zip.addReadStreamLazy(entry.name, entryOptions, (callback) => {
      let stream: Readable;
      try {
        stream = entry.open();
      } catch (error) {
        callback(error, undefined as unknown as NodeJS.ReadableStream);
        return;
      }
      stream.once('error', fail);
      current = stream;
      callback(null, stream);
    });
  }
  zip.end();
  const source = zip.outputStream as unknown as Readable;
  source.on('error', fail);
  source.pipe(output);
  // A consumer that goes away (client disconnect) releases the open entry and stops the writer.
  output.once('close', () => {
    if (source.readableEnded) return;
    source.unpipe(output);
    current?.destroy();
    source.destroy();
  });
  return output;
}

export type ZipTarFormat = 'zip' | 'tar' | 'tar.gz';

/**
 * Which archive an upload named `fileName` is, for `extract=true`: `.zip`, `.tar`, `.tar.gz`
 * or `.tgz` (case-insensitive). Anything else, plain `.gz` included, is not unpacked.
 */
export function zipTarFormat(fileName: string): ZipTarFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  return null;
}

export class ZipTarError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZipTarError';
  }
}

/**
 * Validates an entry's path and returns it without a leading `./`: relative, '/'-separated,
 * no `..`, no backslashes, no control characters.
 */
export function safeEntryPath(name: string): string {
  const problem = (why: string) => new ZipTarError(`Refusing archive entry ${JSON.stringify(name)}: ${why}`);
  if (name.includes('\\')) throw problem('backslash in path');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  if (/[\u0000-\u001f]/.test(name)) throw problem('control character in path');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw problem('absolute path');
  const segments = name.split('/').filter((segment, i, all) => !(segment === '.' || (segment === '' && i === all.length - 1)));
  if (segments.some((segment) => segment === '..')) throw problem('".." in path');
  if (segments.some((segment) => segment === '')) throw problem('empty path segment');
  if (segments.length === 0) throw problem('empty path');
  return segments.join('/');
}

export interface ExtractedEntry {
  /** Validated relative path inside the archive. */
  path: string;
  /** The entry's bytes; read it to the end (or destroy it) before asking for the next entry. */
  stream: Readable;
}

export interface ExtractOptions {
  /** Where a zip upload is spooled before reading (zip needs random access). Default: the OS temp dir. */
  tmpDir?: string;
}

/**
 * Unpacks an uploaded archive entry by entry. Zip bodies are first written to a temporary file
 * (removed afterwards); tar and tar.gz are read as they arrive. Directory entries are skipped,
 * as are links and special files; a bad entry path throws {@link ZipTarError}. A name that is
 * not an archive yields the body itself as one entry under that name.
 */
export async function* extractZipTar(
  body: Readable,
  fileName: string,
  options: ExtractOptions = {},
): AsyncGenerator<ExtractedEntry, void, undefined> {
  const format = zipTarFormat(fileName);
  if (format === 'zip') yield* zipEntries(body, options.tmpDir ?? tmpdir());
  else if (format === 'tar' || format === 'tar.gz') yield* tarEntries(body, format === 'tar.gz');
  else {
    const path = safeEntryPath(fileName);
    yield { path, stream: body };
    await settle(body);
  }
}

/** After the consumer moves on: drain what it left unread, and wait for the stream to finish. */
async function settle(stream: Readable): Promise<void> {
  if (stream.destroyed || stream.readableEnded) return;
  if (stream.readableFlowing !== true) stream.resume();
  await finished(stream).catch(() => undefined);
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) reject(new ZipTarError(`Not a readable zip archive: ${error?.message ?? 'unknown error'}`, { cause: error }));
      else resolve(zip);
    });
  });
}

function nextZipEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new ZipTarError(`Bad zip archive: ${error.message}`, { cause: error }));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function openZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(new ZipTarError(`Cannot read zip entry ${entry.fileName}: ${error?.message}`, { cause: error }));
      else resolve(stream);
    });
  });
}

async function* zipEntries(body: Readable, dir: string): AsyncGenerator<ExtractedEntry, void, undefined> {
  const spool = join(dir, `xnat-upload-${randomUUID()}.zip`);
  let zip: yauzl.ZipFile | undefined;
  try {
    await pipeline(body, createWriteStream(spool, { flags: 'wx' }));
    zip = await openZip(spool);
    for (let entry = await nextZipEntry(zip); entry; entry = await nextZipEntry(zip)) {
      if (entry.fileName.endsWith('/')) continue;
      const path = safeEntryPath(entry.fileName);
      if (entry.isEncrypted()) throw new ZipTarError(`Encrypted zip entry ${path} is not supported`);
      const stream = await openZipEntry(zip, entry);
      yield { path, stream };
      await settle(stream);
    }
  } finally {
    zip?.close();
    await rm(spool, { force: true });
  }
}

async function* tarEntries(body: Readable, gzipped: boolean): AsyncGenerator<ExtractedEntry, void, undefined> {
  const extract = tar.extract();
  const fail = (error: unknown) => extract.destroy(error instanceof Error ? error : new Error(String(error)));
  // Piped by hand, not with pipeline(): on a refused entry pipeline would destroy the body, and a
  // destroyed multipart part (or request) leaves the rest of the request unread, so the answer
  // never goes out. The body is drained instead (finally below).
  const gunzip = gzipped ? createGunzip() : undefined;
  body.once('error', fail);
  gunzip?.once('error', fail);
  if (gunzip) body.pipe(gunzip).pipe(extract);
  else body.pipe(extract);
  try {
    for await (const entry of extract) {
      const type = entry.header.type ?? 'file';
      if (type !== 'file' && type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      const path = safeEntryPath(entry.header.name);
      // tar-stream entries are streamx streams; consumers get a plain Node stream.
      const stream = Readable.from(entry, { objectMode: false });
      yield { path, stream };
      await settle(stream);
      // Whatever the consumer left unread must be read for the parser to reach the next header.
      entry.resume();
    }
  } catch (error) {
    if (error instanceof ZipTarError) throw error;
    throw new ZipTarError(`Bad ${gzipped ? 'tar.gz' : 'tar'} archive: ${(error as Error).message}`, { cause: error });
  } finally {
    body.unpipe();
    gunzip?.unpipe();
    gunzip?.destroy();
    extract.destroy();
    // Whatever follows a refused entry is read and dropped, so the request completes and is answered.
    if (!body.destroyed && !body.readableEnded) body.resume();
  }
}
