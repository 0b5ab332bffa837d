import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, startDashboardStack, xnatTable, type Stack } from './support.js';

/** The emulator answers XNAT's permission listings of projects (ProjectListResource, `restrict=`). */
describe('emulator: /data/projects?restrict= and ?permissions=&dataType=', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startDashboardStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('narrows the readable projects to those the user may edit or delete', async () => {
    const all = (await xnatTable(stack, '/data/projects?columns=ID')).map((r) => r['ID']).sort();
    for (const action of ['edit', 'delete']) {
      expect((await xnatTable(stack, `/data/projects?restrict=${action}&columns=ID`)).map((r) => r['ID']).sort()).toEqual(all);
      expect(await xnatTable(stack, `/data/projects?restrict=${action}&columns=ID`, GUEST)).toEqual([]);
      expect(
        (await xnatTable(stack, `/data/projects?permissions=${action}&dataType=xnat:subjectData&columns=ID`)).map((r) => r['ID']).sort(),
      ).toEqual(all);
      expect(await xnatTable(stack, `/data/projects?permissions=${action}&dataType=xnat:subjectData`, GUEST)).toEqual([]);
    }
    const readable = await xnatTable(stack, '/data/projects?permissions=read&dataType=xnat:subjectData&columns=ID', GUEST);
    expect(readable.length).toBeGreaterThan(0);
  });

  it('reads any other restrict value as read, and refuses permissions without a dataType', async () => {
    // DefaultProjectHandler takes restrict only when it is edit or delete.
    expect(await xnatTable(stack, '/data/projects?restrict=fly&columns=ID', GUEST)).toEqual(
      await xnatTable(stack, '/data/projects?columns=ID', GUEST),
    );
    await expect(xnatTable(stack, '/data/projects?permissions=edit', ADMIN)).rejects.toThrow(/400/);
  });
});
