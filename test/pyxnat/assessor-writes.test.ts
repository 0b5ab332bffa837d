import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPyxnat, runPyxnat } from '../support/pyxnat.js';
import { ADMIN, startStack, type Stack } from '../support/stack.js';

const SCRIPT = fileURLToPath(new URL('./assessor_lifecycle.py', import.meta.url));

const READ = `{ project(id: "test") { subject(label: "sub-04") { experiment(label: "sub-04_MR1") {
  assessors { nodes { label } }
  assessor(label: "sub-04_MR1_fs_kept") { xsiType fields(paths: ["fs:fsData/fs_version", "fs:fsData/measures/volumetric/ICV", "xnat:experimentData/note"]) { path value } } } } } }`;

/** pyxnat's create(), attrs.set/mset/get and delete() on image assessors, answered by the emulator as XNAT does. */
describe.each(['1.8.10', '1.7'])('pyxnat writes image assessors (emulated XNAT %s)', (xnatVersion) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ xnatVersion });
  });
  afterAll(() => stack.close());

  it.skipIf(!hasPyxnat && !process.env.CI)(
    'creates, sets, reads back (a float as 42.0) and deletes; GraphQL sees the result',
    async () => {
      const stdout = await runPyxnat(SCRIPT, { server: stack.emulator.url, ...ADMIN }, () => ['test', 'sub-04', 'sub-04_MR1']);
      const out = JSON.parse(stdout);
      expect(out.kept).toEqual({
        exists: true,
        datatype: 'fs:fsData',
        values: ['7.4.1', '1500000.0', '42.0', 'from pyxnat'],
      });
      expect(out.gone).toEqual({ created: true, pass: 'fail', after_delete: false });
      expect(out.assessors).toContain('sub-04_MR1_fs_kept');
      expect(out.assessors).not.toContain('sub-04_MR1_qc_gone');

      const answer = await stack.graphql(READ);
      expect(answer.errors).toBeUndefined();
      const session = answer.data.project.subject.experiment;
      expect(session.assessors.nodes.map((a: { label: string }) => a.label).sort()).toEqual([...out.assessors].sort());
      expect(session.assessor).toEqual({
        xsiType: 'fs:fsData',
        fields: [
          { path: 'fs:fsData/fs_version', value: '7.4.1' },
          { path: 'fs:fsData/measures/volumetric/ICV', value: '1500000.0' },
          { path: 'xnat:experimentData/note', value: 'from pyxnat' },
        ],
      });
    },
    180_000,
  );
});
