import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, ADMIN, startStack, uploadRequest, type Stack } from '../support/stack.js';

const UPLOAD = `mutation ($p: ID!, $file: Upload!, $r: String!, $name: String) {
  uploadFile(parent: $p, resource: $r, file: $file, name: $name) { id path size downloadUrl } }`;
const LIST = `query ($r: String!) { project(id: "test") { resource(label: $r) { files { nodes { id path size downloadUrl } } } } }`;
const DELETE = 'mutation ($id: ID!) { deleteFile(id: $id) }';

/** Names with characters XNAT's URL decoding treats specially, and what each release can address. */
const NAMES = ['plain_1.txt', 'a+b.txt', 'scan 1.nii', '100%.txt', '100% done.txt', 'notes#1.txt', 'résumé.txt', 'a%2fb.txt', 'q?x=1.txt'];
const ADDRESSABLE: Record<string, (name: string) => boolean> = {
  // 1.7 uses the path as sent: only characters a URL carries raw.
  '1.7': (name) => /^[A-Za-z0-9\-._~!$&'()+=:@,/]+$/.test(name),
  // 1.8.0-1.8.3 decode every path.
  '1.8.0': () => true,
  // 1.8.4 on decode only a path holding %20 or %2B, i.e. a name with a space or "+".
  '1.8.10': (name) => /[ +]/.test(name) || /^[A-Za-z0-9\-._~!$&'()=:@,/]+$/.test(name),
};

describe.each(Object.keys(ADDRESSABLE))('file names through the gateway on XNAT %s', (xnatVersion) => {
  let stack: Stack;
  let project: string;
  beforeAll(async () => {
    stack = await startStack({ xnatVersion });
    project = (await stack.graphql('{ project(id: "test") { id } }')).data.project.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  function stored(label: string): string[] {
    const resource = stack.emulator.archive.resourcesOf({ kind: 'project', project: 'test' }).find((r) => r.label === label);
    return resource
      ? stack.emulator.archive
          .filesOf(resource.dbId)
          .map((f) => f.path)
          .sort()
      : [];
  }

  it('uploads, lists, downloads and deletes each name under exactly that name, or refuses it up front saying why', async () => {
    const addressable = ADDRESSABLE[xnatVersion]!;
    for (const name of NAMES) {
      const up = await uploadRequest(
        stack,
        UPLOAD,
        { p: project, r: 'names', name },
        { name: 'x.bin', bytes: Buffer.from(`bytes of ${name}`) },
      );
      if (!addressable(name)) {
        expect(up.errors?.[0]?.extensions?.code, name).toBe('BAD_USER_INPUT');
        expect(up.errors?.[0]?.message, name).toMatch(/XNAT .*(decodes|undecoded)/);
        expect(stored('names'), name).not.toContain(name);
        continue;
      }
      expect(up.errors, name).toBeUndefined();
      expect(up.data.uploadFile.path).toBe(name);
      expect(stored('names')).toContain(name);
      const download = await fetch(up.data.uploadFile.downloadUrl, { headers: { authorization: basic(ADMIN) } });
      expect(download.status, name).toBe(200);
      expect(await download.text()).toBe(`bytes of ${name}`);
    }
    const listed = (await stack.graphql(LIST, { r: 'names' })).data.project.resource.files.nodes as { id: string; path: string }[];
    const kept = NAMES.filter(ADDRESSABLE[xnatVersion]!);
    expect(listed.map((f) => f.path).sort()).toEqual([...kept].sort());
    expect(new Set(listed.map((f) => f.id)).size).toBe(listed.length);
    for (const file of listed) {
      expect((await stack.graphql(DELETE, { id: file.id })).errors, file.path).toBeUndefined();
      expect(stored('names'), file.path).not.toContain(file.path);
    }
    expect(stored('names')).toEqual([]);
  });

  it('lists names other tools stored with distinct ids, reading URIs as written; what cannot be addressed is refused, not confused', async () => {
    const listed = (await stack.graphql(LIST, { r: 'edge_names' })).data.project.resource.files.nodes as {
      id: string;
      path: string;
      downloadUrl: string;
    }[];
    expect(listed.map((f) => f.path).sort()).toEqual(stored('edge_names'));
    expect(new Set(listed.map((f) => f.id)).size).toBe(listed.length);
    for (const file of listed) {
      const download = await fetch(file.downloadUrl, { headers: { authorization: basic(ADMIN) } });
      if (ADDRESSABLE[xnatVersion]!(file.path)) {
        expect(download.status, file.path).toBe(200);
        expect(await download.text()).toBe(`${file.path}\n`);
      } else {
        expect(download.status, file.path).toBe(400);
        expect(((await download.json()) as { errors: { message: string }[] }).errors[0]!.message).toContain('XNAT');
      }
    }
  });

  it('counts the files itself when XNAT stored no file_count or file_size for a resource', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { resource(label: "edge_names") { fileCount totalSize files { nodes { size } } } } }',
    );
    const resource = data.project.resource;
    expect(resource.fileCount).toBe(stored('edge_names').length);
    expect(resource.totalSize).toBe(resource.files.nodes.reduce((sum: number, f: { size: number }) => sum + f.size, 0));
  });

  it('refuses resource labels XNAT would read as something else', async () => {
    for (const label of ['123', 'NULL', 'My Resource', 'r#1']) {
      const up = await uploadRequest(stack, UPLOAD, { p: project, r: label, name: 'a.txt' }, { name: 'a.txt', bytes: Buffer.from('a') });
      expect(up.errors?.[0]?.extensions?.code, label).toBe('BAD_USER_INPUT');
      expect(stored(label)).toEqual([]);
    }
  });
});

describe('--xnat-version', () => {
  it('is used instead of asking XNAT, and decides the encoding', async () => {
    await using stack = await startStack({ xnatVersion: '1.8.0', gateway: { xnatVersion: '1.8.1' } });
    const project = (await stack.graphql('{ project(id: "test") { id } }')).data.project.id;
    const up = await uploadRequest(
      stack,
      UPLOAD,
      { p: project, r: 'names', name: 'notes#1.txt' },
      { name: 'x.bin', bytes: Buffer.from('x') },
    );
    expect(up.errors).toBeUndefined();
    expect(up.data.uploadFile.path).toBe('notes#1.txt');
    // The version lookups (src/xnat/version.ts); the caller's groups are asked before the write.
    const asked = stack.emulator.requests.entries().filter((e) => e.path === '/data/version' || e.path.startsWith('/xapi/siteConfig/'));
    expect(asked).toEqual([]);
  });
});
