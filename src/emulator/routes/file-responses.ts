import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { zipStream } from '../zip-tar.js';
import { type SelectedFile, zipEntryName, zipName } from '../listings/file-listing.js';
import { HttpError } from '../responses.js';
import type { Archive } from '../store.js';

/** SecureResource.buildMediaType: a few inline types by extension, else octet-stream. */
const MEDIA_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.xml': 'text/xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.svg': 'image/svg+xml',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
};

function mediaTypeOf(path: string): string {
  return MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** A header-safe quoted file name. */
function dispositionName(name: string): string {
  return name.replace(/["\\\r\n]/g, '_');
}

type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; anything else is ignored (full answer). */
function parseRange(header: string | undefined, size: number): ByteRange {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, from = '', to = ''] = match;
  let start: number;
  let end: number;
  if (from === '') {
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

async function streamTo(res: ServerResponse, body: Readable): Promise<void> {
  try {
    await pipeline(body, res);
  } catch {
    // The client went away or the bytes failed mid-answer: the socket is all that is left to close.
    res.destroy();
  }
}

/** GET of one file: by-extension type, Last-Modified, and single byte ranges (206/416). */
export async function sendFile(req: IncomingMessage, res: ServerResponse, archive: Archive, selected: SelectedFile) {
  const { file } = selected;
  const type = mediaTypeOf(file.path);
  const name = file.path.split('/').pop() ?? file.path;
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Last-Modified': file.modified.toUTCString(),
    'Cache-Control': 'must-revalidate',
    'Accept-Ranges': 'bytes',
  };
  if (type === 'application/octet-stream') headers['Content-Disposition'] = `attachment; filename="${dispositionName(name)}"`;
  const range = parseRange(req.headers.range, file.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${file.size}`, 'Content-Length': '0' });
    res.end();
    return;
  }
  const length = range ? range.end - range.start + 1 : file.size;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Length': String(length),
    ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${file.size}` } : {}),
  });
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  await streamTo(res, archive.openFile(file, range));
}

/** `format=zip` on a files listing: streamed entry by entry; an empty selection is 404. */
export async function sendZip(res: ServerResponse, archive: Archive, files: SelectedFile[], compression?: string) {
  if (files.length === 0) throw new HttpError(404, 'No matching files');
  const level = compression === undefined ? undefined : Number(compression);
  if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 9)) {
    throw new HttpError(400, `Invalid compression: ${compression}`);
  }
  const body = zipStream(
    files.map((f) => ({
      name: zipEntryName(f),
      open: () => archive.openFile(f.file),
      size: f.file.size,
      mtime: f.file.modified,
    })),
    level === undefined ? {} : { compression: level },
  );
  res.writeHead(200, {
    'Content-Type': 'application/zip',
    'Content-Disposition': `attachment; filename="${dispositionName(zipName(files))}"`,
  });
  await streamTo(res, body);
}
