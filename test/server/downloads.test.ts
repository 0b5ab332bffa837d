import { get } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, basic, startStack, type Stack } from '../support/stack.js';
import { codes, download } from '../support/e2e.js';
import { unzip } from '../support/zip.js';

/** `downloadUrl`s served by the gateway: headers, ranges, zips, credentials and aborts, over real HTTP. */

interface FileInfo {
  name: string;
  path: string;
  size: number;
  downloadUrl: string;
}

let stack: Stack;
let protocolTxt: FileInfo;
let consentPdf: FileInfo;
let protocols: { downloadUrl: string; files: FileInfo[] };
let privateFile: FileInfo;

beforeAll(async () => {
  stack = await startStack({ gateway: { credentials: ADMIN } });
  const response = await stack.graphql(`{
    test: project(id: "test") { resource(label: "protocols") { downloadUrl files { nodes { name path size downloadUrl } } } }
    priv: project(id: "PRIV_ONC") { resources { nodes { files { nodes { name path size downloadUrl } } } } }
  }`);
  expect(response.errors).toBeUndefined();
  protocols = { downloadUrl: response.data.test.resource.downloadUrl, files: response.data.test.resource.files.nodes };
  protocolTxt = protocols.files.find((f) => f.name === 'MR_protocol.txt')!;
  consentPdf = protocols.files.find((f) => f.name === 'consent_form.pdf')!;
  privateFile = response.data.priv.resources.nodes[0].files.nodes[0];
  expect(protocolTxt && consentPdf && privateFile).toBeTruthy();
});

afterAll(async () => {
  await stack?.close();
});

/** Who XNAT saw asking for file bytes (session logins and other requests aside). */
function usersOfFileRequests(on: Stack): (string | null)[] {
  return on.emulator.requests
    .entries()
    .filter((e) => e.path.includes('/files/'))
    .map((e) => e.user);
}

/** The same bytes straight from the emulator. */
async function xnatBytes(uri: string): Promise<Buffer> {
  const response = await fetch(`${stack.emulator.url}${uri}`, { headers: { authorization: basic(ADMIN) } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('file downloads', () => {
  it('pass Content-Type, Content-Length and Content-Disposition with the exact bytes', async () => {
    const response = await download(consentPdf.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe(String(consentPdf.size));
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;.*filename="consent_form\.pdf"/);
    expect(response.bytes.length).toBe(consentPdf.size);
    expect(response.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(response.bytes.equals(await xnatBytes('/data/projects/test/resources/protocols/files/consent_form.pdf'))).toBe(true);
  });

  it('names a unicode or nested file correctly in Content-Disposition', async () => {
    const { data } = await stack.graphql('{ project(id: "test") { id } }');
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query:
          'mutation ($p: ID!, $f: Upload!) { uploadFile(parent: $p, resource: "names", file: $f, name: "dir/Résumé 脑.txt") { downloadUrl } }',
        variables: { p: data.project.id, f: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.f'] }));
    form.append('0', new Blob(['naming']), 'x.txt');
    const upload = await fetch(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { authorization: basic(ADMIN), 'graphql-preflight': '1' },
      body: form,
    });
    const body = (await upload.json()) as { data: { uploadFile: { downloadUrl: string } } };
    const response = await download(body.data.uploadFile.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.bytes.toString()).toBe('naming');
    const disposition = response.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('Résumé 脑.txt')}`);
    expect(disposition).not.toContain('dir/');
  });

  it('Range: bytes=10-99 → 206 with those bytes and Content-Range', async () => {
    const full = (await download(protocolTxt.downloadUrl)).bytes;
    const partial = await download(protocolTxt.downloadUrl, ADMIN, { range: 'bytes=10-99' });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 10-99/${protocolTxt.size}`);
    expect(partial.headers.get('content-length')).toBe('90');
    expect(partial.bytes.equals(full.subarray(10, 100))).toBe(true);

    const suffix = await download(protocolTxt.downloadUrl, ADMIN, { range: 'bytes=-7' });
    expect(suffix.status).toBe(206);
    expect(suffix.bytes.equals(full.subarray(full.length - 7))).toBe(true);
  });

  it('a Range beyond the end → 416 with Content-Range, not a gateway error', async () => {
    const response = await download(protocolTxt.downloadUrl, ADMIN, { range: `bytes=${protocolTxt.size + 100}-` });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${protocolTxt.size}`);
    expect(codes(JSON.parse(response.bytes.toString()))).toEqual(['BAD_USER_INPUT']);
  });

  it('HEAD answers the headers without a body; other methods get 405', async () => {
    const head = await fetch(protocolTxt.downloadUrl, { method: 'HEAD', headers: { authorization: basic(ADMIN) } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(protocolTxt.size));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const post = await fetch(protocolTxt.downloadUrl, { method: 'POST', headers: { authorization: basic(ADMIN) } });
    expect(post.status).toBe(405);
    await post.arrayBuffer();
  });

  it('ids that are not files, or not ids at all, get coded 4xx answers', async () => {
    const resourceAsFile = await download(protocols.downloadUrl.replace('/download/resource/', '/download/file/'));
    expect(resourceAsFile.status).toBe(400);
    expect(codes(JSON.parse(resourceAsFile.bytes.toString()))).toEqual(['BAD_USER_INPUT']);
    const garbage = await download(`${stack.gateway.url}/download/file/not-an-id!`);
    expect(garbage.status).toBe(400);
    expect(codes(JSON.parse(garbage.bytes.toString()))).toEqual(['BAD_USER_INPUT']);
    // A forged id whose path climbs out of its resource never reaches XNAT.
    stack.emulator.requests.clear();
    const forged = Buffer.from(
      JSON.stringify(['F', ['R', ['P', 'test'], 'protocols'], '../../../PRIV_ONC/resources/data_use/files/DUA.txt']),
    ).toString('base64url');
    const climbing = await download(`${stack.gateway.url}/download/file/${forged}`);
    expect(climbing.status).toBe(400);
    expect(codes(JSON.parse(climbing.bytes.toString()))).toEqual(['BAD_USER_INPUT']);
    expect(stack.emulator.requests.count()).toBe(0);
    const unknown = await download(`${stack.gateway.url}/download/other/x`);
    expect(unknown.status).toBe(404);
  });
});

describe('resource downloads', () => {
  it('are a zip holding the resource’s files', async () => {
    const response = await download(protocols.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;.*\.zip/);
    const entries = await unzip(response.bytes);
    const names = [...entries.keys()];
    expect(names).toHaveLength(protocols.files.length);
    for (const file of protocols.files) {
      const entry = names.find((name) => name === file.path || name.endsWith(`/${file.path}`));
      expect(entry, `${file.path} in ${names.join(', ')}`).toBeDefined();
      const bytes = (await download(file.downloadUrl)).bytes;
      expect(entries.get(entry!)!.equals(bytes)).toBe(true);
    }
  });
});

describe('download credentials', () => {
  it('uses the caller’s Basic credentials: guest cannot fetch a private project’s file', async () => {
    stack.emulator.requests.clear();
    const response = await download(privateFile.downloadUrl, GUEST);
    // XNAT answers a project the user cannot read as not found (404), never revealing that it exists.
    expect(response.status).toBe(404);
    expect(codes(JSON.parse(response.bytes.toString()))).toEqual(['NOT_FOUND']);
    expect(response.bytes.toString()).not.toContain('guest:guest');
    expect(usersOfFileRequests(stack)).toEqual(['guest']);

    const asAdmin = await download(privateFile.downloadUrl, ADMIN);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.bytes.length).toBe(privateFile.size);
  });

  it('guest can fetch a public project’s file, as guest', async () => {
    stack.emulator.requests.clear();
    const response = await download(protocolTxt.downloadUrl, GUEST);
    expect(response.status).toBe(200);
    expect(usersOfFileRequests(stack)).toEqual(['guest']);
  });

  it('without credentials, the configured ones are used', async () => {
    stack.emulator.requests.clear();
    const response = await download(privateFile.downloadUrl, null);
    expect(response.status).toBe(200);
    expect(response.bytes.length).toBe(privateFile.size);
    expect(usersOfFileRequests(stack)).toEqual(['admin']);
  });

  it('wrong credentials: 401 UNAUTHENTICATED; a malformed Authorization header: 401', async () => {
    const wrong = await download(protocolTxt.downloadUrl, { user: 'admin', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(codes(JSON.parse(wrong.bytes.toString()))).toEqual(['UNAUTHENTICATED']);
    const malformed = await download(protocolTxt.downloadUrl, null, { authorization: 'Bearer something' });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('without credentials and none configured, XNAT is asked anonymously (and says 401)', async () => {
    await using bare = await startStack();
    const url = protocolTxt.downloadUrl.replace(stack.gateway.url, bare.gateway.url);
    bare.emulator.requests.clear();
    const response = await download(url, null);
    expect(response.status).toBe(401);
    expect(codes(JSON.parse(response.bytes.toString()))).toEqual(['UNAUTHENTICATED']);
    expect(usersOfFileRequests(bare)).toEqual([null]);
    expect((await download(url, GUEST)).status).toBe(200);
  });
});

describe('XNAT failing a download', () => {
  let touchy: Stack;
  let url: string;
  beforeAll(async () => {
    touchy = await startStack({ gateway: { credentials: ADMIN, upstreamTimeoutMs: 500 } });
    const { data } = await touchy.graphql(
      '{ project(id: "test") { resource(label: "protocols") { file(name: "MR_protocol.txt") { downloadUrl } } } }',
    );
    url = data.project.resource.file.downloadUrl;
  });
  afterAll(async () => {
    await touchy?.close();
  });

  it('XNAT answering 500 → 502 UPSTREAM_ERROR', async () => {
    touchy.emulator.faults.add({ path: /\/files\/MR_protocol\.txt$/, status: 500, times: 10 });
    const response = await download(url);
    touchy.emulator.faults.clear();
    expect(response.status).toBe(502);
    expect(codes(JSON.parse(response.bytes.toString()))).toEqual(['UPSTREAM_ERROR']);
  });

  it('XNAT not answering within the upstream timeout → 504 UPSTREAM_TIMEOUT', async () => {
    touchy.emulator.faults.add({ path: /\/files\/MR_protocol\.txt$/, delayMs: 5_000, times: 10 });
    const response = await download(url);
    touchy.emulator.faults.clear();
    expect(response.status).toBe(504);
    expect(codes(JSON.parse(response.bytes.toString()))).toEqual(['UPSTREAM_TIMEOUT']);
  });

  it('still serves the file once XNAT recovers', async () => {
    const response = await download(url);
    expect(response.status).toBe(200);
  });
});

describe('a client that goes away mid-download', () => {
  let narrow: Stack;
  let projectId: string;
  beforeAll(async () => {
    // One upstream connection: a download the gateway failed to abort would block every later request.
    narrow = await startStack({ gateway: { credentials: ADMIN, maxUpstreamConnections: 1 } });
    projectId = (await narrow.graphql('{ project(id: "test") { id } }')).data.project.id;
  });
  afterAll(async () => {
    await narrow?.close();
  });

  function metrics(): Promise<string> {
    return fetch(`${narrow.gateway.url}/metrics`).then((r) => r.text());
  }

  it('aborts the XNAT request while XNAT has not answered yet', async () => {
    const { data } = await narrow.graphql(
      '{ project(id: "test") { resource(label: "protocols") { file(name: "MR_protocol.txt") { downloadUrl } } } }',
    );
    const url = data.project.resource.file.downloadUrl as string;
    narrow.emulator.faults.add({ path: /\/files\/MR_protocol\.txt$/, delayMs: 60_000 });
    narrow.emulator.requests.clear();

    const client = new AbortController();
    const pending = fetch(url, { headers: { authorization: basic(ADMIN) }, signal: client.signal }).catch((error: Error) => error);
    await expect.poll(() => narrow.emulator.requests.count({ method: 'GET' }), { timeout: 10_000, interval: 20 }).toBe(1);
    client.abort();
    expect(await pending).toBeInstanceOf(Error);

    // The gateway counts its XNAT request as ended without an answer (status 0), long before XNAT would answer.
    await expect
      .poll(async () => /^xnat_upstream_requests_total\{.*files\/\{path\}.*status="0"\} 1$/m.test(await metrics()), {
        timeout: 10_000,
        interval: 50,
      })
      .toBe(true);
    // And the only upstream connection is free again.
    const next = await narrow.graphql('{ project(id: "test") { label } }');
    expect(next.data.project.label).toBe('test');
  });

  it('stops streaming a large file and keeps serving', async () => {
    const big = randomBytes(24 * 1024 * 1024);
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: 'mutation ($p: ID!, $f: Upload!) { uploadFile(parent: $p, resource: "big", file: $f) { size downloadUrl } }',
        variables: { p: projectId, f: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.f'] }));
    form.append('0', new Blob([big]), 'big.bin');
    const upload = await fetch(narrow.gateway.graphqlUrl, {
      method: 'POST',
      headers: { authorization: basic(ADMIN), 'graphql-preflight': '1' },
      body: form,
    });
    const uploaded = (await upload.json()) as { data: { uploadFile: { size: number; downloadUrl: string } } };
    expect(uploaded.data?.uploadFile, JSON.stringify(uploaded)).toBeTruthy();
    const file = uploaded.data.uploadFile;
    expect(file.size).toBe(big.length);

    // Read the first chunk, then hang up.
    const received = await new Promise<number>((resolve, reject) => {
      const request = get(file.downloadUrl, { headers: { authorization: basic(ADMIN) } }, (response) => {
        expect(response.statusCode).toBe(200);
        response.once('data', (chunk: Buffer) => {
          request.destroy();
          resolve(chunk.length);
        });
      });
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    });
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(big.length);

    // The same single upstream connection serves the next requests, and the whole file still arrives intact.
    const next = await narrow.graphql('{ project(id: "test") { label } }');
    expect(next.data.project.label).toBe('test');
    const whole = await download(file.downloadUrl);
    expect(whole.bytes.equals(big)).toBe(true);
  });
});
