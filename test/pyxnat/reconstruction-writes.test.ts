import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasPyxnat, runPyxnat } from '../support/pyxnat.js';
import { ADMIN, startStack } from '../support/stack.js';

const SCRIPT = fileURLToPath(new URL('./reconstruction_lifecycle.py', import.meta.url));

const READ = `{ project(id: "test") { subject(label: "sub-04") { experiment(label: "sub-04_MR1") {
  reconstructions { nodes { label } }
  reconstruction(id: "sub-04_MR1_dti_kept") { type baseScanType resource(label: "maps") { files { nodes { path size } } } } } } } }`;

/** pyxnat's create(), attrs.set/mset/get, file insert and delete() on reconstructions, answered by the emulator as XNAT does. */
describe.each(['1.8.10', '1.7'])('pyxnat writes reconstructions (emulated XNAT %s)', (xnatVersion) => {
  it.skipIf(!hasPyxnat && !process.env.CI)(
    'creates, sets, stores a file, reads back and deletes; GraphQL sees the result',
    async () => {
      await using stack = await startStack({ xnatVersion });
      const stdout = await runPyxnat(
        SCRIPT,
        { server: stack.emulator.url, ...ADMIN },
        (home) => ['test', 'sub-04', 'sub-04_MR1', join(home, 'md.txt')],
        { files: { 'md.txt': 'mean diffusivity\n' } },
      );
      const out = JSON.parse(stdout);
      expect(out.kept).toEqual({ exists: true, datatype: 'xnat:reconstructedImageData', values: ['DTI_MD', 'DWI'], files: ['md.txt'] });
      expect(out.gone).toEqual({ created: true, after_delete: false });
      expect(out.reconstructions).toEqual(['sub-04_MR1_dti_kept', 'sub-04_MR1_mni152']);

      const answer = await stack.graphql(READ);
      expect(answer.errors).toBeUndefined();
      const session = answer.data.project.subject.experiment;
      expect(session.reconstructions.nodes.map((r: { label: string }) => r.label)).toEqual(out.reconstructions);
      expect(session.reconstruction).toEqual({
        type: 'DTI_MD',
        baseScanType: 'DWI',
        resource: { files: { nodes: [{ path: 'md.txt', size: 17 }] } },
      });
    },
    180_000,
  );
});
