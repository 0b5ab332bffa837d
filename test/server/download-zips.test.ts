import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { codes, download } from '../support/e2e.js';
import { unzip } from '../support/zip.js';

/**
 * Zip downloads of a resource, a scan and a session: saved names that do not collide, and entries
 * named as XNAT names them (`<session>/scans/<id>-<type>/resources/<label>/files/<path>`) holding
 * the same bytes as each file's own download.
 */

interface FileNode {
  path: string;
  downloadUrl: string;
}
interface ResourceNode {
  label: string;
  downloadUrl: string;
  files: { nodes: FileNode[] };
}
interface ScanNode {
  label: string;
  type: string | null;
  downloadUrl: string;
  resources: { nodes: ResourceNode[] };
}
interface SessionNode {
  label: string;
  downloadUrl: string;
  mprageNifti: string;
  resources: { nodes: ResourceNode[] };
  scans: { nodes: ScanNode[] };
}

let stack: Stack;
let session: SessionNode;
let projectResource: ResourceNode;

const RESOURCE = 'label downloadUrl files { nodes { path downloadUrl } }';

beforeAll(async () => {
  stack = await startStack();
  const response = await stack.graphql(`{
    project(id: "test") {
      resource(label: "protocols") { ${RESOURCE} }
      subject(label: "sub-01") { experiment(label: "sub-01_MR1") {
        label downloadUrl
        mprageNifti: downloadUrl(scanTypes: ["mprage"], resources: ["nifti"])
        resources { nodes { ${RESOURCE} } }
        scans { nodes { label type downloadUrl resources { nodes { ${RESOURCE} } } } }
      } }
    }
  }`);
  expect(response.errors).toBeUndefined();
  session = response.data.project.subject.experiment;
  projectResource = response.data.project.resource;
  expect(session.scans.nodes.length).toBeGreaterThan(1);
});

afterAll(async () => {
  await stack?.close();
});

function savedName(headers: Headers): string | undefined {
  return /filename="([^"]+)"/.exec(headers.get('content-disposition') ?? '')?.[1];
}

/** The entry name XNAT gives a scan file in a zip (RestFileUtils.buildRelativePath). */
function scanEntry(scan: ScanNode, resource: ResourceNode, file: FileNode): string {
  return `${session.label}/scans/${scan.label}-${(scan.type ?? '').replace(/\W/g, '_')}/resources/${resource.label}/files/${file.path}`;
}

/** Expected entries with their bytes, each fetched through the file's own downloadUrl. */
async function expectedEntries(list: Array<{ name: string; file: FileNode }>): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  for (const { name, file } of list) entries.set(name, (await download(file.downloadUrl)).bytes);
  return entries;
}

async function expectZip(url: string, name: string, expected: Map<string, Buffer>): Promise<void> {
  const response = await download(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/zip');
  expect(savedName(response.headers)).toBe(name);
  const entries = await unzip(response.bytes);
  expect([...entries.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [entry, bytes] of expected) expect(entries.get(entry)!.equals(bytes), entry).toBe(true);
}

describe('resource zips', () => {
  it('are saved under distinct names: <session>_<scan>_<resource>.zip, <session>_<resource>.zip, <project>_<resource>.zip', async () => {
    const names: string[] = [];
    for (const scan of session.scans.nodes) {
      for (const resource of scan.resources.nodes) {
        const response = await download(resource.downloadUrl, undefined, { range: 'bytes=0-0' });
        expect(response.status).toBeLessThan(300);
        expect(savedName(response.headers)).toBe(`${session.label}_${scan.label}_${resource.label}.zip`);
        names.push(savedName(response.headers)!);
      }
    }
    for (const resource of session.resources.nodes) {
      const response = await download(resource.downloadUrl);
      expect(savedName(response.headers)).toBe(`${session.label}_${resource.label}.zip`);
      names.push(savedName(response.headers)!);
    }
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(2);
    expect(savedName((await download(projectResource.downloadUrl)).headers)).toBe(`test_${projectResource.label}.zip`);
  });
});

describe('scan zips', () => {
  it('hold every file of every resource of the scan', async () => {
    const scan = session.scans.nodes.find((s) => s.resources.nodes.length > 1)!;
    expect(scan).toBeDefined();
    const expected = await expectedEntries(
      scan.resources.nodes.flatMap((resource) => resource.files.nodes.map((file) => ({ name: scanEntry(scan, resource, file), file }))),
    );
    await expectZip(scan.downloadUrl, `${session.label}_${scan.label}.zip`, expected);
  });

  it('narrow to the named resources', async () => {
    const scan = session.scans.nodes.find((s) => s.resources.nodes.length > 1)!;
    const resource = scan.resources.nodes[0]!;
    const { data, errors } = await stack.graphql(
      'query ($id: ID!, $r: [String!]) { node(id: $id) { ... on Scan { downloadUrl(resources: $r) } } }',
      {
        id: await scanId(scan.label),
        r: [resource.label],
      },
    );
    expect(errors).toBeUndefined();
    const expected = await expectedEntries(resource.files.nodes.map((file) => ({ name: scanEntry(scan, resource, file), file })));
    await expectZip(data.node.downloadUrl, `${session.label}_${scan.label}_${resource.label}.zip`, expected);
  });
});

describe('session zips', () => {
  it('hold every scan file of the session (session resources stay out, as in scans/ALL/files)', async () => {
    const expected = await expectedEntries(
      session.scans.nodes.flatMap((scan) =>
        scan.resources.nodes.flatMap((resource) => resource.files.nodes.map((file) => ({ name: scanEntry(scan, resource, file), file }))),
      ),
    );
    await expectZip(session.downloadUrl, `${session.label}_scans.zip`, expected);
  });

  it('narrow to scan types and resource labels', async () => {
    const list = session.scans.nodes
      .filter((scan) => scan.type === 'mprage')
      .flatMap((scan) =>
        scan.resources.nodes
          .filter((r) => r.label === 'nifti')
          .flatMap((resource) => resource.files.nodes.map((file) => ({ name: scanEntry(scan, resource, file), file }))),
      );
    expect(list.length).toBeGreaterThan(0);
    await expectZip(session.mprageNifti, `${session.label}_mprage_nifti.zip`, await expectedEntries(list));
  });

  it('refuse a scan type XNAT would read as a wildcard', async () => {
    const response = await stack.graphql('{ project(id: "test") { experiments(first: 1) { nodes { downloadUrl(scanTypes: ["ALL"]) } } } }');
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('are refused to a user who cannot read the session', async () => {
    const priv = await stack.graphql('{ project(id: "PRIV_ONC") { experiments(first: 1) { nodes { downloadUrl } } } }');
    const url = priv.data.project.experiments.nodes[0].downloadUrl as string;
    const response = await download(url, { user: 'guest', password: 'guest' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.bytes.subarray(0, 2).toString()).not.toBe('PK');
  });
});

async function scanId(label: string): Promise<string> {
  const { data } = await stack.graphql(
    'query ($l: String!, $s: String!) { project(id: "test") { subject(label: "sub-01") { experiment(label: $l) { scan(id: $s) { id } } } } }',
    { l: session.label, s: label },
  );
  return data.project.subject.experiment.scan.id;
}
