import { connect } from 'node:net';
import { readFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, basic, type Credentials, multipartRequest, startStack, type Stack } from '../support/stack.js';
import { codes, download, runCli, xnatFiles, type CliProcess } from '../support/e2e.js';

/** The raw-body upload route (`PUT /upload/<parent id>/<resource>/<path>`) over real HTTP, gateway in front of the emulator. */

const MEMBER: Credentials = { user: 'member', password: 'member' };
const COLLAB: Credentials = { user: 'collab', password: 'collab' };

const FIELDS = 'id uri name path size format content tags digest downloadUrl';
const UPLOAD = /* GraphQL */ `
  mutation Upload($parent: ID!, $resource: String!, $file: Upload!, $name: String, $overwrite: Boolean, $extract: Boolean) {
    uploadFile(parent: $parent, resource: $resource, file: $file, name: $name, overwrite: $overwrite, extract: $extract) { ${FIELDS} }
  }
`;

let stack: Stack;
let project: string;
let experiment: string;
let experimentXnatPath: string;
let neuroSession: string;
let neuroSessionXnatPath: string;

beforeAll(async () => {
  stack = await startStack({ gateway: { corsOrigins: ['https://app.example.org'] } });
  const ids = await stack.graphql(`{
    project(id: "test") { id experiments(first: 1) { nodes { id uri } } }
    neuro: project(id: "PROT_NEURO") { experiments { nodes { id uri shared } } }
  }`);
  expect(ids.errors).toBeUndefined();
  project = ids.data.project.id;
  experiment = ids.data.project.experiments.nodes[0].id;
  experimentXnatPath = ids.data.project.experiments.nodes[0].uri;
  // One PROT_NEURO owns (a shared one is written only through its owner).
  const owned = ids.data.neuro.experiments.nodes.find((e: { shared: boolean }) => !e.shared);
  neuroSession = owned.id;
  neuroSessionXnatPath = owned.uri;
});

afterAll(async () => {
  await stack?.close();
});

function uploadUrl(parent: string, resource: string, path: string, query = ''): string {
  const segments = [parent, resource, ...path.split('/')].map(encodeURIComponent).join('/');
  return `${stack.gateway.url}/upload/${segments}${query}`;
}

async function put(url: string, body: Buffer, options: { auth?: Credentials | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'graphql-preflight': '1', ...options.headers };
  if (options.auth !== null) headers['authorization'] = basic(options.auth ?? ADMIN);
  const response = await request(url, { method: 'PUT', headers, body });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: JSON.parse(text || 'null') as any };
}

async function names(xnatPath: string, resource: string): Promise<string[]> {
  return ((await xnatFiles(stack.emulator, `${xnatPath}/resources/${resource}`)) ?? [])
    .map((f) => decodeURIComponent(f.URI.split('/files/')[1]!))
    .sort();
}

/** Writes a request by hand: headers, then `body`, then the write side closed. Answers what came back. */
async function rawRequest(head: string, body: Buffer): Promise<string> {
  const { hostname, port } = new URL(stack.gateway.url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => {});
  let answer = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (answer += chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  socket.end();
  await closed;
  return answer;
}

function rawHead(path: string, contentLength: number, auth: Credentials = ADMIN): string {
  const { host } = new URL(stack.gateway.url);
  return `PUT ${path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${basic(auth)}\r\ngraphql-preflight: 1\r\nContent-Length: ${contentLength}\r\n\r\n`;
}

/** XNAT POSTs the gateway has seen end (its /metrics count an upstream request once XNAT's side of it is over). */
async function upstreamPosts(): Promise<number> {
  const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
  return [...text.matchAll(/^xnat_upstream_requests_total\{.*method="POST".*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Runs `send` and waits until the upload it started at XNAT has ended. */
async function settled(send: () => Promise<unknown>): Promise<void> {
  const before = await upstreamPosts();
  await send();
  await expect.poll(upstreamPosts, { timeout: 10_000, interval: 50 }).toBeGreaterThan(before);
}

describe('PUT /upload/<parent>/<resource>/<path>', () => {
  it('answers exactly what uploadFile answers, and XNAT gets the body itself with its length', async () => {
    const bytes = randomBytes(300_000);
    const viaMutation = await multipartRequest(
      stack.gateway.graphqlUrl,
      { query: UPLOAD, variables: { parent: experiment, resource: 'raw_same', name: 'dir/same name.bin', overwrite: true, file: null } },
      { '0': ['variables.file'] },
      [{ field: '0', bytes, filename: 'same.bin' }],
    );
    expect(viaMutation.errors, viaMutation.raw).toBeUndefined();

    stack.emulator.requests.clear();
    const raw = await put(uploadUrl(experiment, 'raw_same', 'dir/same name.bin', '?overwrite=true'), bytes);
    expect(raw.status, raw.text).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^application\/json/);
    expect(raw.json).toEqual({ data: viaMutation.data });
    expect(raw.json.data.uploadFile).toMatchObject({
      path: 'dir/same name.bin',
      size: bytes.length,
      digest: createHash('md5').update(bytes).digest('hex'),
    });

    const posts = stack.emulator.requests.entries().filter((e) => e.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.query).toMatch(/(^|&)inbody=true(&|$)/);
    const fetched = await download(raw.json.data.uploadFile.downloadUrl);
    expect(fetched.bytes.equals(bytes)).toBe(true);
  });

  it('uploadUrl fields give the route, with the names encoded as the route reads them', async () => {
    const found = await stack.graphql(
      `query ($id: ID!) { node(id: $id) { ... on Experiment {
        uploadUrl(resource: "raw_url", name: "a b/ü+1.txt", overwrite: true)
        resource(label: "raw_same") { uploadUrl(name: "next.txt") }
      } } }`,
      { id: experiment },
    );
    expect(found.errors).toBeUndefined();
    const { uploadUrl: url, resource } = found.data.node;
    expect(resource.uploadUrl).toBe(uploadUrl(experiment, 'raw_same', 'next.txt'));
    const stored = await put(url, Buffer.from('unicode and a plus\n'));
    expect(stored.status, stored.text).toBe(200);
    expect(stored.json.data.uploadFile.path).toBe('a b/ü+1.txt');
    expect(await names(experimentXnatPath, 'raw_url')).toEqual(['a b/ü+1.txt']);

    // Assessors hold resources too.
    const assessors = await stack.graphql(
      '{ project(id: "test") { experiments { nodes { assessors { nodes { uri uploadUrl(resource: "raw_assessor", name: "qc.txt") } } } } } }',
    );
    expect(assessors.errors).toBeUndefined();
    const assessor = assessors.data.project.experiments.nodes.flatMap((e: any) => e.assessors?.nodes ?? [])[0];
    expect((await put(assessor.uploadUrl, Buffer.from('assessed\n'))).status).toBe(200);
    expect(await names(assessor.uri, 'raw_assessor')).toEqual(['qc.txt']);

    // So do reconstructions (their `out` resources).
    const reconstructions = await stack.graphql(
      '{ project(id: "test") { experiments { nodes { reconstructions { nodes { uri uploadUrl(resource: "raw_recon", name: "fa.txt") } } } } } }',
    );
    expect(reconstructions.errors).toBeUndefined();
    const recon = reconstructions.data.project.experiments.nodes.flatMap((e: any) => e.reconstructions?.nodes ?? [])[0];
    expect((await put(recon.uploadUrl, Buffer.from('fractional anisotropy\n'))).status).toBe(200);
    expect(await names(`${recon.uri}/out`, 'raw_recon')).toEqual(['fa.txt']);

    const refused = await stack.graphql(
      'query ($id: ID!) { node(id: $id) { ... on Experiment { uploadUrl(resource: "with space", name: "x.txt") } } }',
      { id: experiment },
    );
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
  });

  it('overwrite=false on an existing file: 409 CONFLICT, the old bytes stay; overwrite=true replaces them', async () => {
    const url = uploadUrl(project, 'raw_dup', 'one.txt');
    expect((await put(url, Buffer.from('first\n'))).status).toBe(200);
    const again = await put(url, Buffer.from('second\n'));
    expect(again.status).toBe(409);
    expect(codes(again.json)).toEqual(['CONFLICT']);
    const listed = await stack.graphql(
      '{ project(id: "test") { resource(label: "raw_dup") { file(name: "one.txt") { size downloadUrl } } } }',
    );
    expect((await download(listed.data.project.resource.file.downloadUrl)).bytes.toString()).toBe('first\n');
    const replaced = await put(`${url}?overwrite=true`, Buffer.from('second\n'));
    expect(replaced.status).toBe(200);
    expect(replaced.json.data.uploadFile.size).toBe(7);
  });

  it('an empty file is stored (as a multipart part: XNAT refuses an empty in-body upload)', async () => {
    const stored = await put(uploadUrl(project, 'raw_empty', 'empty.txt'), Buffer.alloc(0));
    expect(stored.status, stored.text).toBe(200);
    expect(stored.json.data.uploadFile.size).toBe(0);
  });

  it('extract=true unpacks an archive named by the path', async () => {
    const { default: yazl } = await import('yazl');
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('inside\n'), 'sub/inside.txt');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const stored = await put(uploadUrl(experiment, 'raw_zip', 'bundle.zip', '?extract=true'), Buffer.concat(chunks));
    expect(stored.status, stored.text).toBe(200);
    expect(stored.json.data.uploadFile.path).toBe('sub/inside.txt');
    expect(await names(experimentXnatPath, 'raw_zip')).toEqual(['sub/inside.txt']);
  });

  it('refuses a body without Content-Length (chunked): 411, nothing stored', async () => {
    const response = await request(uploadUrl(project, 'raw_chunked', 'c.bin'), {
      method: 'PUT',
      headers: { authorization: basic(ADMIN), 'graphql-preflight': '1' },
      body: Readable.from([Buffer.from('no length given')]),
    });
    expect(response.statusCode).toBe(411);
    expect(codes((await response.body.json()) as any)).toEqual(['BAD_USER_INPUT']);
    expect(await names(`/data/projects/test`, 'raw_chunked')).toEqual([]);
  });

  it('a body shorter than its Content-Length: nothing stored', async () => {
    const path = `/upload/${project}/raw_short/short.bin`;
    await settled(() => rawRequest(rawHead(path, 2 * 1024 * 1024), randomBytes(1024 * 1024)));
    expect(await names(`/data/projects/test`, 'raw_short')).toEqual([]);
  });

  it('a body longer than its Content-Length: refused, nothing stored', async () => {
    const path = `/upload/${project}/raw_long/long.bin`;
    let answer = '';
    await settled(async () => (answer = await rawRequest(rawHead(path, 256 * 1024), randomBytes(256 * 1024 + 4096))));
    expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(await names(`/data/projects/test`, 'raw_long')).toEqual([]);
  });

  it('refuses a request without a preflight header, or from a foreign origin: nothing stored', async () => {
    for (const headers of [{ 'graphql-preflight': '' }, { origin: 'https://evil.example.com' }, { origin: 'null' }] as Record<
      string,
      string
    >[]) {
      const refused = await put(uploadUrl(project, 'raw_csrf', 'forged.txt'), Buffer.from('forged'), { headers });
      expect(refused.status, JSON.stringify(headers)).toBe('origin' in headers ? 403 : 400);
      expect(codes(refused.json)).toEqual(['origin' in headers ? 'FORBIDDEN' : 'BAD_USER_INPUT']);
    }
    expect(await names(`/data/projects/test`, 'raw_csrf')).toEqual([]);

    // The gateway's own origin and a listed one may upload; a listed one gets CORS headers and a preflight answer.
    const own = await put(uploadUrl(project, 'raw_csrf', 'own.txt'), Buffer.from('own'), { headers: { origin: stack.gateway.url } });
    expect(own.status, own.text).toBe(200);
    const listed = await put(uploadUrl(project, 'raw_csrf', 'listed.txt'), Buffer.from('listed'), {
      headers: { origin: 'https://app.example.org' },
    });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe('https://app.example.org');
    const preflight = await request(uploadUrl(project, 'raw_csrf', 'x.txt'), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.org',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, graphql-preflight',
      },
    });
    await preflight.body.dump();
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(preflight.headers['access-control-allow-methods']).toBe('PUT');
    const foreignPreflight = await request(uploadUrl(project, 'raw_csrf', 'x.txt'), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'PUT' },
    });
    await foreignPreflight.body.dump();
    expect(foreignPreflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(await names(`/data/projects/test`, 'raw_csrf')).toEqual(['listed.txt', 'own.txt']);
  });

  it('users without write rights: FORBIDDEN, nothing stored (XNAT answers them 200 and stores nothing)', async () => {
    const guest = await put(uploadUrl(project, 'raw_rights', 'guest.txt'), Buffer.from('guest'), { auth: GUEST });
    expect(guest.status, guest.text).toBe(403);
    expect(codes(guest.json)).toEqual(['FORBIDDEN']);
    const collab = await put(uploadUrl(neuroSession, 'raw_rights', 'collab.txt'), Buffer.from('collab'), { auth: COLLAB });
    expect(collab.status, collab.text).toBe(403);
    expect(codes(collab.json)).toEqual(['FORBIDDEN']);
    expect(await names(`/data/projects/test`, 'raw_rights')).toEqual([]);
    expect(await names(neuroSessionXnatPath, 'raw_rights')).toEqual([]);
    // A member may write the project's sessions.
    const member = await put(uploadUrl(neuroSession, 'raw_rights', 'member.txt'), Buffer.from('member'), { auth: MEMBER });
    expect(member.status, member.text).toBe(200);
    expect(await names(neuroSessionXnatPath, 'raw_rights')).toEqual(['member.txt']);
  });

  it('bad credentials: 401; a malformed path or flag: an error with a code, nothing stored', async () => {
    const wrong = await put(uploadUrl(project, 'raw_bad', 'x.txt'), Buffer.from('x'), { auth: { user: 'admin', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(codes(wrong.json)).toEqual(['UNAUTHENTICATED']);
    const noName = await put(`${stack.gateway.url}/upload/${project}/raw_bad`, Buffer.from('x'));
    expect(noName.status).toBe(404);
    const badFlag = await put(uploadUrl(project, 'raw_bad', 'x.txt', '?overwrite=maybe'), Buffer.from('x'));
    expect(codes(badFlag.json)).toEqual(['BAD_USER_INPUT']);
    const badLabel = await put(uploadUrl(project, 'raw bad', 'x.txt'), Buffer.from('x'));
    expect(badLabel.status).toBe(400);
    expect(codes(badLabel.json)).toEqual(['BAD_USER_INPUT']);
    expect(await names(`/data/projects/test`, 'raw_bad')).toEqual([]);
  });
});

describe('uploads in flight per caller', () => {
  it('a caller at its limit is refused (429) before its body is read, and admitted again once an upload ended', async () => {
    await using small = await startStack({ gateway: { maxUploadsPerCaller: 1 } });
    const { id } = (await small.graphql('{ project(id: "test") { id } }')).data.project;
    const { hostname, port, host } = new URL(small.gateway.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.on('error', () => {});
    let answer = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (answer += chunk));
    const body = randomBytes(64 * 1024);
    socket.write(
      `PUT /upload/${id}/raw_slots/slow.bin HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${basic(ADMIN)}\r\ngraphql-preflight: 1\r\nContent-Length: ${2 * body.length}\r\n\r\n`,
    );
    socket.write(body);
    await expect
      .poll(() => small.emulator.requests.entries().some((e) => e.method === 'POST' && e.path.endsWith('/slow.bin')), { timeout: 10_000 })
      .toBe(true);

    const second = await request(`${small.gateway.url}/upload/${id}/raw_slots/second.bin`, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN), 'graphql-preflight': '1' },
      body: 'x',
    });
    expect(second.statusCode).toBe(429);
    expect(codes((await second.body.json()) as any)).toEqual(['BAD_USER_INPUT']);

    socket.write(body);
    await expect.poll(() => answer, { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
    const third = await request(`${small.gateway.url}/upload/${id}/raw_slots/third.bin`, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN), 'graphql-preflight': '1' },
      body: 'x',
    });
    expect(third.statusCode, await third.body.text()).toBe(200);
  });
});

describe('a large raw upload through a gateway process', () => {
  let gateway: CliProcess;
  let url: string;

  beforeAll(async () => {
    gateway = runCli(['serve', '--port', '0', '--xnat', stack.emulator.url]);
    url = (await gateway.waitForLine(/(http:\/\/\S+)\/graphql/))[1]!;
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  async function status(field: 'VmRSS' | 'VmHWM'): Promise<number> {
    const text = await readFile(`/proc/${gateway.child.pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)![1]) * 1024;
  }

  it('streams: 512 MiB go through while the gateway grows by far less', async () => {
    const size = 512 * 1024 * 1024;
    const chunk = randomBytes(1024 * 1024);
    const target = `${url}/upload/${project}/raw_large/large.bin`;
    // One small upload first, so that the growth measured is the transfer's, not the first request's.
    const warm = await request(`${url}/upload/${project}/raw_large/warm.bin`, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN), 'graphql-preflight': '1' },
      body: chunk,
    });
    expect(warm.statusCode, await warm.body.text()).toBe(200);
    const before = await status('VmRSS');
    const response = await request(target, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN), 'graphql-preflight': '1', 'content-length': String(size) },
      body: Readable.from(
        (function* () {
          for (let sent = 0; sent < size; sent += chunk.length) yield chunk;
        })(),
      ),
    });
    const answer = (await response.body.json()) as any;
    expect(response.statusCode, JSON.stringify(answer)).toBe(200);
    expect(answer.data.uploadFile.size).toBe(size);
    expect((await status('VmHWM')) - before).toBeLessThan(160 * 1024 * 1024);
  }, 120_000);
});
