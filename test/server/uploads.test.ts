import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { ADMIN, CACHE_MODES, GUEST, basic, multipartRequest, startStack, type Stack, type MultipartFile } from '../support/stack.js';
import { codes, download, xnatFiles } from '../support/e2e.js';

/** GraphQL multipart uploads through the gateway into the emulator, and the file/resource mutations. */

const UPLOAD = /* GraphQL */ `
  mutation Upload($parent: ID!, $resource: String!, $file: Upload!, $name: String, $overwrite: Boolean, $extract: Boolean) {
    uploadFile(parent: $parent, resource: $resource, file: $file, name: $name, overwrite: $overwrite, extract: $extract) {
      id
      name
      path
      size
      downloadUrl
    }
  }
`;

interface UploadedFile {
  id: string;
  name: string;
  path: string;
  size: number | null;
  downloadUrl: string;
}

let stack: Stack;
/** Node ids of the objects the uploads go to. */
let project: string;
let experiment: string;
let scan: string;
/** XNAT REST paths of the same objects, to ask the emulator directly. */
let experimentXnatPath: string;

beforeAll(async () => {
  stack = await startStack({ gateway: { credentials: ADMIN } });
  const ids = await stack.graphql(`{
    project(id: "test") { id experiments(first: 1) { nodes { id uri scans(first: 1) { nodes { id } } } } }
  }`);
  expect(ids.errors).toBeUndefined();
  project = ids.data.project.id;
  const session = ids.data.project.experiments.nodes[0];
  experiment = session.id;
  experimentXnatPath = session.uri;
  scan = session.scans.nodes[0].id;
});

afterAll(async () => {
  await stack?.close();
});

/** One file as variable `file` (spec example 1, adapted). */
function uploadOne(variables: Record<string, unknown>, file: Omit<MultipartFile, 'field'>, auth = ADMIN, on: Stack = stack) {
  return multipartRequest(
    on.gateway.graphqlUrl,
    { query: UPLOAD, variables: { ...variables, file: null } },
    { '0': ['variables.file'] },
    [{ field: '0', ...file }],
    { auth },
  );
}

async function uploaded(variables: Record<string, unknown>, file: Omit<MultipartFile, 'field'>): Promise<UploadedFile> {
  const response = await uploadOne(variables, file);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.status).toBe(200);
  return response.data.uploadFile as UploadedFile;
}

async function bytesOf(file: { downloadUrl: string }): Promise<Buffer> {
  const response = await download(file.downloadUrl);
  expect(response.status).toBe(200);
  return response.bytes;
}

const projectResource = (label: string) => `/data/projects/test/resources/${encodeURIComponent(label)}`;
const fileNames = async (resourcePath: string, on: Stack = stack) =>
  (await xnatFiles(on.emulator, resourcePath))?.map((f) => f.Name).sort() ?? null;

describe('GraphQL multipart request spec', () => {
  it('example 1: a single file', async () => {
    const file = await uploaded(
      { parent: project, resource: 'spec1' },
      { bytes: 'Alpha file content.\n', filename: 'a.txt', type: 'text/plain' },
    );
    expect(file).toMatchObject({ name: 'a.txt', path: 'a.txt', size: 20 });
    expect((await bytesOf(file)).toString()).toBe('Alpha file content.\n');
  });

  it('example 2: several files in one operation (one alias per file)', async () => {
    const response = await multipartRequest(
      stack.gateway.graphqlUrl,
      {
        query: `mutation ($parent: ID!, $a: Upload!, $b: Upload!, $c: Upload!) {
          a: uploadFile(parent: $parent, resource: "spec2", file: $a) { name size downloadUrl }
          b: uploadFile(parent: $parent, resource: "spec2", file: $b) { name size downloadUrl }
          c: uploadFile(parent: $parent, resource: "spec2", file: $c) { name size downloadUrl }
        }`,
        variables: { parent: project, a: null, b: null, c: null },
      },
      { '0': ['variables.a'], '1': ['variables.b'], '2': ['variables.c'] },
      [
        { field: '0', bytes: 'Alpha', filename: 'a.txt' },
        { field: '1', bytes: 'Bravo!', filename: 'b.txt' },
        { field: '2', bytes: 'Charlie.', filename: 'c.txt' },
      ],
    );
    expect(response.errors, response.raw).toBeUndefined();
    expect([response.data.a.name, response.data.b.name, response.data.c.name]).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect((await bytesOf(response.data.b)).toString()).toBe('Bravo!');
    expect(await fileNames(projectResource('spec2'))).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('example 3: batched operations (operations as a JSON array)', async () => {
    const single = `mutation ($parent: ID!, $file: Upload!) { uploadFile(parent: $parent, resource: "spec3", file: $file) { name size } }`;
    const double = `mutation ($parent: ID!, $x: Upload!, $y: Upload!) {
      x: uploadFile(parent: $parent, resource: "spec3", file: $x) { name size }
      y: uploadFile(parent: $parent, resource: "spec3", file: $y) { name size }
    }`;
    const response = await multipartRequest(
      stack.gateway.graphqlUrl,
      [
        { query: single, variables: { parent: project, file: null } },
        { query: double, variables: { parent: project, x: null, y: null } },
      ],
      { '0': ['0.variables.file'], '1': ['1.variables.x'], '2': ['1.variables.y'] },
      [
        { field: '0', bytes: 'Alpha', filename: 'a.txt' },
        { field: '1', bytes: 'Bravo', filename: 'b.txt' },
        { field: '2', bytes: 'Charlie', filename: 'c.txt' },
      ],
    );
    expect(response.status, response.raw).toBe(200);
    const results = JSON.parse(response.raw) as { data?: unknown; errors?: unknown }[];
    expect(Array.isArray(results), response.raw).toBe(true);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect(results[0]!.data).toEqual({ uploadFile: { name: 'a.txt', size: 5 } });
    expect(results[1]!.data).toEqual({ x: { name: 'b.txt', size: 5 }, y: { name: 'c.txt', size: 7 } });
    expect(await fileNames(projectResource('spec3'))).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });
});

describe('file parts in a different order than the operation reads them', () => {
  const spoolDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('xnat-graphql-upload-'));

  it('a large part sent before the part the first mutation needs does not stall the request', async () => {
    const before = new Set(spoolDirs());
    const large = randomBytes(4 * 1024 * 1024);
    const response = await multipartRequest(
      stack.gateway.graphqlUrl,
      {
        query: `mutation ($parent: ID!, $first: Upload!, $second: Upload!, $third: Upload!) {
          first: uploadFile(parent: $parent, resource: "order", file: $first) { size downloadUrl }
          second: uploadFile(parent: $parent, resource: "order", file: $second) { size downloadUrl }
          third: uploadFile(parent: $parent, resource: "order", file: $third) { size downloadUrl }
        }`,
        variables: { parent: project, first: null, second: null, third: null },
      },
      { '0': ['variables.first'], '1': ['variables.second'], '2': ['variables.third'] },
      // Parts in the order third, second, first: each mutation waits for a part behind an unread one.
      [
        { field: '2', bytes: large, filename: 'third.bin' },
        { field: '1', bytes: large.subarray(0, 1024 * 1024), filename: 'second.bin' },
        { field: '0', bytes: 'first', filename: 'first.txt' },
      ],
    );
    expect(response.errors, response.raw).toBeUndefined();
    expect([response.data.first.size, response.data.second.size, response.data.third.size]).toEqual([5, 1024 * 1024, large.length]);
    expect((await bytesOf(response.data.third)).equals(large)).toBe(true);
    expect((await bytesOf(response.data.second)).equals(large.subarray(0, 1024 * 1024))).toBe(true);
    // Parts drained to disk meanwhile are gone once the response is out.
    await expect.poll(() => spoolDirs().filter((name) => !before.has(name)), { timeout: 5_000 }).toEqual([]);
  });
});

describe('upload → download round trips', () => {
  const cases: { title: string; bytes: Buffer; filename: string; name?: string; expectedPath: string }[] = [
    { title: 'an empty file', bytes: Buffer.alloc(0), filename: 'empty.bin', expectedPath: 'empty.bin' },
    { title: 'one byte', bytes: Buffer.from([0xff]), filename: 'one.bin', expectedPath: 'one.bin' },
    { title: '~3 MB of random bytes', bytes: randomBytes(3 * 1024 * 1024 + 17), filename: 'big.bin', expectedPath: 'big.bin' },
    { title: 'a name with spaces', bytes: Buffer.from('spaces'), filename: 'my scan notes.txt', expectedPath: 'my scan notes.txt' },
    { title: 'a unicode name', bytes: Buffer.from('unicode'), filename: 'Ünïcødé 脑 scan.txt', expectedPath: 'Ünïcødé 脑 scan.txt' },
    { title: 'a name with URL characters', bytes: Buffer.from('url'), filename: 'a#b?c%d&e=f+g.txt', expectedPath: 'a#b?c%d&e=f+g.txt' },
    {
      title: 'a nested path given as name',
      bytes: Buffer.from('DICM'),
      filename: 'ignored.dcm',
      name: 'sub/a.dcm',
      expectedPath: 'sub/a.dcm',
    },
  ];

  for (const c of cases) {
    it(`keeps the bytes of ${c.title}`, async () => {
      const file = await uploaded(
        { parent: experiment, resource: 'roundtrip', ...(c.name ? { name: c.name } : {}) },
        { bytes: c.bytes, filename: c.filename },
      );
      expect(file.path).toBe(c.expectedPath);
      expect(file.size).toBe(c.bytes.length);
      const back = await bytesOf(file);
      expect(back.length).toBe(c.bytes.length);
      expect(back.equals(c.bytes)).toBe(true);
    });
  }

  it('keeps the bytes of a file larger than 25 MB (yoga’s own cap on request bodies does not apply to uploads)', async () => {
    const large = randomBytes(26 * 1000 * 1000);
    const file = await uploaded({ parent: experiment, resource: 'large' }, { bytes: large, filename: 'large.bin' });
    expect(file.size).toBe(large.length);
    expect((await bytesOf(file)).equals(large)).toBe(true);
  });

  it('lists the nested file under its folder, and the name defaults to the uploaded file name', async () => {
    const response = await stack.graphql(
      `query ($id: ID!) { node(id: $id) { ... on Experiment { resource(label: "roundtrip") { files { nodes { name path } } } } } }`,
      {
        id: experiment,
      },
    );
    expect(response.errors).toBeUndefined();
    const paths = response.data.node.resource.files.nodes.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(
      expect.arrayContaining(['big.bin', 'my scan notes.txt', 'one.bin', 'sub/a.dcm', 'Ünïcødé 脑 scan.txt', 'a#b?c%d&e=f+g.txt']),
    );
    expect(paths.filter((p: string) => p.includes('a.dcm'))).toEqual(['sub/a.dcm']);
  });

  it('overwrite: false on an existing file is a CONFLICT and keeps the old bytes; overwrite: true replaces them', async () => {
    const first = await uploaded({ parent: project, resource: 'overwrite' }, { bytes: 'version 1', filename: 'v.txt' });
    const refused = await uploadOne(
      { parent: project, resource: 'overwrite', overwrite: false },
      { bytes: 'version 2, longer', filename: 'v.txt' },
    );
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect((await bytesOf(first)).toString()).toBe('version 1');
    const defaulted = await uploadOne({ parent: project, resource: 'overwrite' }, { bytes: 'version 3', filename: 'v.txt' });
    expect(codes(defaulted)).toEqual(['CONFLICT']);

    const replaced = await uploaded(
      { parent: project, resource: 'overwrite', overwrite: true },
      { bytes: 'version 4, replaced', filename: 'v.txt' },
    );
    expect(replaced.size).toBe(19);
    expect((await bytesOf(first)).toString()).toBe('version 4, replaced');
    expect(await fileNames(projectResource('overwrite'))).toEqual(['v.txt']);
  });

  it('a resource label with spaces and unicode is refused: XNAT does not decode resource segments', async () => {
    const response = await uploadOne({ parent: experiment, resource: 'Raw data ü' }, { bytes: 'labelled', filename: 'l.txt' });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain('XNAT does not decode');
    const listing = await stack.graphql('query ($id: ID!) { node(id: $id) { ... on Experiment { resources { nodes { label } } } } }', {
      id: experiment,
    });
    expect(listing.data.node.resources.nodes.map((r: { label: string }) => r.label).filter((l: string) => l.startsWith('Raw'))).toEqual([]);
  });

  it('creates the resource when missing, on a scan', async () => {
    const before = await stack.graphql(
      'query ($id: ID!) { node(id: $id) { ... on Scan { resource(label: "made_by_upload") { label } } } }',
      { id: scan },
    );
    expect(before.data.node.resource).toBeNull();
    await uploaded({ parent: scan, resource: 'made_by_upload' }, { bytes: 'x', filename: 'x.txt' });
    const after = await stack.graphql(
      'query ($id: ID!) { node(id: $id) { ... on Scan { resource(label: "made_by_upload") { label fileCount files { nodes { name } } } } } }',
      { id: scan },
    );
    expect(after.data.node.resource).toEqual({ label: 'made_by_upload', fileCount: 1, files: { nodes: [{ name: 'x.txt' }] } });
  });

  it('extract: true unpacks a zip into the resource', async () => {
    const zip = await zipOf({ 'readme.txt': 'read me', 'series/1.dcm': Buffer.from([1, 2, 3, 4]), 'series/2.dcm': Buffer.from([5, 6]) });
    const response = await uploadOne(
      { parent: experiment, resource: 'extracted', extract: true },
      { bytes: zip, filename: 'bundle.zip', type: 'application/zip' },
    );
    expect(response.errors, response.raw).toBeUndefined();
    const listing = await stack.graphql(
      `query ($id: ID!) { node(id: $id) { ... on Experiment { resource(label: "extracted") { files { nodes { path size downloadUrl } } } } } }`,
      {
        id: experiment,
      },
    );
    const files = listing.data.node.resource.files.nodes as { path: string; size: number; downloadUrl: string }[];
    expect(files.map((f) => f.path).sort()).toEqual(['readme.txt', 'series/1.dcm', 'series/2.dcm']);
    expect([...(await bytesOf(files.find((f) => f.path === 'series/1.dcm')!))]).toEqual([1, 2, 3, 4]);
    expect(await fileNames(`${experimentXnatPath}/resources/extracted`)).not.toContain('bundle.zip');
  });
});

describe.each(CACHE_MODES)('concurrent writes ($mode)', ({ cache }) => {
  let own: Stack;
  let session: string;
  beforeAll(async () => {
    own = await startStack({ cache, gateway: { credentials: ADMIN } });
    session = (await own.graphql('{ project(id: "test") { experiments(first: 1) { nodes { id } } } }')).data.project.experiments.nodes[0]
      .id;
  });
  afterAll(async () => {
    await own?.close();
  });

  it('concurrent uploads into a resource that does not exist yet all land in one resource', async () => {
    const LISTING = 'query ($id: ID!) { node(id: $id) { ... on Experiment { resources { nodes { label files { nodes { name } } } } } } }';
    // Listed (and cached, with the cache on) before the writes.
    const before = await own.graphql(LISTING, { id: session });
    expect(before.data.node.resources.nodes.map((r: { label: string }) => r.label)).not.toContain('concurrent');
    const names = ['c1.txt', 'c2.txt', 'c3.txt', 'c4.txt', 'c5.txt'];
    const responses = await Promise.all(
      names.map((name) => uploadOne({ parent: session, resource: 'concurrent' }, { bytes: name, filename: name }, ADMIN, own)),
    );
    for (const response of responses) expect(response.errors, response.raw).toBeUndefined();
    const listing = await own.graphql(LISTING, { id: session });
    const matching = listing.data.node.resources.nodes.filter((r: { label: string }) => r.label === 'concurrent');
    expect(matching).toHaveLength(1);
    expect(matching[0].files.nodes.map((f: { name: string }) => f.name).sort()).toEqual(names);
  });
});

describe('bad uploads are refused with a code and write nothing', () => {
  it('a zip with an entry that climbs out of the resource (extract: true)', async () => {
    const zip = await zipOf({ 'ok.txt': 'fine', '__/__/slip.txt': 'zip slip' });
    // yazl refuses ".." in names, so the entry is renamed in place (names are not covered by the CRC).
    const evil = Buffer.from(zip.toString('latin1').split('__/__/slip.txt').join('../../slip.txt'), 'latin1');
    const response = await uploadOne(
      { parent: experiment, resource: 'zipslip', extract: true },
      { bytes: evil, filename: 'evil.zip', type: 'application/zip' },
    );
    if (response.errors) expect(codes(response), response.raw).toEqual(['BAD_USER_INPUT']);
    const everywhere = await stack.graphql(
      `query ($id: ID!) { node(id: $id) { ... on Experiment {
      resources { nodes { label files { nodes { path } } } }
      subject { resources { nodes { label files { nodes { path } } } } }
    } } }`,
      { id: experiment },
    );
    const holders = [...everywhere.data.node.resources.nodes, ...everywhere.data.node.subject.resources.nodes];
    const paths = holders.flatMap((r: { label: string; files: { nodes: { path: string }[] } }) =>
      r.files.nodes.map((f) => `${r.label}/${f.path}`),
    );
    expect(paths.filter((path: string) => path.includes('..'))).toEqual([]);
    expect(paths.filter((path: string) => path.endsWith('slip.txt') && !path.startsWith('zipslip/'))).toEqual([]);
    // A refused archive is refused whole: not even its harmless entry is kept.
    if (response.errors) expect(paths.filter((path: string) => path.startsWith('zipslip/'))).toEqual([]);
  });

  /** Asserts that resource `label` of project test holds none of `names` (or does not exist). */
  async function nothingWritten(label: string, names: string[]): Promise<void> {
    const files = (await fileNames(projectResource(label))) ?? [];
    for (const name of names) expect(files).not.toContain(name);
  }

  it('a missing file part', async () => {
    const response = await multipartRequest(
      stack.gateway.graphqlUrl,
      { query: UPLOAD, variables: { parent: project, resource: 'bad', name: 'missing.txt', file: null } },
      { '0': ['variables.file'] },
      [],
    );
    expect(codes(response), response.raw).toEqual(['BAD_USER_INPUT']);
    await nothingWritten('bad', ['missing.txt']);
  });

  it('a map entry naming a part that is not there', async () => {
    const response = await multipartRequest(
      stack.gateway.graphqlUrl,
      { query: UPLOAD, variables: { parent: project, resource: 'bad', name: 'elsewhere.txt', file: null } },
      { '1': ['variables.file'] },
      [{ field: '0', bytes: 'orphan', filename: 'orphan.txt' }],
    );
    expect(codes(response), response.raw).toEqual(['BAD_USER_INPUT']);
    await nothingWritten('bad', ['elsewhere.txt', 'orphan.txt']);
  });

  it('the same file part mapped to two uploads', async () => {
    const response = await multipartRequest(
      stack.gateway.graphqlUrl,
      {
        query: `mutation ($parent: ID!, $a: Upload!, $b: Upload!) {
          a: uploadFile(parent: $parent, resource: "bad", file: $a, name: "twice-a.txt") { size }
          b: uploadFile(parent: $parent, resource: "bad", file: $b, name: "twice-b.txt") { size }
        }`,
        variables: { parent: project, a: null, b: null },
      },
      { '0': ['variables.a', 'variables.b'] },
      [{ field: '0', bytes: 'shared bytes', filename: 'shared.txt' }],
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(codes(response), response.raw).toEqual(['BAD_USER_INPUT']);
    await nothingWritten('bad', ['twice-a.txt', 'twice-b.txt', 'shared.txt']);
  });

  for (const name of [
    '../escape.txt',
    'sub/../../escape.txt',
    'back\\slash.txt',
    'sub/./x.txt',
    '',
    '/abs.txt',
    'folder/',
    'a//b.txt',
    'nul\u0000.txt',
  ]) {
    it(`name ${JSON.stringify(name)}`, async () => {
      const response = await uploadOne({ parent: project, resource: 'bad', name }, { bytes: 'x', filename: 'fallback.txt' });
      expect(codes(response), response.raw).toEqual(['BAD_USER_INPUT']);
      await nothingWritten('bad', [
        'escape.txt',
        'back\\slash.txt',
        'slash.txt',
        'x.txt',
        'fallback.txt',
        'abs.txt',
        'b.txt',
        'folder',
        'nul.txt',
      ]);
    });
  }

  it('an uploaded file name with .. segments and no name argument', async () => {
    const response = await uploadOne({ parent: project, resource: 'bad' }, { bytes: 'x', filename: '../../etc/evil.txt' });
    // Either the client-side name is reduced to a safe base name or refused; never written outside the resource.
    if (response.errors) expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    else expect(response.data.uploadFile.path).not.toContain('..');
    const everywhere = await stack.graphql('{ project(id: "test") { resources { nodes { label files { nodes { path } } } } } }');
    const paths = everywhere.data.project.resources.nodes.flatMap((r: { files: { nodes: { path: string }[] } }) =>
      r.files.nodes.map((f) => f.path),
    );
    expect(paths.filter((p: string) => p.includes('..'))).toEqual([]);
  });

  it('a resource label that would change the XNAT path', async () => {
    const response = await uploadOne({ parent: project, resource: '..' }, { bytes: 'x', filename: 'label.txt' });
    expect(codes(response), response.raw).toEqual(['BAD_USER_INPUT']);
  });

  it('guest uploading to a project guest can read but not write: FORBIDDEN', async () => {
    const response = await uploadOne(
      { parent: project, resource: 'bad', name: 'guest.txt' },
      { bytes: 'guest was here', filename: 'guest.txt' },
      GUEST,
    );
    expect(response.data?.uploadFile ?? null).toBeNull();
    expect(codes(response), response.raw).toEqual(['FORBIDDEN']);
    await nothingWritten('bad', ['guest.txt']);
  });

  it('guest uploading to a project guest cannot see: NOT_FOUND, as XNAT answers for it', async () => {
    const priv = await stack.graphql('{ project(id: "PRIV_ONC") { id } }');
    // A large file: the refusal comes before the file is read, and must not leave the request hanging.
    const response = await uploadOne(
      { parent: priv.data.project.id, resource: 'bad', name: 'guest.txt' },
      { bytes: randomBytes(6 * 1024 * 1024), filename: 'guest.txt' },
      GUEST,
    );
    expect(response.data?.uploadFile ?? null).toBeNull();
    expect(codes(response), response.raw).toEqual(['NOT_FOUND']);
    expect(await xnatFiles(stack.emulator, '/data/projects/PRIV_ONC/resources/bad')).toBeNull();
  });

  it('a parent id that does not decode: BAD_USER_INPUT', async () => {
    for (const parent of ['not-an-id', Buffer.from('["Q","x"]').toString('base64url'), '']) {
      const response = await uploadOne({ parent, resource: 'bad', name: 'parent.txt' }, { bytes: 'x', filename: 'parent.txt' });
      expect(codes(response), `${parent}: ${response.raw}`).toEqual(['BAD_USER_INPUT']);
    }
    await nothingWritten('bad', ['parent.txt']);
  });

  it('a parent id of a file or resource (cannot hold resources): BAD_USER_INPUT', async () => {
    const file = await uploaded({ parent: project, resource: 'holder' }, { bytes: 'x', filename: 'holder.txt' });
    const response = await uploadOne({ parent: file.id, resource: 'bad', name: 'child.txt' }, { bytes: 'x', filename: 'child.txt' });
    expect(codes(response), response.raw).toEqual(['BAD_USER_INPUT']);
  });

  it('multipart without a CSRF preflight header is refused before anything runs', async () => {
    for (const headers of [{}, { 'graphql-preflight': '' }, { 'apollo-require-preflight': '   ' }] as Record<string, string>[]) {
      const response = await multipartRequest(
        stack.gateway.graphqlUrl,
        { query: UPLOAD, variables: { parent: project, resource: 'bad', name: 'csrf.txt', file: null } },
        { '0': ['variables.file'] },
        [{ field: '0', bytes: 'forged', filename: 'csrf.txt' }],
        { preflight: false, headers },
      );
      expect(response.status, JSON.stringify(headers)).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(codes(response)?.length).toBe(1);
      expect(codes(response)?.[0]).toBeTruthy();
    }
    for (const header of ['apollo-require-preflight', 'x-apollo-operation-name', 'graphql-preflight']) {
      const response = await multipartRequest(
        stack.gateway.graphqlUrl,
        { query: UPLOAD, variables: { parent: project, resource: 'csrf_ok', name: `${header}.txt`, file: null } },
        { '0': ['variables.file'] },
        [{ field: '0', bytes: 'fine', filename: 'x.txt' }],
        { preflight: false, headers: { [header]: 'Upload' } },
      );
      expect(response.errors, response.raw).toBeUndefined();
    }
    await nothingWritten('bad', ['csrf.txt']);
  });

  it('malformed multipart fields (operations not JSON, map not an object): 400 with a code', async () => {
    for (const [operations, map] of [
      ['{not json', '{}'],
      [JSON.stringify({ query: UPLOAD, variables: {} }), '[1,2]'],
      [JSON.stringify({ query: UPLOAD, variables: {} }), JSON.stringify({ '0': ['variables.nope.deeper'] })],
    ]) {
      const form = new FormData();
      form.append('operations', operations!);
      form.append('map', map!);
      form.append('0', new Blob(['x']), 'x.txt');
      const response = await fetch(stack.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'graphql-preflight': '1', authorization: basic(ADMIN) },
        body: form,
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(response.status, `${operations} ${map}`).toBe(400);
      expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('upload size limit', () => {
  const limit = 256 * 1024;
  let small: Stack;
  let smallProject: string;
  beforeAll(async () => {
    small = await startStack({ gateway: { credentials: ADMIN, maxUploadBytes: limit, maxUploadFiles: 2 } });
    smallProject = (await small.graphql('{ project(id: "test") { id } }')).data.project.id;
  });
  afterAll(async () => {
    await small?.close();
  });

  function uploadTo(name: string, size: number) {
    return multipartRequest(
      small.gateway.graphqlUrl,
      { query: UPLOAD, variables: { parent: smallProject, resource: 'limited', name, file: null } },
      { '0': ['variables.file'] },
      [{ field: '0', bytes: randomBytes(size), filename: name }],
    );
  }

  async function expectRefused(name: string, size: number): Promise<void> {
    const response = await uploadTo(name, size);
    expect(response.data?.uploadFile ?? null, name).toBeNull();
    expect(codes(response), `${name}: ${response.raw}`).toEqual(['BAD_USER_INPUT']);
    expect(response.raw).toMatch(/limit/i);
    expect(await fileNames(projectResource('limited'), small)).not.toContain(name);
  }

  it('accepts a file of exactly the limit', async () => {
    const response = await uploadTo('fits.bin', limit);
    expect(response.errors, response.raw).toBeUndefined();
    expect(response.data.uploadFile.size).toBe(limit);
  });

  it('refuses more files than --max-upload-files in one request, before running anything', async () => {
    const names = ['n1.txt', 'n2.txt', 'n3.txt'];
    small.emulator.requests.clear();
    const response = await multipartRequest(
      small.gateway.graphqlUrl,
      {
        query: `mutation ($p: ID!, $a: Upload!, $b: Upload!, $c: Upload!) {
          a: uploadFile(parent: $p, resource: "limited", file: $a) { size }
          b: uploadFile(parent: $p, resource: "limited", file: $b) { size }
          c: uploadFile(parent: $p, resource: "limited", file: $c) { size }
        }`,
        variables: { p: smallProject, a: null, b: null, c: null },
      },
      { '0': ['variables.a'], '1': ['variables.b'], '2': ['variables.c'] },
      names.map((name, i) => ({ field: String(i), bytes: name, filename: name })),
    );
    expect(response.status).toBe(413);
    expect(codes(response), response.raw).toEqual(['BAD_USER_INPUT']);
    expect(small.emulator.requests.count({ method: 'POST' })).toBe(0);
  });

  it('refuses a file one byte over the limit and stores nothing', async () => {
    await expectRefused('just-over.bin', limit + 1);
  });

  it('refuses a file that crosses the limit while it is already streaming to XNAT, and stores nothing', async () => {
    small.emulator.requests.clear();
    await expectRefused('far-over.bin', 16 * limit);
    // The file was already on its way to XNAT when the limit hit, and XNAT never finished that request.
    const posts = small.emulator.requests.entries().filter((e) => e.method === 'POST');
    expect(posts.map((e) => [e.path.split('/').pop(), e.status])).toEqual([['far-over.bin', 0]]);
    expect(await fileNames(projectResource('limited'), small)).toEqual(['fits.bin']);
  });
});

describe('a client that aborts an upload mid-stream', () => {
  it('leaves no file that looks complete', async () => {
    const boundary = '----xnat-graphql-abort';
    const head = [
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n`,
      JSON.stringify({ query: UPLOAD, variables: { parent: project, resource: 'aborted', name: 'half.bin', file: null } }),
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n`,
      JSON.stringify({ '0': ['variables.file'] }),
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="half.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ].join('');
    const fileSize = 8 * 1024 * 1024;
    const tail = `\r\n--${boundary}--\r\n`;
    const contentLength = Buffer.byteLength(head) + fileSize + Buffer.byteLength(tail);
    const { hostname, port } = new URL(stack.gateway.url);

    stack.emulator.requests.clear();
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.on('error', () => {});
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: ${basic(ADMIN)}\r\ngraphql-preflight: 1\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${contentLength}\r\n\r\n${head}`,
    );
    socket.write(randomBytes(1024 * 1024));

    // Wait until the gateway is streaming the file to XNAT, then drop the connection.
    const isUpload = (e: { method: string; path: string }) => e.method === 'POST' && e.path.endsWith('/resources/aborted/files/half.bin');
    await expect.poll(() => stack.emulator.requests.entries().some(isUpload), { timeout: 10_000, interval: 20 }).toBe(true);
    socket.destroy();

    // The gateway records its upstream request in /metrics once XNAT's side of it has ended.
    await expect
      .poll(
        async () => {
          const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
          return /^xnat_upstream_requests_total\{.*method="POST".*\} \d+$/m.test(text);
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe(true);

    const listed = (await xnatFiles(stack.emulator, projectResource('aborted'))) ?? [];
    expect(listed.filter((f) => f.Name === 'half.bin')).toEqual([]);
    const query = await stack.graphql('{ project(id: "test") { resource(label: "aborted") { files { nodes { path size } } } } }');
    expect(query.data.project.resource?.files.nodes ?? []).toEqual([]);
  });
});

describe('createResource, deleteFile and deleteResource', () => {
  const RESOURCE = 'query ($id: ID!) { node(id: $id) { ... on Experiment { resource(label: "scratch") { id label format fileCount } } } }';

  it('create → query → delete → gone; delete again → NOT_FOUND', async () => {
    const created = await stack.graphql(
      'mutation ($p: ID!) { createResource(parent: $p, label: "scratch", format: "TXT") { id label format } }',
      { p: experiment },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createResource).toMatchObject({ label: 'scratch', format: 'TXT' });
    const id = created.data.createResource.id as string;
    expect((await stack.graphql(RESOURCE, { id: experiment })).data.node.resource).toMatchObject({ id, label: 'scratch', fileCount: 0 });

    const again = await stack.graphql('mutation ($p: ID!) { createResource(parent: $p, label: "scratch") { id } }', { p: experiment });
    expect(codes(again)).toEqual(['CONFLICT']);

    const file = await uploaded({ parent: experiment, resource: 'scratch' }, { bytes: 'scratch data', filename: 'notes.txt' });
    const deletedFile = await stack.graphql('mutation ($id: ID!) { deleteFile(id: $id) }', { id: file.id });
    expect(deletedFile.errors).toBeUndefined();
    expect(deletedFile.data.deleteFile).toBe(file.id);
    expect((await stack.graphql('query ($id: ID!) { node(id: $id) { id } }', { id: file.id })).data?.node ?? null).toBeNull();
    expect(codes(await stack.graphql('mutation ($id: ID!) { deleteFile(id: $id) }', { id: file.id }))).toEqual(['NOT_FOUND']);
    expect((await download(file.downloadUrl)).status).toBe(404);

    // deleteFile of one file in a folder leaves its siblings; deleteResource takes every file with it.
    const x = await uploaded({ parent: experiment, resource: 'scratch', name: 'dir/x.txt' }, { bytes: 'x', filename: 'x.txt' });
    await uploaded({ parent: experiment, resource: 'scratch', name: 'dir/y.txt' }, { bytes: 'y', filename: 'y.txt' });
    expect((await stack.graphql('mutation ($id: ID!) { deleteFile(id: $id) }', { id: x.id })).errors).toBeUndefined();
    expect((await xnatFiles(stack.emulator, `${experimentXnatPath}/resources/scratch`))?.map((f) => f.URI.split('/files/')[1])).toEqual([
      'dir/y.txt',
    ]);

    const deleted = await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data.deleteResource).toBe(id);
    expect((await stack.graphql(RESOURCE, { id: experiment })).data.node.resource).toBeNull();
    expect(await xnatFiles(stack.emulator, `${experimentXnatPath}/resources/scratch`)).toBeNull();
    expect(codes(await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id }))).toEqual(['NOT_FOUND']);
  });

  it('guest cannot delete: FORBIDDEN, and the file and resource stay', async () => {
    const file = await uploaded({ parent: project, resource: 'keep' }, { bytes: 'keep me', filename: 'keep.txt' });
    const resource = await stack.graphql('{ project(id: "test") { resource(label: "keep") { id } } }');
    const resourceId = resource.data.project.resource.id as string;

    const fileAttempt = await stack.graphql('mutation ($id: ID!) { deleteFile(id: $id) }', { id: file.id }, GUEST);
    expect(codes(fileAttempt)).toEqual(['FORBIDDEN']);
    const resourceAttempt = await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: resourceId }, GUEST);
    expect(codes(resourceAttempt)).toEqual(['FORBIDDEN']);
    const createAttempt = await stack.graphql(
      'mutation ($p: ID!) { createResource(parent: $p, label: "guest_made") { id } }',
      { p: project },
      GUEST,
    );
    expect(codes(createAttempt)).toEqual(['FORBIDDEN']);

    expect(await fileNames(projectResource('keep'))).toEqual(['keep.txt']);
    expect(await xnatFiles(stack.emulator, projectResource('guest_made'))).toBeNull();
    expect((await bytesOf(file)).toString()).toBe('keep me');
  });

  it('ids of the wrong type are BAD_USER_INPUT', async () => {
    expect(codes(await stack.graphql('mutation ($id: ID!) { deleteFile(id: $id) }', { id: project }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: project }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: 'garbage!' }))).toEqual(['BAD_USER_INPUT']);
  });
});

function zipOf(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

describe('upload allowance of browsers signed in at /login', () => {
  it("is their own user's: one browser holding its only slot does not refuse another user's upload", async () => {
    await using small = await startStack({ gateway: { maxUploadsPerCaller: 1 } });
    const cookieOf = async (user: string, password: string) => {
      const signedIn = await fetch(`${small.gateway.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, password }),
      });
      expect(signedIn.status).toBe(200);
      return (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    };
    const [adminCookie, memberCookie] = [await cookieOf('admin', 'admin'), await cookieOf('member', 'member')];
    // A subject the project owns: its members write there.
    const subjects = (await small.graphql('{ project(id: "PROT_NEURO") { subjects { nodes { id ownerProject } } } }')).data.project.subjects
      .nodes;
    const { id } = subjects.find((s: { ownerProject: string }) => s.ownerProject === 'PROT_NEURO');
    const operations = (name: string) => ({
      query: 'mutation ($p: ID!, $file: Upload!, $n: String) { uploadFile(parent: $p, resource: "slots", file: $file, name: $n) { name } }',
      variables: { p: id, file: null, n: name },
    });

    // The admin's browser starts an upload and holds it open.
    const { hostname, port, host } = new URL(small.gateway.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.on('error', () => {});
    const boundary = 'SLOT';
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nCookie: ${adminCookie}\r\ngraphql-preflight: 1\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const part =
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify(operations('slow.bin'))}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n` +
      randomBytes(1024).toString('hex');
    socket.write(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
    await expect.poll(() => small.emulator.requests.entries().some((e) => e.path.endsWith('/slow.bin')), { timeout: 10_000 }).toBe(true);

    const upload = (cookie: string, name: string) =>
      multipartRequest(
        small.gateway.graphqlUrl,
        operations(name),
        { '0': ['variables.file'] },
        [{ field: '0', bytes: 'x', filename: name }],
        {
          auth: null,
          headers: { cookie },
        },
      );
    // The same browser is at its limit; the member's is not.
    expect((await upload(adminCookie, 'again.bin')).status).toBe(429);
    const member = await upload(memberCookie, 'member.bin');
    expect(member.errors).toBeUndefined();
    expect(member.data.uploadFile.name).toBe('member.bin');
    socket.destroy();
  });
});
