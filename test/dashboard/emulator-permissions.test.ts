import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, startStack, xnatTable, type Stack } from '../support/stack.js';

/** The emulator answers XNAT's permission listings of projects (ProjectListResource, `restrict=`). */
describe('emulator: /data/projects?restrict= and ?permissions=&dataType=', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('narrows the readable projects to those the user may edit or delete', async () => {
    const all = (await xnatTable(stack, '/data/projects?columns=ID')).map((r) => r['ID']).sort();
    for (const action of ['edit', 'delete']) {
      expect((await xnatTable(stack, `/data/projects?restrict=${action}&columns=ID`)).map((r) => r['ID']).sort()).toEqual(all);
      expect(await xnatTable(stack, `/data/projects?restrict=${action}&columns=ID`, GUEST)).toEqual([]);
      expect((await xnatTable(stack, `/data/projects?permissions=${action}&dataType=xnat:subjectData`)).map((r) => r['id']).sort()).toEqual(
        all,
      );
      expect(await xnatTable(stack, `/data/projects?permissions=${action}&dataType=xnat:subjectData`, GUEST)).toEqual([]);
    }
    const readable = await xnatTable(stack, '/data/projects?permissions=read&dataType=xnat:subjectData', GUEST);
    expect(readable.length).toBeGreaterThan(0);
  });

  it('reads any other restrict value as read; permissions without a dataType fail as XNAT fails them (500)', async () => {
    // DefaultProjectHandler takes restrict only when it is edit or delete.
    expect(await xnatTable(stack, '/data/projects?restrict=fly&columns=ID', GUEST)).toEqual(
      await xnatTable(stack, '/data/projects?columns=ID', GUEST),
    );
    await expect(xnatTable(stack, '/data/projects?permissions=edit', ADMIN)).rejects.toThrow(/500/);
  });

  it('answers permissions as a bare id/secondary_id table; xnat:projectData lists projects to administrators only', async () => {
    const owner = { user: 'owner', password: 'owner' };
    const rows = await xnatTable(stack, '/data/projects?permissions=edit&dataType=xnat:mrSessionData&columns=name', owner);
    expect(rows).toEqual([{ id: 'PROT_NEURO', secondary_id: expect.any(String) }]);
    expect(await xnatTable(stack, '/data/projects?permissions=edit&dataType=xnat:projectData', owner)).toEqual([]);
    expect((await xnatTable(stack, '/data/projects?permissions=edit&dataType=xnat:projectData')).length).toBeGreaterThan(1);
  });
});
