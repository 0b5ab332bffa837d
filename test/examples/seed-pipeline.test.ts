import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, startStack, xnatTable, type Stack } from '../support/stack.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe('examples/seed-pipeline.ts, the seed processing example through GraphQL', () => {
  let stack: Stack;
  let out: string;

  beforeAll(async () => {
    stack = await startStack();
    out = await mkdtemp(join(tmpdir(), 'seed-pipeline-'));
  });

  afterAll(async () => {
    await stack.close();
    await rm(out, { recursive: true, force: true });
  });

  it.each([
    ['a GraphQL multipart request', [] as string[], false],
    ['the raw upload route (--raw-upload-from 0)', ['--raw-upload-from', '0'], true],
  ])(
    'downloads every mprage NIfTI of project test, uploads the processed copy beside it through %s and verifies it',
    async (_how, flags, inBody) => {
      const mprageScans = (
        await xnatTable(
          stack,
          '/data/experiments?project=test&xsiType=xnat:mrSessionData&columns=ID,label,xnat:imageScanData/ID,xnat:imageScanData/type',
        )
      ).filter((row) => row['xnat:imagescandata/type'] === 'mprage');
      expect(mprageScans.length).toBeGreaterThan(0);

      stack.emulator.requests.clear();
      const { stdout } = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'examples/seed-pipeline.ts',
          '--endpoint',
          stack.gateway.graphqlUrl,
          '--user',
          ADMIN.user,
          '--password',
          ADMIN.password,
          '--out',
          out,
          '--quiet',
          ...flags,
        ],
        { cwd: root, timeout: 60_000 },
      );
      expect(stdout).toContain(`${mprageScans.length} scans processed, ${mprageScans.length} verified`);
      // The raw route hands XNAT the file as the body (inbody=true); multipart stays multipart.
      const uploads = stack.emulator.requests.entries().filter((e) => e.method === 'POST' && e.path.endsWith('/mprage_brain.nii.gz'));
      expect(uploads).toHaveLength(mprageScans.length);
      expect(uploads.every((e) => /(^|&)inbody=true(&|$)/.test(e.query) === inBody)).toBe(true);

      for (const row of mprageScans) {
        const session = row['ID']!;
        const scan = row['xnat:imagescandata/id']!;
        const base = `${stack.emulator.url}/data/experiments/${session}/scans/${scan}/resources/nifti/files`;
        const headers = { authorization: basic(ADMIN) };
        const [original, processed] = await Promise.all(
          ['mprage.nii.gz', 'mprage_brain.nii.gz'].map(async (name) =>
            Buffer.from(await (await fetch(`${base}/${name}`, { headers })).arrayBuffer()),
          ),
        );
        // The default processing step is a copy, so XNAT must now hold the same bytes twice.
        expect(processed!.length).toBeGreaterThan(0);
        expect(processed!.equals(original!)).toBe(true);
        const local = await readFile(join(out, await subjectOf(stack, session), row['label']!, scan, 'mprage_brain.nii.gz'));
        expect(local.equals(original!)).toBe(true);
      }
    },
    90_000,
  );
});

async function subjectOf(stack: Stack, session: string): Promise<string> {
  const [row] = await xnatTable(stack, `/data/experiments?ID=${session}&columns=ID,subject_label`);
  return row!['subject_label']!;
}
