import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZipTarError, zipTarFormat, extractZipTar, safeEntryPath, zipStream, type ZipEntrySource } from '../../src/emulator/zip-tar.js';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function bufferEntry(name: string, content: string | Buffer): ZipEntrySource {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { name, size: bytes.length, open: () => Readable.from([bytes]) };
}

interface ReadZipEntry {
  name: string;
  method: number;
  data: Buffer;
}

function readZip(buffer: Buffer): Promise<ReadZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out: ReadZipEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          readAll(stream).then((data) => {
            out.push({ name: entry.fileName, method: entry.compressionMethod, data });
            zip.readEntry();
          }, reject);
        });
      });
      zip.readEntry();
    });
  });
}

async function zipOf(entries: Array<[string, string]>): Promise<Buffer> {
  return readAll(zipStream(entries.map(([name, content]) => bufferEntry(name, content))));
}

/** Builds a tar from [name, content | null (directory), type?] entries. */
async function tarOf(entries: Array<{ name: string; content?: string; type?: 'file' | 'directory' | 'symlink'; linkname?: string }>) {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type && e.type !== 'file') pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else pack.entry({ name: e.name }, e.content ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function extractAll(body: Buffer, fileName: string, tmpDir?: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const entry of extractZipTar(Readable.from([body]), fileName, { tmpDir })) {
    out[entry.path] = (await readAll(entry.stream)).toString();
  }
  return out;
}

/** Rewrites every occurrence of a same-length byte string (names in local and central headers). */
function patch(buffer: Buffer, from: string, to: string): Buffer {
  expect(from.length).toBe(to.length);
  const out = Buffer.from(buffer);
  let at = out.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  while (at >= 0) {
    out.write(to, at, 'latin1');
    at = out.indexOf(from, at + 1);
  }
  return out;
}

describe('zipStream', () => {
  it('writes a zip that a reader accepts, deflated by default', async () => {
    const zip = await zipOf([
      ['sub-01_MR1/scans/2-mprage/resources/nifti/files/mprage.nii.gz', 'volume'],
      ['sub-01_MR1/scans/1-localizer/resources/DICOM/files/secondary/1.dcm', 'dicom'],
    ]);
    const entries = await readZip(zip);
    expect(entries.map((e) => [e.name, e.data.toString(), e.method])).toEqual([
      ['sub-01_MR1/scans/2-mprage/resources/nifti/files/mprage.nii.gz', 'volume', 8],
      ['sub-01_MR1/scans/1-localizer/resources/DICOM/files/secondary/1.dcm', 'dicom', 8],
    ]);
  });

  it('stores entries uncompressed with compression=0', async () => {
    const body = Buffer.alloc(10_000, 7);
    const zip = await readAll(zipStream([bufferEntry('a.bin', body)], { compression: 0 }));
    const [entry] = await readZip(zip);
    expect(entry?.method).toBe(0);
    expect(entry?.data.equals(body)).toBe(true);
    expect(zip.length).toBeGreaterThan(10_000);
  });

  it('writes an empty archive when given no entries', async () => {
    const zip = await readAll(zipStream([]));
    expect(await readZip(zip)).toEqual([]);
  });

  it('opens entries lazily, one at a time', async () => {
    let open = 0;
    let maxOpen = 0;
    const opened: string[] = [];
    const entries: ZipEntrySource[] = ['a', 'b', 'c'].map((name) => ({
      name,
      size: 100_000,
      open: () => {
        opened.push(name);
        open++;
        maxOpen = Math.max(maxOpen, open);
        const stream = Readable.from([Buffer.alloc(50_000, 1), Buffer.alloc(50_000, 2)]);
        stream.on('end', () => open--);
        return stream;
      },
    }));
    const archive = zipStream(entries);
    // The writer starts on the first entry at once; the rest wait for it.
    expect(opened.length).toBeLessThanOrEqual(1);
    const zip = await readAll(archive);
    expect(opened).toEqual(['a', 'b', 'c']);
    expect(maxOpen).toBe(1);
    expect((await readZip(zip)).map((e) => e.data.length)).toEqual([100_000, 100_000, 100_000]);
  });

  it('fails the archive stream when an entry fails', async () => {
    const failing: ZipEntrySource = {
      name: 'broken.bin',
      size: 10,
      open: () =>
        new Readable({
          read() {
            this.destroy(new Error('disk gone'));
          },
        }),
    };
    await expect(readAll(zipStream([bufferEntry('ok.txt', 'fine'), failing]))).rejects.toThrow('disk gone');
  });

  it('fails the archive stream when an entry is shorter than its declared size', async () => {
    const short = { ...bufferEntry('short.txt', 'abc'), size: 10 };
    await expect(readAll(zipStream([short]))).rejects.toThrow(/unexpected number of bytes/);
  });

  it('releases the open entry when the reader goes away', async () => {
    let entryStream: Readable | undefined;
    const endless: ZipEntrySource = {
      name: 'endless.bin',
      size: 1024 * 1024 * 1024,
      open: () => {
        entryStream = new Readable({
          read() {
            this.push(Buffer.alloc(65536, 3));
          },
        });
        return entryStream;
      },
    };
    const archive = zipStream([endless, bufferEntry('never.txt', 'x')], { compression: 0 });
    for await (const _chunk of archive) break; // for-await's break destroys the stream
    await new Promise((r) => setImmediate(r));
    expect(entryStream?.destroyed).toBe(true);
  });

  it('rejects compression levels outside 0..9', () => {
    expect(() => zipStream([], { compression: 10 })).toThrow(RangeError);
  });

  it('streams a large entry without holding it in memory', async () => {
    const size = 256 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x5a);
    const entry: ZipEntrySource = {
      name: 'big.bin',
      size,
      open: () =>
        Readable.from(
          (function* () {
            for (let sent = 0; sent < size; sent += chunk.length) yield chunk;
          })(),
          { objectMode: false },
        ),
    };
    const before = process.memoryUsage().rss;
    let total = 0;
    let peak = before;
    for await (const piece of zipStream([entry], { compression: 0 })) {
      total += (piece as Buffer).length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(total).toBeGreaterThan(size);
    expect(peak - before).toBeLessThan(96 * 1024 * 1024);
  });
});

describe('zipTarFormat and safeEntryPath', () => {
  it('recognises the archive names XNAT unpacks', () => {
    expect(zipTarFormat('upload.ZIP')).toBe('zip');
    expect(zipTarFormat('x.tar')).toBe('tar');
    expect(zipTarFormat('x.tar.gz')).toBe('tar.gz');
    expect(zipTarFormat('x.tgz')).toBe('tar.gz');
    expect(zipTarFormat('mprage.nii.gz')).toBeNull();
    expect(zipTarFormat('notes.txt')).toBeNull();
  });

  it('accepts relative paths and normalises ./', () => {
    expect(safeEntryPath('a/b/c.dcm')).toBe('a/b/c.dcm');
    expect(safeEntryPath('./a/./b.txt')).toBe('a/b.txt');
  });

  it.each(['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\\b', '..', 'a//b', '', '.', 'a\u0000b'])('refuses %j', (name) => {
    expect(() => safeEntryPath(name)).toThrow(ZipTarError);
  });
});

describe('extractZipTar', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archive-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('unpacks a zip, keeping folders and skipping directory entries, and removes its spool file', async () => {
    const zipFile = new (await import('yazl')).default.ZipFile();
    zipFile.addEmptyDirectory('DICOM');
    zipFile.addBuffer(Buffer.from('one'), 'DICOM/1.dcm');
    zipFile.addBuffer(Buffer.from('two'), 'DICOM/secondary/2.dcm');
    zipFile.addBuffer(Buffer.from('top'), 'readme.txt');
    zipFile.end();
    const zip = await readAll(zipFile.outputStream as unknown as Readable);
    expect(await extractAll(zip, 'upload.zip', dir)).toEqual({
      'DICOM/1.dcm': 'one',
      'DICOM/secondary/2.dcm': 'two',
      'readme.txt': 'top',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('unpacks zips made by zipStream', async () => {
    const zip = await zipOf([
      ['a.txt', 'A'],
      ['b/c.txt', 'C'],
    ]);
    expect(await extractAll(zip, 'x.zip', dir)).toEqual({ 'a.txt': 'A', 'b/c.txt': 'C' });
  });

  it('moves on when the consumer skips an entry', async () => {
    const zip = await zipOf([
      ['a.txt', 'A'.repeat(100_000)],
      ['b.txt', 'B'],
    ]);
    const seen: string[] = [];
    let last = '';
    for await (const entry of extractZipTar(Readable.from([zip]), 'x.zip', { tmpDir: dir })) {
      seen.push(entry.path);
      if (entry.path === 'b.txt') last = (await readAll(entry.stream)).toString();
    }
    expect(seen).toEqual(['a.txt', 'b.txt']);
    expect(last).toBe('B');
  });

  it('cleans up when the consumer stops early', async () => {
    const zip = await zipOf([
      ['a.txt', 'A'],
      ['b.txt', 'B'],
    ]);
    for await (const entry of extractZipTar(Readable.from([zip]), 'x.zip', { tmpDir: dir })) {
      await readAll(entry.stream);
      break;
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['xx/evil.txt', '../evil.txt'],
    ['Xetc/passwd', '/etc/passwd'],
    ['aXb.txt', 'a\\b.txt'],
  ])('refuses a zip entry named %j patched to %j', async (name, evil) => {
    const zip = patch(await zipOf([[name, 'bad']]), name, evil);
    await expect(extractAll(zip, 'x.zip', dir)).rejects.toThrow(ZipTarError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a body that is not a zip', async () => {
    await expect(extractAll(Buffer.from('not a zip at all'), 'x.zip', dir)).rejects.toThrow(ZipTarError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('unpacks a tar, skipping directories and links', async () => {
    const body = await tarOf([
      { name: 'DICOM', type: 'directory' },
      { name: 'DICOM/1.dcm', content: 'one' },
      { name: './DICOM/secondary/2.dcm', content: 'two' },
      { name: 'link', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'empty.txt', content: '' },
    ]);
    expect(await extractAll(body, 'upload.tar')).toEqual({
      'DICOM/1.dcm': 'one',
      'DICOM/secondary/2.dcm': 'two',
      'empty.txt': '',
    });
  });

  it('unpacks .tar.gz and .tgz', async () => {
    const body = gzipSync(
      await tarOf([
        { name: 'a/b.txt', content: 'hello' },
        { name: 'c.txt', content: 'x'.repeat(70_000) },
      ]),
    );
    const expected = { 'a/b.txt': 'hello', 'c.txt': 'x'.repeat(70_000) };
    expect(await extractAll(body, 'upload.tar.gz')).toEqual(expected);
    expect(await extractAll(body, 'upload.tgz')).toEqual(expected);
  });

  it('moves on in a tar when the consumer skips an entry', async () => {
    const body = await tarOf([
      { name: 'a.txt', content: 'A'.repeat(100_000) },
      { name: 'b.txt', content: 'B' },
    ]);
    const out: string[] = [];
    for await (const entry of extractZipTar(Readable.from([body]), 'x.tar')) {
      out.push(entry.path === 'b.txt' ? (await readAll(entry.stream)).toString() : entry.path);
    }
    expect(out).toEqual(['a.txt', 'B']);
  });

  it.each(['../evil.txt', '/etc/passwd', 'a\\b.txt'])('refuses a tar entry named %j', async (name) => {
    const body = await tarOf([{ name, content: 'bad' }]);
    await expect(extractAll(body, 'x.tar')).rejects.toThrow(ZipTarError);
  });

  it('refuses a corrupt tar.gz', async () => {
    await expect(extractAll(Buffer.from('garbage'), 'x.tar.gz')).rejects.toThrow(ZipTarError);
  });

  it('passes a file that is not an archive through as one entry', async () => {
    expect(await extractAll(Buffer.from('volume'), 'mprage.nii.gz')).toEqual({ 'mprage.nii.gz': 'volume' });
  });
});
