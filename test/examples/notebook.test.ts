import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startStack, type Stack } from '../support/stack.js';
import { repoRoot } from '../support/e2e.js';

/**
 * examples/python/seed_walkthrough.ipynb executed headless (nbclient, Debian's python3 kernel)
 * against the demo, its outputs checked against what the gateway says, and its writes checked
 * in the archive afterwards. The executed notebook is kept in test-artifacts/.
 */

const run = promisify(execFile);
const notebook = join(repoRoot, 'examples/python/seed_walkthrough.ipynb');
const artifacts = join(repoRoot, 'test-artifacts');
const executed = join(artifacts, 'seed_walkthrough.executed.ipynb');

const EXECUTE = `
import sys
import nbformat
from nbclient import NotebookClient
source, target, folder = sys.argv[1:4]
nb = nbformat.read(source, as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()
nbformat.write(nb, target)
`;

interface Cell {
  cell_type: string;
  outputs?: Array<{ output_type: string; text?: string | string[]; data?: Record<string, string | string[]>; ename?: string }>;
}

let stack: Stack;
let printed: string;
let html: string;

beforeAll(async () => {
  stack = await startStack({ gateway: { credentials: ADMIN } });
  await mkdir(artifacts, { recursive: true });
  await run('/usr/bin/python3', ['-c', EXECUTE, notebook, executed, join(repoRoot, 'examples/python')], {
    timeout: 900_000,
    // Debian's kernel spec starts `python3`: the system one, with pandas and requests.
    env: { ...process.env, PATH: `/usr/bin:${process.env.PATH ?? ''}`, XNAT_GRAPHQL_URL: stack.gateway.graphqlUrl },
  });
  const cells = (JSON.parse(await readFile(executed, 'utf8')) as { cells: Cell[] }).cells;
  const outputs = cells.flatMap((c) => c.outputs ?? []);
  expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
  const join_ = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('') : (v ?? ''));
  printed = outputs.map((o) => join_(o.text)).join('');
  html = outputs.map((o) => join_(o.data?.['text/html'])).join('');
}, 960_000);

afterAll(async () => {
  await stack?.close();
});

function line(label: string): string {
  const found = new RegExp(`^${label}: (.*)$`, 'm').exec(printed)?.[1];
  expect(found, `"${label}:" in ${printed}`).toBeDefined();
  return found!;
}

describe('the Python notebook', () => {
  it('lists projects and tells existing from absent ones', async () => {
    const { data } = await stack.graphql('{ projects { nodes { label } } }');
    for (const project of data.projects.nodes) expect(line('projects')).toContain(`'${project.label}'`);
    expect(line('exists test')).toBe('True');
    expect(line('exists nope')).toBe('False');
  });

  it('builds the scan table as a DataFrame, with the types the gateway reports', async () => {
    const { data } = await stack.graphql('{ project(id: "test") { experiments { nodes { scans { nodes { type } } } } } }');
    const types = data.project.experiments.nodes.flatMap((e: any) => e.scans.nodes.map((s: any) => s.type));
    expect(Number(line('scan rows'))).toBe(types.length);
    expect(Number(line('mprage scans'))).toBe(types.filter((t: string) => t === 'mprage').length);
    expect(html).toContain('<table');
    expect(html).toContain('mprage');
  });

  it('downloads the NIfTI whole and reads its header', async () => {
    const sizes = /^(\d+) bytes, expected (\d+)$/.exec(line('downloaded'));
    expect(sizes?.[1]).toBe(sizes?.[2]);
    expect(Number(sizes?.[1])).toBeGreaterThan(348);
    expect(line('NIfTI dims')).toMatch(/^\(\d+, \d+, \d+\)$/);
  });

  it('uploads a file to a scan by node id and deletes it again', async () => {
    expect(line('uploaded')).toMatch(/\/scans\/2\/resources\/notes\/files\/qc-note\.txt \d+$/);
    expect(line('deleted')).toBe('True still there: False');
    const { data } = await stack.graphql(
      '{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: "2") { resource(label: "notes") { file(name: "qc-note.txt") { name } } } } } } }',
    );
    expect(data.project.subject.experiment.scan.resource?.file ?? null).toBeNull();
  });

  it('runs the processing loop over every mprage scan and leaves each result in the archive', async () => {
    const { data } = await stack.graphql(`{ project(id: "test") { experiments { nodes { scans(type: "mprage") { nodes {
      resource(label: "nifti") { input: file(name: "mprage.nii.gz") { size } result: file(name: "mprage_processed.nii.gz") { size } } } } } } } }`);
    const resources = data.project.experiments.nodes
      .flatMap((e: any) => e.scans.nodes.map((s: any) => s.resource))
      .filter((r: any) => r?.input);
    expect(resources.length).toBeGreaterThan(0);
    expect(line('processed')).toBe(`${resources.length} verified: ${resources.length}`);
    for (const resource of resources) expect(resource.result?.size).toBeGreaterThan(0);
  });
});
