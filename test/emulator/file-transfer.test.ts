import { request } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, call, type CallOptions, csv, GUEST, useEmulator } from './client.js';

const storage = await mkdtemp(join(tmpdir(), 'emulator-files-test-'));
const emulator = useEmulator({ storage });
afterAll(() => rm(storage, { recursive: true, force: true }));

const MPRAGE = '/data/projects/test/subjects/sub-01/experiments/sub-01_MR1/scans/2/resources/nifti/files/mprage.nii.gz';
const SCAN2 = '/data/experiments/XNAT_E00001/scans/2';

async function bytes(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** Sends the path verbatim (fetch would normalise `%2e%2e` away before it left the client). */
function rawStatus(method: string, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(emulator().url);
    const req = request({ hostname, port, path, method, headers: { authorization: basic(ADMIN) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(method === 'PUT' ? body : undefined);
  });
}

async function names(path: string): Promise<string[]> {
  return (await csv(emulator(), `${path}?format=csv`)).map((r) => r.URI!.split('/files/')[1]!).sort();
}

describe('file downloads', () => {
  it('streams a file with length, type, disposition and Last-Modified', async () => {
    const res = await call(emulator(), MPRAGE);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="mprage.nii.gz"');
    expect(res.headers.get('last-modified')).toMatch(/GMT$/);
    const body = await bytes(res);
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const [listed] = await csv(emulator(), `${SCAN2}/resources/nifti/files?format=csv`);
    expect(Number(listed!.Size)).toBe(body.length);
    // The URI column addresses the same bytes.
    expect(await bytes(await call(emulator(), `/data${listed!.URI!}`))).toEqual(body);
  });

  it('serves inline types without an attachment disposition', async () => {
    const [txt] = (await csv(emulator(), '/data/projects/test/resources/protocols/files?format=csv')).filter((r) =>
      r.Name!.endsWith('.txt'),
    );
    const res = await call(emulator(), `/data${txt!.URI!}`);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('content-disposition')).toBeNull();
  });

  it('answers byte ranges with 206 and Content-Range, and 416 past the end', async () => {
    const full = await bytes(await call(emulator(), MPRAGE));
    const part = await call(emulator(), MPRAGE, { headers: { range: 'bytes=10-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-99/${full.length}`);
    expect(await bytes(part)).toEqual(full.subarray(10, 100));
    const tail = await call(emulator(), MPRAGE, { headers: { range: `bytes=${full.length - 5}-` } });
    expect(await bytes(tail)).toEqual(full.subarray(full.length - 5));
    const suffix = await call(emulator(), MPRAGE, { headers: { range: 'bytes=-7' } });
    expect(await bytes(suffix)).toEqual(full.subarray(full.length - 7));
    const beyond = await call(emulator(), MPRAGE, { headers: { range: `bytes=${full.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${full.length}`);
  });

  it('answers 404 for an unknown file, or 204 with accept-not-found=true', async () => {
    expect((await call(emulator(), `${SCAN2}/resources/nifti/files/nope.nii`)).status).toBe(404);
    expect((await call(emulator(), `${SCAN2}/resources/nifti/files/nope.nii?accept-not-found=true`)).status).toBe(204);
  });

  it('refuses path traversal in file paths, however it is spelled', async () => {
    // XNAT 1.8.4 on decodes a path only when it holds %20 or %2B; a decoded ".." is refused.
    for (const path of ['../../../etc/passwd', 'a/./b', 'a//b', '%2e%2e/x%20y', 'a/%2E%2E/b%2Bc']) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const status = await rawStatus(method, `${SCAN2}/resources/nifti/files/${path}?inbody=true`, 'x');
        expect([400, 404], `${method} ${path}`).toContain(status);
      }
    }
    // Without them, escapes stay literal characters of a name inside the resource.
    for (const path of ['%2e%2e/%2e%2e/x', 'a%5c..%5cb', '..%2f..%2fx']) {
      expect(await rawStatus('PUT', `${SCAN2}/resources/LITERAL/files/${path}?inbody=true`, 'x'), path).toBe(200);
      expect(await names(`${SCAN2}/resources/LITERAL/files`), path).toEqual([path]);
      expect(await rawStatus('DELETE', `${SCAN2}/resources/LITERAL/files/${path}`, ''), path).toBe(200);
    }
    const multipart = new FormData();
    multipart.append('file', new Blob(['x']), '../escape.txt');
    // Multipart file names lose their folders (busboy's default), so the part lands inside the resource.
    const post = await call(emulator(), `${SCAN2}/resources/TRAVERSAL/files`, { method: 'POST', body: multipart });
    expect(post.status).toBe(200);
    expect(await names(`${SCAN2}/resources/TRAVERSAL/files`)).toEqual(['escape.txt']);
    expect(await names(`${SCAN2}/resources/nifti/files`)).toEqual(['mprage.nii.gz']);
    expect(await readdir(storage)).toEqual(expect.arrayContaining(['blobs', 'incoming']));
  });
});

describe('zip downloads', () => {
  it('zips a resource with XNAT entry names and the original bytes', async () => {
    const res = await call(emulator(), `${SCAN2}/resources/nifti/files?format=zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sub-01_MR1.zip"');
    const entries = await unzip(await bytes(res));
    expect([...entries.keys()]).toEqual(['sub-01_MR1/scans/2-mprage/resources/nifti/files/mprage.nii.gz']);
    expect(entries.get('sub-01_MR1/scans/2-mprage/resources/nifti/files/mprage.nii.gz')).toEqual(
      await bytes(await call(emulator(), MPRAGE)),
    );
  });

  it('zips every scan file of several sessions, and 404s an empty selection', async () => {
    const entries = await unzip(
      await bytes(await call(emulator(), '/data/experiments/XNAT_E00001,XNAT_E00002/scans/ALL/files?format=zip')),
    );
    const listed = await csv(emulator(), '/data/experiments/XNAT_E00001,XNAT_E00002/scans/ALL/files?format=csv');
    expect(entries.size).toBe(listed.length);
    expect([...entries.keys()].some((n) => n.startsWith('sub-01_MR2/scans/'))).toBe(true);
    expect([...entries.keys()].every((n) => /^sub-01_MR[12]\/scans\/\d+-\w+\/resources\/\w+\/files\//.test(n))).toBe(true);
    const empty = await call(emulator(), '/data/experiments/XNAT_E00001/scans/ALL/files?format=zip&file_format=NOTHING');
    expect(empty.status).toBe(404);
  });
});

describe('uploads', () => {
  const RES = `${SCAN2}/resources/UPLOADS`;

  it('stores a raw inbody upload, creating the resource, and counts it on the resource', async () => {
    const put = await call(emulator(), `${RES}/files/raw.txt?inbody=true&format=TXT&content=NOTES&tags=a,b`, {
      method: 'PUT',
      body: 'raw bytes',
    });
    expect(put.status).toBe(200);
    expect(await put.text()).toBe('');
    expect(await (await call(emulator(), `${RES}/files/raw.txt`)).text()).toBe('raw bytes');
    const [row] = await csv(emulator(), `${RES}/files?format=csv`);
    expect(row).toMatchObject({ Name: 'raw.txt', Size: '9', file_format: 'TXT', file_content: 'NOTES', file_tags: 'a,b' });
    const resource = (await csv(emulator(), `${SCAN2}/resources?format=csv`)).find((r) => r.label === 'UPLOADS')!;
    expect(resource).toMatchObject({ file_count: '1', file_size: '9' });
  });

  it('refuses an in-body upload of unknown length (chunked) with 500, as XNAT does, and stores a chunked multipart body in nested folders', async () => {
    const chunks = () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('chunk one, '));
          controller.enqueue(new TextEncoder().encode('chunk two'));
          controller.close();
        },
      });
    const raw = await call(emulator(), `${RES}/files/deep/er/chunked.txt?inbody=true`, {
      method: 'POST',
      body: chunks(),
      duplex: 'half',
    } as CallOptions);
    expect(raw.status).toBe(500);
    const form = new FormData();
    form.append('file', new Blob(['chunk one, chunk two']), 'chunked.txt');
    const multipart = new Response(form);
    const res = await call(emulator(), `${RES}/files/deep/er/chunked.txt`, {
      method: 'POST',
      body: multipart.body,
      headers: { 'content-type': multipart.headers.get('content-type')! },
      duplex: 'half',
    } as CallOptions);
    expect(res.status).toBe(200);
    expect(await (await call(emulator(), `${RES}/files/deep/er/chunked.txt`)).text()).toBe('chunk one, chunk two');
    const folder = await csv(emulator(), `${RES}/files/deep/?format=csv`);
    expect(folder.map((r) => r.Name)).toEqual(['chunked.txt']);
  });

  it('stores multipart uploads under the URL path or the part file names', async () => {
    const one = new FormData();
    one.append('file', new Blob(['multipart one']), 'ignored.txt');
    expect((await call(emulator(), `${RES}/files/named.txt`, { method: 'POST', body: one })).status).toBe(200);
    const two = new FormData();
    two.append('a', new Blob(['A']), 'a.txt');
    two.append('b', new Blob(['B']), 'b.txt');
    expect((await call(emulator(), `${RES}/files`, { method: 'PUT', body: two })).status).toBe(200);
    expect(await (await call(emulator(), `${RES}/files/named.txt`)).text()).toBe('multipart one');
    expect(await (await call(emulator(), `${RES}/files/b.txt`)).text()).toBe('B');
  });

  it('reports a duplicate without overwrite=true and keeps the old bytes; overwrites when asked', async () => {
    const again = await call(emulator(), `${RES}/files/raw.txt?inbody=true`, { method: 'PUT', body: 'new bytes' });
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toMatch(/^text\/html/);
    expect(JSON.parse(await again.text())).toEqual({ duplicates: ['raw.txt'] });
    expect(await (await call(emulator(), `${RES}/files/raw.txt`)).text()).toBe('raw bytes');

    const overwrite = await call(emulator(), `${RES}/files/raw.txt?inbody=true&overwrite=true`, { method: 'PUT', body: 'new bytes' });
    expect(overwrite.status).toBe(200);
    expect(await (await call(emulator(), `${RES}/files/raw.txt`)).text()).toBe('new bytes');
  });

  it('extracts an uploaded zip with extract=true', async () => {
    const zip = await zipOf({ 'x/1.txt': 'one', '2.txt': 'two' });
    const res = await call(emulator(), `${SCAN2}/resources/EXTRACTED/files/bundle.zip?inbody=true&extract=true`, {
      method: 'PUT',
      body: new Uint8Array(zip),
    });
    expect(res.status).toBe(200);
    expect(await names(`${SCAN2}/resources/EXTRACTED/files`)).toEqual(['2.txt', 'x/1.txt']);
    expect(await (await call(emulator(), `${SCAN2}/resources/EXTRACTED/files/x/1.txt`)).text()).toBe('one');
  });

  it('creates no resource for an upload it refuses, and one for an upload it stores', async () => {
    const labels = async () => (await csv(emulator(), `${SCAN2}/resources?format=csv`)).map((r) => r.label);
    const refused = await call(emulator(), `${SCAN2}/resources/NODATA/files/x.bin`, {
      method: 'POST',
      body: 'bytes',
      headers: { 'content-type': 'application/json' },
    });
    expect(refused.status).toBe(400);
    const chunked = await call(emulator(), `${SCAN2}/resources/NODATA/files/x.bin?inbody=true`, { method: 'POST', body: '' });
    expect(chunked.status).toBe(500);
    expect(await labels()).not.toContain('NODATA');
    const stored = await call(emulator(), `${SCAN2}/resources/NODATA/files/x.bin?inbody=true`, { method: 'POST', body: 'bytes' });
    expect(stored.status).toBe(200);
    expect(await labels()).toContain('NODATA');
  });

  it('refuses an empty in-body upload but stores an empty multipart part', async () => {
    const raw = await call(emulator(), `${RES}/files/empty.txt?inbody=true`, { method: 'PUT', body: '' });
    expect(raw.status).toBe(500);
    const form = new FormData();
    form.append('file', new Blob([]), 'empty.txt');
    expect((await call(emulator(), `${RES}/files/empty.txt`, { method: 'PUT', body: form })).status).toBe(200);
    const [row] = (await csv(emulator(), `${RES}/files?format=csv`)).filter((r) => r.Name === 'empty.txt');
    expect(row!.Size).toBe('0');
    expect(await (await call(emulator(), `${RES}/files/empty.txt`)).text()).toBe('');
  });

  it('takes the body types of RequestUtil.supported_upload_types in-body without inbody=true, refuses others and multipart with inbody=true', async () => {
    for (const type of ['application/octet-stream', 'text/plain', 'application/dicom']) {
      const name = `raw-${type.replace('/', '_')}.bin`;
      const res = await call(emulator(), `${RES}/files/${name}`, { method: 'PUT', body: 'x', headers: { 'content-type': type } });
      expect(res.status, type).toBe(200);
      expect(await names(`${RES}/files`)).toContain(name);
    }
    const plain = await call(emulator(), `${RES}/files/plain.bin`, {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'application/json' },
    });
    expect(plain.status).toBe(400);
    const form = new FormData();
    form.append('f', new Blob(['x']), 'f.txt');
    expect((await call(emulator(), `${RES}/files/f.txt?inbody=true`, { method: 'PUT', body: form })).status).toBe(406);
  });

  it('answers a guest upload with 200 and stores nothing (XNAT quirk)', async () => {
    const res = await call(emulator(), `${RES}/files/guest.txt?inbody=true`, { method: 'PUT', body: 'guest', as: GUEST });
    expect(res.status).toBe(200);
    expect(await names(`${RES}/files`)).not.toContain('guest.txt');
  });

  it.each([
    ['raw', 'application/octet-stream', Buffer.alloc(1000, 1)],
    [
      'multipart',
      'multipart/form-data; boundary=XX',
      Buffer.concat([
        Buffer.from('--XX\r\nContent-Disposition: form-data; name="f"; filename="aborted.bin"\r\n\r\n'),
        Buffer.alloc(1000, 1),
      ]),
    ],
  ])('keeps no record and no bytes of a %s upload aborted mid-body', async (_kind, contentType, head) => {
    const blobCount = async () => (await readdir(join(storage, 'blobs'), { recursive: true })).length;
    const before = await blobCount();
    await new Promise<void>((resolve) => {
      const url = new URL(`${emulator().url}${RES}/files/aborted.bin?inbody=${_kind === 'raw'}`);
      const headers = { authorization: basic(ADMIN), 'content-length': '1000000', 'content-type': contentType };
      const req = request(url, { method: 'PUT', headers });
      req.on('error', () => resolve());
      req.write(head, () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    await sleep(200);
    expect(await names(`${RES}/files`)).not.toContain('aborted.bin');
    expect(await readdir(join(storage, 'incoming'))).toEqual([]);
    expect(await blobCount()).toBe(before);
  });
});

describe('deletes', () => {
  const RES = `${SCAN2}/resources/DOOMED`;

  it('deletes one file, a folder, then the resource; unknown files are 404, unknown resources 200', async () => {
    for (const path of ['a.txt', 'sub/b.txt', 'sub/c.txt']) {
      await call(emulator(), `${RES}/files/${path}?inbody=true`, { method: 'PUT', body: path });
    }
    expect((await call(emulator(), `${RES}/files/a.txt`, { method: 'DELETE' })).status).toBe(200);
    expect(await names(`${RES}/files`)).toEqual(['sub/b.txt', 'sub/c.txt']);
    expect((await call(emulator(), `${RES}/files/a.txt`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(emulator(), `${RES}/files/sub`, { method: 'DELETE' })).status).toBe(200);
    expect(await names(`${RES}/files`)).toEqual([]);
    expect((await call(emulator(), RES, { method: 'DELETE' })).status).toBe(200);
    expect((await csv(emulator(), `${SCAN2}/resources?format=csv`)).map((r) => r.label)).not.toContain('DOOMED');
    // XNAT lists no files, rather than 404, for a label no resource has.
    expect(await names(`${RES}/files`)).toEqual([]);
    expect((await call(emulator(), `${SCAN2}/resources/NEVER_THERE`, { method: 'DELETE' })).status).toBe(200);
  });

  it('deletes through the URI column of the files listing, which has no /data prefix', async () => {
    await call(emulator(), `${RES}/files/via-uri.txt?inbody=true`, { method: 'PUT', body: 'x' });
    const [row] = await csv(emulator(), `${RES}/files?format=csv`);
    expect(row!.URI).toMatch(/^\/experiments\/XNAT_E00001\/scans\/2\/resources\/\d+\/files\/via-uri\.txt$/);
    expect((await call(emulator(), `/data${row!.URI!}`, { method: 'DELETE' })).status).toBe(200);
    expect(await names(`${RES}/files`)).toEqual([]);
  });

  it('deletes every file whose path starts with the given path, and globs a trailing *', async () => {
    const put = (path: string) => call(emulator(), `${RES}/files/${path}?inbody=true`, { method: 'PUT', body: path });
    for (const path of ['IM1', 'IM10', 'IM1.bak', 'IM2', 'a/b', 'a/b.txt', 'a/c', 'x.y1', 'xzy2', 'keep']) await put(path);
    expect((await call(emulator(), `${RES}/files/IM1`, { method: 'DELETE' })).status).toBe(200);
    expect(await names(`${RES}/files`)).toEqual(['IM2', 'a/b', 'a/b.txt', 'a/c', 'keep', 'x.y1', 'xzy2']);
    expect((await call(emulator(), `${RES}/files/a/b`, { method: 'DELETE' })).status).toBe(200);
    expect(await names(`${RES}/files`)).toEqual(['IM2', 'a/c', 'keep', 'x.y1', 'xzy2']);
    // The path before the `*` is a Java regex, unescaped: `.` matches any character.
    expect((await call(emulator(), `${RES}/files/x.y*`, { method: 'DELETE' })).status).toBe(200);
    expect(await names(`${RES}/files`)).toEqual(['IM2', 'a/c', 'keep']);
    expect((await call(emulator(), `${RES}/files/nothing`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(emulator(), `${RES}/files/nothing?accept-not-found=true`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(emulator(), `${SCAN2}/resources/NEVER_THERE/files/keep`, { method: 'DELETE' })).status).toBe(400);
    // An empty path is everyone's prefix.
    expect((await call(emulator(), `${RES}/files`, { method: 'DELETE' })).status).toBe(200);
    expect(await names(`${RES}/files`)).toEqual([]);
  });
});
