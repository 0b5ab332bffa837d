import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ADMIN, startStack } from '../support/stack.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./reconstruction_lifecycle.py', import.meta.url));
const hasPyxnat = spawnSync(PYTHON, ['-c', 'import pyxnat']).status === 0;

const READ = `{ project(id: "test") { subject(label: "sub-04") { experiment(label: "sub-04_MR1") {
  reconstructions { nodes { label } }
  reconstruction(id: "sub-04_MR1_dti_kept") { type baseScanType resource(label: "maps") { files { nodes { path size } } } } } } } }`;

/** pyxnat's create(), attrs.set/mset/get, file insert and delete() on reconstructions, answered by the emulator as XNAT does. */
describe.each(['1.8.10', '1.7'])('pyxnat writes reconstructions (emulated XNAT %s)', (xnatVersion) => {
  it.skipIf(!hasPyxnat && !process.env.CI)(
    'creates, sets, stores a file, reads back and deletes; GraphQL sees the result',
    async () => {
      await using stack = await startStack({ xnatVersion });
      const dir = await mkdtemp(join(tmpdir(), 'pyxnat-reconstruction-writes-'));
      try {
        const config = join(dir, 'admin.cfg');
        await writeFile(config, JSON.stringify({ server: stack.emulator.url, user: ADMIN.user, password: ADMIN.password }));
        const upload = join(dir, 'md.txt');
        await writeFile(upload, 'mean diffusivity\n');
        const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, config, 'test', 'sub-04', 'sub-04_MR1', upload], {
          env: { ...process.env, HOME: dir },
          timeout: 120_000,
        });
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
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
