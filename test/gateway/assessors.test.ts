import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, startStack, uploadRequest, xnatTable, type Stack } from '../support/stack.js';

/**
 * Image assessors (QC, FreeSurfer) of sessions: what XNAT lists under each session, reached with
 * one listing per level whatever the number of sessions or assessors. Counts are read from the
 * emulator's request log.
 */

interface Named<T> {
  totalCount?: number;
  nodes: T[];
}
interface AssessorNode {
  id: string;
  uri: string;
  label: string;
  accessionId: string;
  xsiType: string;
  date: string | null;
  pass: string | null;
  version: string | null;
  resources: Named<{ label: string; fileCount: number; files: Named<{ path: string; size: number }> }>;
}
interface Tree {
  project: {
    subjects: Named<{ label: string; experiments: Named<{ label: string; accessionId: string; assessors: Named<AssessorNode> }> }>;
  };
}

const ASSESSORS = `{ project(id: "test") { subjects { nodes { label experiments { nodes { label accessionId
  assessors { totalCount nodes { id uri label accessionId xsiType date
    pass: field(path: "xnat:qcManualAssessorData/pass") version: field(path: "fs:fsData/fs_version")
    resources { nodes { label fileCount files { nodes { path size } } } } } } } } } } } }`;

const sessionsOf = (data: Tree) => data.project.subjects.nodes.flatMap((s) => s.experiments.nodes.map((e) => ({ subject: s.label, ...e })));

describe('Image assessors', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Request counts are asserted on the cold path: every listing goes to XNAT.
    stack = await startStack({ cache: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lists what XNAT lists under each session, with type-specific fields, resources and files', async () => {
    const { data } = await stack.measure<Tree>(ASSESSORS);
    const sessions = sessionsOf(data);
    expect(sessions.length).toBe(15);
    let qc = 0;
    let freesurfer = 0;
    for (const session of sessions) {
      const listed = await xnatTable(stack, `/data/projects/test/subjects/${session.subject}/experiments/${session.label}/assessors`);
      const nodes = session.assessors.nodes;
      expect(nodes.map((a) => [a.accessionId, a.label, a.xsiType, a.date])).toEqual(
        listed.sort((a, b) => a['label']!.localeCompare(b['label']!)).map((r) => [r['ID'], r['label'], r['xsiType'], r['date']]),
      );
      for (const a of nodes) {
        expect(a.uri).toBe(`/data/projects/test/subjects/${session.subject}/experiments/${session.label}/assessors/${a.label}`);
        if (a.xsiType === 'xnat:qcManualAssessorData') {
          qc++;
          expect(['pass', 'fail']).toContain(a.pass);
          expect(a.resources.nodes).toEqual([]);
        } else {
          freesurfer++;
          expect(a.xsiType).toBe('fs:fsData');
          expect(a.version).toBe('7.4.1');
          const [snapshots] = a.resources.nodes;
          expect(snapshots?.label).toBe('SNAPSHOTS');
          expect(snapshots?.files.nodes.map((f) => f.path)).toEqual([`${session.label}_aseg.png`, `${session.label}_surfaces.png`]);
          expect(snapshots?.fileCount).toBe(2);
        }
      }
    }
    expect(qc).toBeGreaterThan(5);
    expect(freesurfer).toBe(10);
  });

  it('asks XNAT once per level: assessors, each assessor type of fields, resources with their files', async () => {
    stack.emulator.requests.clear();
    const { xnatRequests } = await stack.measure<Tree>(ASSESSORS);
    const paths = stack.emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION');
    const assessorListings = paths.filter((e) => e.path === '/data/experiments' && e.query.includes('imageAssessorData'));
    // One site-wide listing rooted at xnat:imageAssessorData, filtered by the sessions' IDs.
    expect(assessorListings.filter((e) => e.query.includes('imageSession_ID='))).toHaveLength(1);
    // project 1 + subjects 1 + experiments 1 + assessors 1 + fields 2 (one per assessor type) +
    // assessor resources with their files 2.
    expect(paths.filter((e) => /\/assessors\/[^/]+\/resources$/.test(e.path))).toHaveLength(1);
    expect(paths.filter((e) => /\/assessors\/[^/]+\/(resources\/[^/]+\/)?files$/.test(e.path))).toHaveLength(1);
    expect(xnatRequests).toBe(8);
    // Without the deeper levels, one level fewer each time.
    const shallow = `{ project(id: "test") { subjects { nodes { experiments { nodes { assessors { nodes { label } } } } } } } }`;
    expect((await stack.measure(shallow)).xnatRequests).toBe(4);
  });

  it('filters by data type, finds one by label, and finds it again by node id', async () => {
    const query = `{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") {
      fs: assessors(xsiType: "FS:FSDATA") { totalCount nodes { label } }
      qc: assessor(label: "sub-01_MR1_QC") { id label xsiType session { label } project { label } } } } } }`;
    const { data } = await stack.measure(query);
    const experiment = data.project.subject.experiment;
    expect(experiment.fs).toEqual({ totalCount: 1, nodes: [{ label: 'sub-01_MR1_freesurfer' }] });
    expect(experiment.qc).toMatchObject({
      label: 'sub-01_MR1_QC',
      xsiType: 'xnat:qcManualAssessorData',
      session: { label: 'sub-01_MR1' },
      project: { label: 'test' },
    });
    const again = await stack.graphql(`query ($id: ID!) { node(id: $id) { ... on Assessor { label session { label } } } }`, {
      id: experiment.qc.id,
    });
    expect(again.data.node).toEqual({ label: 'sub-01_MR1_QC', session: { label: 'sub-01_MR1' } });
  });

  it('downloads an assessor resource file with the caller rights', async () => {
    const query = `{ project(id: "test") { subject(label: "sub-02") { experiment(label: "sub-02_MR1") {
      assessor(label: "sub-02_MR1_freesurfer") { resource(label: "SNAPSHOTS") { file(name: "sub-02_MR1_aseg.png") { size downloadUrl } } } } } } }`;
    const { data } = await stack.measure(query, {}, GUEST);
    const file = data.project.subject.experiment.assessor.resource.file;
    const response = await fetch(file.downloadUrl, {
      headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` },
    });
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(file.size);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('keeps assessors out of the experiment listings', async () => {
    const { data } = await stack.measure(`{ project(id: "test") { experiments { totalCount nodes { xsiType } } } }`, {}, ADMIN);
    expect(data.project.experiments.totalCount).toBe(15);
    expect(new Set(data.project.experiments.nodes.map((e: { xsiType: string }) => e.xsiType))).toEqual(new Set(['xnat:mrSessionData']));
  });

  it('counts QC pass and fail per project from the QC assessors, in one request for all projects', async () => {
    const query = `{ stats { qcResults { key count } } projects { nodes { label stats { qcResults { key count } } } } }`;
    const { data, xnatRequests } = await stack.measure(query);
    const listed = await xnatTable(
      stack,
      '/data/experiments?xsiType=xnat:qcManualAssessorData&columns=ID,project,xnat:qcManualAssessorData/pass',
    );
    const expected = (project?: string) => {
      const counts = new Map<string, number>();
      for (const row of listed.filter((r) => project === undefined || r['project'] === project)) {
        const key = row['xnat:qcmanualassessordata/pass']!;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => ({ key, count }));
    };
    expect(expected('test').map((c) => c.key)).toEqual(['fail', 'pass']);
    expect(data.stats.qcResults).toEqual(expected());
    for (const project of data.projects.nodes) expect(project.stats.qcResults).toEqual(expected(project.label));
    // projects 1 + QC listing 1 (all projects in one request).
    expect(xnatRequests).toBe(2);
  });
});

describe('Writes into assessor resources', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('uploads a file into a new resource of an assessor, reads it back, and deletes it and the resource', async () => {
    const ASSESSOR = `{ project(id: "test") { subject(label: "sub-03") { experiment(label: "sub-03_MR1") { accessionId
      assessor(label: "sub-03_MR1_QC") { id accessionId resource(label: "notes") { id files { nodes { id path size } } } } } } } }`;
    const before = await stack.graphql(ASSESSOR);
    const session = before.data.project.subject.experiment;
    expect(session.assessor.resource).toBeNull();
    const UPLOAD = `mutation ($p: ID!, $file: Upload!) { uploadFile(parent: $p, resource: "notes", file: $file, name: "rating.txt") { id uri size resource { label parent { id } } } }`;
    const up = await uploadRequest(
      stack,
      UPLOAD,
      { p: session.assessor.id },
      { name: 'rating.txt', bytes: new TextEncoder().encode('pass, checked') },
    );
    expect(up.errors).toBeUndefined();
    expect(up.data.uploadFile).toMatchObject({
      uri: '/data/projects/test/subjects/sub-03/experiments/sub-03_MR1/assessors/sub-03_MR1_QC/resources/notes/files/rating.txt',
      size: 13,
      resource: { label: 'notes', parent: { id: session.assessor.id } },
    });
    const rest = await xnatTable(
      stack,
      `/data/experiments/${session.accessionId}/assessors/${session.assessor.accessionId}/resources/notes/files`,
    );
    expect(rest.map((r) => r['Name'])).toEqual(['rating.txt']);
    const after = await stack.graphql(ASSESSOR);
    const resource = after.data.project.subject.experiment.assessor.resource;
    expect(resource.files.nodes).toMatchObject([{ path: 'rating.txt', size: 13 }]);

    const deleted = await stack.graphql('mutation ($id: ID!) { deleteFile(id: $id) }', { id: resource.files.nodes[0].id });
    expect(deleted.errors).toBeUndefined();
    expect((await stack.graphql(ASSESSOR)).data.project.subject.experiment.assessor.resource.files.nodes).toEqual([]);
    expect((await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: resource.id })).errors).toBeUndefined();
    expect((await stack.graphql(ASSESSOR)).data.project.subject.experiment.assessor.resource).toBeNull();
  });

  it('refuses a guest upload into an assessor resource and stores nothing', async () => {
    const { data } = await stack.graphql(
      `{ project(id: "test") { subject(label: "sub-04") { experiment(label: "sub-04_MR1") { accessionId assessor(label: "sub-04_MR1_QC") { id accessionId } } } } }`,
      {},
      GUEST,
    );
    const session = data.project.subject.experiment;
    const UPLOAD = `mutation ($p: ID!, $file: Upload!) { uploadFile(parent: $p, resource: "notes", file: $file, name: "x.txt") { id } }`;
    const up = await uploadRequest(
      stack,
      UPLOAD,
      { p: session.assessor.id },
      { name: 'x.txt', bytes: new TextEncoder().encode('x') },
      GUEST,
    );
    expect(up.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await xnatTable(stack, `/data/experiments/${session.accessionId}/assessors/${session.assessor.accessionId}/resources`)).toEqual(
      [],
    );
  });
});
