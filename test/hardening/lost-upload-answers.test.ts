import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, uploadRequest, xnatTable, type Stack } from '../support/stack.js';

const UPLOAD = `mutation ($p: ID!, $file: Upload!, $name: String, $overwrite: Boolean) {
  uploadFile(parent: $p, resource: "late", file: $file, name: $name, overwrite: $overwrite) { path size digest } }`;

/** An upload whose answer from XNAT never arrives: reported by what XNAT stored, not by the lost answer. */
describe('an upload XNAT stored but whose answer was lost', () => {
  let stack: Stack;
  let project: string;
  beforeAll(async () => {
    stack = await startStack({ gateway: { xnatVersion: '1.8.10' } });
    project = (await stack.graphql('{ project(id: "test") { id } }')).data.project.id;
  });
  afterAll(() => stack?.close());

  const bytes = (text: string) => new TextEncoder().encode(text);

  it('is reported as stored, and a retry without overwrite is then a CONFLICT, not a second copy', async () => {
    stack.emulator.faults.add({ method: 'POST', path: /\/resources\/late\/files\/stored\.txt$/, body: 'lose-answer' });
    const up = await uploadRequest(
      stack,
      UPLOAD,
      { p: project, name: 'stored.txt' },
      { name: 'stored.txt', bytes: bytes('stored before the answer was lost') },
    );
    expect(up.errors).toBeUndefined();
    expect(up.data.uploadFile).toMatchObject({ path: 'stored.txt', size: 33 });
    const rest = await xnatTable(stack, '/data/projects/test/resources/late/files');
    expect(rest.filter((r) => r.Name === 'stored.txt')).toHaveLength(1);
    const retry = await uploadRequest(
      stack,
      UPLOAD,
      { p: project, name: 'stored.txt' },
      { name: 'stored.txt', bytes: bytes('stored before the answer was lost') },
    );
    expect(retry.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('is a failure when the connection broke before XNAT stored anything', async () => {
    stack.emulator.faults.add({ method: 'POST', path: /\/resources\/late\/files\/never\.txt$/, body: 'drop' });
    const up = await uploadRequest(stack, UPLOAD, { p: project, name: 'never.txt' }, { name: 'never.txt', bytes: bytes('never stored') });
    expect(up.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    const rest = await xnatTable(stack, '/data/projects/test/resources/late/files');
    expect(rest.map((r) => r.Name)).not.toContain('never.txt');
  });

  it('is a failure when the file at that path holds other bytes (an older file the write did not replace)', async () => {
    const first = await uploadRequest(stack, UPLOAD, { p: project, name: 'older.txt' }, { name: 'older.txt', bytes: bytes('older bytes') });
    expect(first.errors).toBeUndefined();
    // Dropped before XNAT read it: the older file of the same size stays, and is not taken for the new one.
    stack.emulator.faults.add({ method: 'POST', path: /\/resources\/late\/files\/older\.txt$/, body: 'drop' });
    const up = await uploadRequest(
      stack,
      UPLOAD,
      { p: project, name: 'older.txt', overwrite: true },
      { name: 'older.txt', bytes: bytes('newer bytes') },
    );
    expect(up.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
  });

  it('is reported as stored when an overwrite replaced the file before the answer was lost', async () => {
    stack.emulator.faults.add({ method: 'POST', path: /\/resources\/late\/files\/older\.txt$/, body: 'lose-answer' });
    const up = await uploadRequest(
      stack,
      UPLOAD,
      { p: project, name: 'older.txt', overwrite: true },
      { name: 'older.txt', bytes: bytes('newer bytes') },
    );
    expect(up.errors).toBeUndefined();
    const listed = await stack.graphql('{ project(id: "test") { resource(label: "late") { file(name: "older.txt") { digest } } } }');
    expect(listed.data.project.resource.file.digest).toBe(createHash('md5').update('newer bytes').digest('hex'));
  });
});
