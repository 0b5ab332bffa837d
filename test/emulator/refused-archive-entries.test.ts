import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { call, csv, useEmulator } from './client.js';

const emulator = useEmulator();
const SCAN2 = '/data/experiments/XNAT_E00001/scans/2';
/** Well past the ~10 KB of stream buffers that a destroyed part left busboy waiting on. */
const BIG = 'x'.repeat(300_000);

async function tarOf(entries: Array<[string, string]>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of entries) pack.entry({ name }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** yazl refuses to write `..` names, so they are written as `__` and patched (same length) afterwards. */
async function zipOf(entries: Array<[string, string]>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of entries) zip.addBuffer(Buffer.from(content), name.replaceAll('..', '__'));
  zip.end();
  const chunks: Buffer[] = [];
  const built = await new Promise<Buffer>((resolve, reject) => {
    zip.outputStream
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
  return Buffer.from(built.toString('latin1').replaceAll('__/evil.txt', '../evil.txt'), 'latin1');
}

// A good entry first (its bytes already on their way to storage), then one the emulator refuses,
// then more bytes the request still has to deliver.
const entries: Array<[string, string]> = [
  ['ok.txt', BIG],
  ['../evil.txt', 'bad'],
  ['after.txt', BIG],
];

describe('an archive upload with a refused entry', { timeout: 30_000 }, () => {
  it.each([
    ['multipart tar', 'a.tar', () => tarOf(entries), true],
    ['multipart tar.gz', 'a.tar.gz', async () => gzipSync(await tarOf(entries)), true],
    ['multipart zip', 'a.zip', () => zipOf(entries), true],
    ['in-body tar', 'a.tar', () => tarOf(entries), false],
  ] as const)('%s is answered 400 promptly, with nothing stored', async (_kind, name, build, multipart) => {
    const label = `REFUSED_${name.replace(/\W/g, '_')}_${multipart ? 'mp' : 'raw'}`;
    const archive = await build();
    let body: BodyInit;
    if (multipart) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(archive)]), name);
      body = form;
    } else body = new Uint8Array(archive);
    const res = await call(emulator(), `${SCAN2}/resources/${label}/files/${name}?extract=true${multipart ? '' : '&inbody=true'}`, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/evil/);
    const labels = (await csv(emulator(), `${SCAN2}/resources?format=csv`)).map((r) => r.label);
    expect(labels).not.toContain(label);
    // The emulator still answers afterwards.
    expect((await call(emulator(), `${SCAN2}/resources?format=json`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
  });
});
