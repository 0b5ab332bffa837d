import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { schema } from '../../src/schema/index.js';
import { XnatClient } from '../../src/xnat/client.js';
import { GUEST, startStack, type Stack } from '../support/stack.js';

/**
 * XNAT requests must grow with the depth of a query, never with the number of objects. Counts
 * are read from the emulator's own request log, so every request the gateway sends is seen.
 */

const FILE = 'id uri name path size format content tags digest downloadUrl';
const RESOURCE = `id uri label resourceId format content tags fileCount totalSize downloadUrl`;
const SCAN = 'id uri label type seriesDescription quality frames modality note';
const EXPERIMENT = `id uri label accessionId xsiType date time visitId note insertDate modality scanner ... on MrSession { fieldStrength } ... on PetSession { tracer }`;
const SUBJECT = 'id uri label accessionId group gender handedness yob age insertDate';
const PROJECT = 'id uri label name secondaryId description keywords pi';

/** The whole tree with every field, session-level resources included. */
const FULL_TREE = `{ projects { totalCount nodes { ${PROJECT} subjects { totalCount nodes { ${SUBJECT}
  experiments { totalCount nodes { ${EXPERIMENT}
    resources { totalCount nodes { ${RESOURCE} files { totalCount nodes { ${FILE} } } } }
    scans { totalCount nodes { ${SCAN} resources { totalCount nodes { ${RESOURCE} files { totalCount nodes { ${FILE} } } } } } } } } } } } } }`;

/** Queries one level deeper each: projects, subjects, experiments, scans, scan resources, files. */
const LEVELS = [
  `projects { nodes { label } }`,
  `projects { nodes { label subjects { nodes { label } } } }`,
  `projects { nodes { label subjects { nodes { label experiments { nodes { label } } } } } }`,
  `projects { nodes { label subjects { nodes { label experiments { nodes { label scans { nodes { label type } } } } } } } }`,
  `projects { nodes { label subjects { nodes { label experiments { nodes { label scans { nodes { label resources { nodes { label } } } } } } } } } }`,
  `projects { nodes { label subjects { nodes { label experiments { nodes { label scans { nodes { label resources { nodes { label files { nodes { name size } } } } } } } } } } } }`,
].map((q) => `{ ${q} }`);

function count(data: unknown, key: string): number {
  if (Array.isArray(data)) return data.reduce((n, item) => n + count(item, key), 0);
  if (data && typeof data === 'object') {
    return Object.entries(data).reduce(
      (n, [k, v]) =>
        n +
        (k === key && Array.isArray((v as { nodes?: unknown[] })?.nodes) ? (v as { nodes: unknown[] }).nodes.length : 0) +
        count(v, key),
      0,
    );
  }
  return 0;
}

describe('XNAT requests per GraphQL query', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The cold path: every query asks XNAT (the cache's own savings are test/dashboard/cache*.test.ts).
    stack = await startStack({ cache: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers the full tree of the demo dataset, every field, in 16 XNAT requests', async () => {
    const { data, xnatRequests } = await stack.measure(FULL_TREE);
    // projects 1; subjects 1 + a share probe 1 + the 4 projects' listings (PROT_NEURO holds shared
    // subjects, so XNAT must give their labels there); experiments 1 + PROT_NEURO's listing 1;
    // scans (+modality/scanner) 1, MR and PET type columns 2, session resources + files 2, scan
    // resources + files 2.
    expect(xnatRequests).toBe(16);
    expect(count(data, 'subjects')).toBeGreaterThanOrEqual(20);
    expect(count(data, 'experiments')).toBeGreaterThanOrEqual(40);
    expect(count(data, 'files')).toBeGreaterThan(100);
  });

  it('reports every XNAT request to /metrics under a route template without ids', async () => {
    const before = await stack.measure(FULL_TREE);
    const metrics = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    const lines = metrics.split('\n').filter((l) => l.startsWith('xnat_upstream_requests_total{'));
    expect(lines.some((l) => l.includes('route="/data/experiments/{ids}/scans/ALL/resources"'))).toBe(true);
    expect(metrics).not.toMatch(/XNAT_[SE]\d/);
    const total = lines.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
    expect(total).toBeGreaterThanOrEqual(before.xnatRequests);
  });

  it('adds a constant number of requests per level', async () => {
    const counts: number[] = [];
    for (const query of LEVELS) counts.push((await stack.measure(query)).xnatRequests);
    // Subjects: owners' listing + share probe + each project's listing (4); experiments: the
    // site-wide listing + one for PROT_NEURO, the one project holding shared subjects.
    expect(counts).toEqual([1, 7, 9, 10, 12, 12]);
    // One project: its own listing at each level, no share probe.
    const one: number[] = [];
    for (const query of LEVELS)
      one.push((await stack.measure(query.replace('projects { nodes {', 'project(id: "test") {').replace(/ } }$/, ' }'))).xnatRequests);
    expect(one).toEqual([1, 2, 3, 4, 6, 6]);
  });

  it('costs the same for the same depth whatever the number of objects: one per level, plus listings where shares are', async () => {
    const one = await stack.measure(
      `{ project(id: "test") { subjects { nodes { experiments { nodes { scans { nodes { resources { nodes { files { nodes { name } } } } } } } } } } } }`,
    );
    // project 1, the project's subjects 1, experiments 1, scans 1, resources + files 2.
    expect(one.xnatRequests).toBe(6);
    const all = await stack.measure(LEVELS[5]!);
    const guest = await stack.measure(LEVELS[5]!, {}, GUEST);
    expect(count(all.data, 'experiments')).toBeGreaterThan(count(one.data, 'experiments'));
    expect(count(all.data, 'experiments')).toBeGreaterThan(count(guest.data, 'experiments'));
    const projects = (data: any) => data.projects.nodes.length;
    // Several projects: + the share probe, + each project's listing (shares exist), + one
    // experiment listing for PROT_NEURO's shared subjects where they are readable.
    expect(all.xnatRequests).toBe(one.xnatRequests + 1 + projects(all.data) + 1);
    // The guest cannot read PROT_NEURO's data (protected): its listing lists nothing.
    expect(guest.xnatRequests).toBe(one.xnatRequests + 1 + projects(guest.data));
  });

  it('answers singular lookups from the list loaders, adding no request', async () => {
    const list = await stack.measure(
      `{ project(id: "test") { subjects { nodes { experiments { nodes { scans { nodes { resources { nodes { files { nodes { name } } } } } } } } } } } }`,
    );
    const both = await stack.measure(`{ project(id: "test") { subjects { nodes { label experiments { nodes { label
      scans { nodes { resources { nodes { files { nodes { name } } } } } }
      mprage: scans(type: "mprage") { nodes { resource(label: "nifti") { file(name: "mprage.nii.gz") { uri } } } }
      scan(id: "2") { type } } } } }
      subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: "2") { resource(label: "nifti") { file(name: "mprage.nii.gz") { size } } } } } } }`);
    expect(both.xnatRequests).toBe(list.xnatRequests);
    // The seed's processing loop alone: one request per level it walks.
    const loop = await stack.measure(
      `{ project(id: "test") { subjects { nodes { experiments { nodes { scans(type: "mprage") { nodes { resource(label: "nifti") { file(name: "mprage.nii.gz") { uri } } } } } } } } } }`,
    );
    expect(loop.xnatRequests).toBe(6);
  });

  it('resolves node ids through the same loaders: a file id costs one request per level below the subject', async () => {
    const { data } = await stack.graphql(
      `{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: "2") { id resource(label: "nifti") { id file(name: "mprage.nii.gz") { id } } } } } } }`,
    );
    const scan = data.project.subject.experiment.scan;
    const file = await stack.measure(`query ($id: ID!) { node(id: $id) { ... on File { name uri } } }`, { id: scan.resource.file.id });
    expect(file.data.node).toEqual({
      name: 'mprage.nii.gz',
      uri: '/data/projects/test/subjects/sub-01/experiments/sub-01_MR1/scans/2/resources/nifti/files/mprage.nii.gz',
    });
    // experiments of the subject, scans of the session, scan resources + their files
    expect(file.xnatRequests).toBe(4);
  });

  it('without batching (the benchmark baseline) makes one request per parent object', async () => {
    const xnat = new XnatClient({ baseUrl: stack.emulator.url, timeoutMs: 10_000 });
    try {
      const run = async (batching: boolean) => {
        const contextValue = createContext({
          xnat,
          auth: { kind: 'basic', user: 'admin', password: 'admin' },
          baseUrl: 'http://gateway',
          batching,
        });
        const result = await graphql({ schema, source: LEVELS[3]!, contextValue });
        expect(result.errors).toBeUndefined();
        return { requests: contextValue.stats.requests, data: result.data };
      };
      const batched = await run(true);
      const unbatched = await run(false);
      expect(unbatched.data).toEqual(batched.data);
      expect(batched.requests).toBe(10);
      const projects = count(batched.data, 'projects');
      const subjects = count(batched.data, 'subjects');
      const experiments = count(batched.data, 'experiments');
      // The two sessions shared into PROT_NEURO are listed twice; their scans are asked once.
      expect(unbatched.requests).toBe(1 + projects + subjects + experiments - 2);
    } finally {
      await xnat.close();
    }
  });
});

describe('XNAT requests on a larger dataset', () => {
  it('stay the same as on the demo dataset for the same query, at every depth', async () => {
    await using bench = await startStack({ dataset: 'bench:2', cache: false });
    await using demo = await startStack({ cache: false });
    for (const query of LEVELS) {
      const big = await bench.measure(query);
      const small = await demo.measure(query);
      expect(big.xnatRequests, query).toBe(small.xnatRequests);
    }
    const big = await bench.measure(LEVELS[5]!);
    const small = await demo.measure(LEVELS[5]!);
    expect(count(big.data, 'experiments')).toBeGreaterThan(count(small.data, 'experiments'));
  });
});
