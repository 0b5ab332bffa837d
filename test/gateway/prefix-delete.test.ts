import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const FILES = `{ project(id: "test") { resource(label: "edge_names") { files { nodes { id path } } } } }`;
const DELETE = 'mutation ($id: ID!) { deleteFile(id: $id) }';

/**
 * deleteFile against XNAT's prefix-matching file DELETE: the demo's `test/edge_names` holds IM1,
 * IM10, IM11, IM1.bak, a/b and a/b.txt. What survives is read from the emulator's own storage.
 */
describe.each(['1.7', '1.8.10'])('deleteFile never takes files whose paths start with the deleted path (XNAT %s)', (xnatVersion) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ xnatVersion });
  });
  afterAll(async () => {
    await stack?.close();
  });

  function stored(): string[] {
    const resource = stack.emulator.archive.resourcesOf({ kind: 'project', project: 'test' }).find((r) => r.label === 'edge_names')!;
    return stack.emulator.archive
      .filesOf(resource.dbId)
      .map((f) => f.path)
      .sort();
  }

  async function idOf(path: string): Promise<string> {
    const { data } = await stack.graphql(FILES);
    const file = data.project.resource.files.nodes.find((f: { path: string }) => f.path === path);
    expect(file, path).toBeDefined();
    return file.id;
  }

  async function remove(path: string) {
    return stack.graphql(DELETE, { id: await idOf(path) });
  }

  it('refuses with CONFLICT naming the files XNAT would also delete, and deletes nothing', async () => {
    const before = stored();
    const im1 = await remove('IM1');
    expect(im1.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    for (const sibling of ['IM10', 'IM11', 'IM1.bak']) expect(im1.errors?.[0]?.message).toContain(JSON.stringify(sibling));
    const ab = await remove('a/b');
    expect(ab.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(ab.errors?.[0]?.message).toContain('"a/b.txt"');
    expect(stored()).toEqual(before);
  });

  it("deletes a file that is no one's prefix, and only it", async () => {
    const before = stored();
    const response = await remove('IM11');
    expect(response.errors).toBeUndefined();
    expect(stored()).toEqual(before.filter((p) => p !== 'IM11'));
  });

  it('deletes the shorter path once its longer siblings are gone', async () => {
    for (const path of ['IM10', 'IM1.bak', 'a/b.txt']) expect((await remove(path)).errors).toBeUndefined();
    expect(stored()).toContain('IM1');
    expect((await remove('IM1')).errors).toBeUndefined();
    expect((await remove('a/b')).errors).toBeUndefined();
    const left = stored();
    for (const gone of ['IM1', 'IM10', 'IM11', 'IM1.bak', 'a/b', 'a/b.txt']) expect(left).not.toContain(gone);
    expect(left.length).toBeGreaterThan(0);
  });
});
