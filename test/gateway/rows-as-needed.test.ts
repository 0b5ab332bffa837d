import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The gateway sends XNAT only the listings a query's selection needs: resource fields come from
 * resource listings, and files listings (every file row of every session) only when file fields
 * are asked for. Read from the emulator's request log.
 */
describe('files listings only for file fields', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The cold path: every query's listings reach XNAT's request log, none answered by the cache.
    stack = await startStack({ cache: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const RESOURCE = 'label resourceId format content tags fileCount totalSize';
  const LEVELS: Record<string, (fields: string) => string> = {
    project: (f) => `{ projects { nodes { resources { nodes { ${f} } } } } }`,
    subject: (f) => `{ projects { nodes { subjects { nodes { resources { nodes { ${f} } } } } } } }`,
    session: (f) => `{ projects { nodes { experiments { nodes { resources { nodes { ${f} } } } } } } }`,
    scan: (f) => `{ projects { nodes { experiments { nodes { scans { nodes { resources { nodes { ${f} } } } } } } } } }`,
    'scan, by label': (f) =>
      `{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: "2") { resource(label: "nifti") { ${f} } } } } } }`,
    'scan, through edges and fragments': (f) =>
      `{ projects { nodes { experiments { nodes { ... on MrSession { scans { edges { node { resources { edges { node { ...R } } } } } } } } } } } } fragment R on Resource { ${f} }`,
  };

  const filesListings = () => stack.emulator.requests.entries().filter((e) => /\/files(\/|$)/.test(e.path));
  const resourceRows = (data: unknown): number => JSON.stringify(data).split('"resourceId"').length - 1;

  for (const [level, query] of Object.entries(LEVELS)) {
    it(`${level} resources: no files listing without file fields, one round of them with`, async () => {
      const without = await stack.measure(query(RESOURCE));
      expect(resourceRows(without.data)).toBeGreaterThan(0);
      // The demo's edge_names resource (project test) has no stored file_count/file_size, as XNAT
      // leaves them for resources never counted: its counts come from its own files listing.
      expect(filesListings().map((e) => e.path)).toEqual(level === 'project' ? ['/data/projects/test/files'] : []);

      const single = level === 'scan, by label';
      const withFiles = await stack.measure(
        query(`${RESOURCE} ${single ? 'file(name: "mprage.nii.gz") { size }' : 'files { nodes { name size } }'}`),
      );
      expect(resourceRows(withFiles.data)).toBe(resourceRows(without.data));
      expect(filesListings().length).toBeGreaterThan(0);
      expect(JSON.stringify(withFiles.data)).toMatch(/"size":\d+/);
    });
  }
});
