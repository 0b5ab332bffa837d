import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { zipTarFormat, ZipTarError, extractZipTar } from './zip-tar.js';
import type { ResourceRecord, StoredBlob } from './model.js';
import type { Query } from './query.js';
import { HttpError, sendText } from './responses.js';
import { checkRelativePath } from './file-paths.js';
import type { Archive } from './store.js';

/**
 * Content types taken as a raw file body even without `inbody=true`: the keys of
 * RequestUtil.supported_upload_types, matched by exact name as Restlet's MediaType equality does
 * (`text/*` is the literal type `text/*`, not every text type).
 */
const RAW_UPLOAD_TYPES = new Set([
  'text/*',
  'application/*',
  'text/plain',
  'text/xml',
  'text/csv',
  'application/dicom',
  'application/zip',
  'application/vnd.xnat.xar',
  'application/x-gtar',
  'application/x-gzip',
  'application/octet-stream',
  'application/pdf',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/x-tar',
  'application/msword',
  'image/*',
  'image/bmp',
  'image/gif',
  'image/x-icon',
  'image/jpeg',
  'image/png',
  'image/svg+xml',
  'image/tiff',
  'video/*',
  'video/x-msvideo',
  'video/mp4',
  'video/mpeg',
  'video/quicktime',
  'video/x-ms-wmv',
]);

interface UploadOptions {
  overwrite: boolean;
  extract: boolean;
  format: string;
  content: string;
  tags: string[];
}

function uploadOptions(query: Query): UploadOptions {
  return {
    overwrite: query.isTrue('overwrite'),
    extract: query.isTrue('extract'),
    format: query.get('format') ?? '',
    content: query.get('content') ?? '',
    tags: query.list('tags'),
  };
}

async function drain(stream: Readable): Promise<void> {
  stream.resume();
  await finished(stream).catch(() => undefined);
}

/** The resource an upload goes to: found now, or created only once a file is stored. */
export interface UploadTarget {
  /** The resource as it is now, if it exists. */
  find(): ResourceRecord | undefined;
  /** The resource, created when missing (XNAT creates it while adding the files). */
  obtain(): ResourceRecord;
}

/**
 * The files of one upload request. Bytes go to the blob store as they arrive; records (and a
 * missing resource) are written only by commit(), after the whole request arrived, so an
 * aborted or refused upload leaves none.
 */
class UploadBatch {
  readonly duplicates: string[] = [];
  readonly #pending = new Map<string, StoredBlob>();

  constructor(
    private readonly archive: Archive,
    private readonly target: UploadTarget,
    private readonly options: UploadOptions,
  ) {}

  #exists(path: string): boolean {
    const resource = this.target.find();
    return resource !== undefined && this.archive.file(resource.dbId, path) !== undefined;
  }

  async receive(path: string, body: Readable): Promise<void> {
    checkRelativePath(path);
    if (path === '' || path.endsWith('/')) throw new HttpError(400, 'No file name given');
    if (this.options.extract && zipTarFormat(path)) {
      // FileList extracts into the resource's root (destinationDir), whatever folder the URL names.
      for await (const entry of extractZipTar(body, posix.basename(path), { tmpDir: join(this.archive.blobs.root, 'incoming') })) {
        await this.#store(entry.path, entry.stream);
      }
      return;
    }
    await this.#store(path, body);
  }

  async #store(path: string, body: Readable): Promise<void> {
    if (!this.options.overwrite && this.#exists(path)) {
      this.duplicates.push(path);
      await drain(body);
      return;
    }
    const blob = await this.archive.blobs.put(body);
    const replaced = this.#pending.get(path);
    this.#pending.set(path, blob);
    if (replaced) await this.archive.blobs.remove(replaced.key);
  }

  async commit(): Promise<void> {
    const { format, content, tags } = this.options;
    for (const [path, blob] of this.#pending) {
      if (!this.options.overwrite && this.#exists(path)) {
        // A concurrent upload of the same path committed first; XNAT reports this one as a duplicate.
        this.duplicates.push(path);
        await this.archive.blobs.remove(blob.key);
        continue;
      }
      await this.archive.putFile({
        resourceDbId: this.target.obtain().dbId,
        path,
        size: blob.size,
        digest: blob.digest,
        blobKey: blob.key,
        format,
        content,
        tags,
      });
    }
    this.#pending.clear();
  }

  async discard(): Promise<void> {
    await Promise.all([...this.#pending.values()].map((b) => this.archive.blobs.remove(b.key)));
    this.#pending.clear();
  }
}

/** The folder a URL path names for multipart parts: itself when it ends in `/`, else its parent. */
function folderOf(filePath: string | undefined): string {
  if (!filePath) return '';
  if (filePath.endsWith('/')) return filePath;
  const dir = posix.dirname(filePath);
  return dir === '.' ? '' : `${dir}/`;
}

async function receiveMultipart(req: IncomingMessage, filePath: string | undefined, batch: UploadBatch): Promise<void> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, highWaterMark: 1 << 20, fileHwm: 1 << 20 });
  } catch {
    throw new HttpError(400, 'Malformed multipart request');
  }
  const work: Array<Promise<unknown>> = [];
  let firstError: unknown;
  const folder = folderOf(filePath);
  parser.on('file', (_field, stream, info) => {
    // The URL's path names the first file; further parts keep their own names beside it.
    const name = filePath && !filePath.endsWith('/') && work.length === 0 ? filePath : `${folder}${info.filename ?? ''}`;
    work.push(
      batch.receive(name, stream).catch(async (error: unknown) => {
        firstError ??= error;
        await drain(stream);
      }),
    );
  });
  try {
    await pipeline(req, parser);
  } catch (error) {
    firstError ??= req.complete ? new HttpError(400, 'Malformed multipart request') : error;
  }
  await Promise.all(work);
  if (firstError) throw firstError;
}

/** The client went away before sending its whole body (as opposed to us refusing it early). */
function clientAborted(req: IncomingMessage): boolean {
  return req.destroyed && !req.complete;
}

function rawFileName(filePath: string | undefined, contentType: string): string {
  if (filePath) return filePath;
  if (contentType.includes('zip')) return 'upload.zip';
  if (contentType.includes('tar')) return 'upload.tar';
  if (contentType.includes('gzip')) return 'upload.gz';
  return 'upload';
}

/**
 * PUT/POST …/resources/{r}/files[/{path}] once the resource is known and writable: a raw body
 * (`inbody=true` or an archive/image type) or multipart/form-data, streamed to the blob store.
 * A duplicate without `overwrite=true` is reported in XNAT's `{"duplicates":[…]}` body.
 */
export async function receiveUpload(
  req: IncomingMessage,
  res: ServerResponse,
  archive: Archive,
  target: UploadTarget,
  filePath: string | undefined,
  query: Query,
): Promise<void> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const multipart = contentType === 'multipart/form-data';
  const inbody = query.isTrue('inbody');
  if (inbody && multipart) throw new HttpError(406, 'Multipart bodies are not accepted with inbody=true');
  const raw = inbody || (!multipart && RAW_UPLOAD_TYPES.has(contentType));
  if (!raw && !multipart) {
    throw new HttpError(400, "The request didn't provide any data: try inbody=true or use multipart/form-data");
  }
  if (raw && !(Number(req.headers['content-length']) > 0) && contentType !== 'application/zip') {
    // SecureResource.getFileWritersAndLoadParams throws for an in-body entity of unknown (chunked)
    // or zero size unless it is application/zip, and FileList.handlePost answers any exception with 500.
    throw new HttpError(500, 'In-body File posts must include the file directly as the body of the message.');
  }
  const batch = new UploadBatch(archive, target, uploadOptions(query));
  try {
    if (raw) await batch.receive(rawFileName(filePath, contentType), req);
    else await receiveMultipart(req, filePath, batch);
  } catch (error) {
    await batch.discard();
    if (clientAborted(req)) {
      res.destroy();
      return;
    }
    if (error instanceof ZipTarError) throw new HttpError(400, error.message);
    throw error;
  }
  if (clientAborted(req)) {
    await batch.discard();
    res.destroy();
    return;
  }
  await batch.commit();
  if (batch.duplicates.length > 0) sendText(res, 200, JSON.stringify({ duplicates: batch.duplicates }), 'text/html');
  else sendText(res, 200, '');
}
