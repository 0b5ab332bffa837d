import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, startStack, uploadRequest, xnatTable, type Stack } from '../support/stack.js';

/** Every operation of the seed pyxnat walkthrough (seed-walkthrough.md), done through GraphQL over HTTP. */
describe('seed walkthrough through GraphQL', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const labels = (connection: { nodes: { label: string }[] }) => connection.nodes.map((n) => n.label).sort();

  it('lists all available projects, as XNAT lists them for each user', async () => {
    const query = '{ projects { totalCount nodes { label name uri } } }';
    for (const user of [ADMIN, GUEST]) {
      const { data } = await stack.graphql(query, {}, user);
      const rest = await xnatTable(stack, '/data/projects', user);
      expect(labels(data.projects)).toEqual(rest.map((r) => r.ID).sort());
      expect(data.projects.totalCount).toBe(rest.length);
    }
    const admin = (await stack.graphql(query)).data.projects.totalCount;
    const guest = (await stack.graphql(query, {}, GUEST)).data.projects.totalCount;
    expect(guest).toBeLessThan(admin);
  });

  it('tells whether a project exists (null when absent or not visible)', async () => {
    const query = 'query ($id: String!) { project(id: $id) { label uri } }';
    expect((await stack.graphql(query, { id: 'test' })).data.project).toEqual({ label: 'test', uri: '/data/projects/test' });
    expect((await stack.graphql(query, { id: 'nope' })).data.project).toBeNull();
    const all = (await stack.graphql('{ projects { nodes { label } } }')).data.projects.nodes.map((p: { label: string }) => p.label);
    const visible = (await stack.graphql('{ projects { nodes { label } } }', {}, GUEST)).data.projects.nodes.map(
      (p: { label: string }) => p.label,
    );
    const hidden = all.find((p: string) => !visible.includes(p));
    expect(hidden).toBeDefined();
    expect((await stack.graphql(query, { id: hidden }, GUEST)).data.project).toBeNull();
  });

  it('lists the subjects of a project and selects one by label', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { subjects { totalCount nodes { label uri accessionId } } subject(label: "sub-01") { label uri } missing: subject(label: "sub-99") { label } } }',
    );
    const rest = await xnatTable(stack, '/data/projects/test/subjects');
    expect(labels(data.project.subjects)).toEqual(rest.map((r) => r.label).sort());
    expect(data.project.subject).toEqual({ label: 'sub-01', uri: '/data/projects/test/subjects/sub-01' });
    expect(data.project.missing).toBeNull();
  });

  it('lists the experiments of a subject and selects one by label', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { subject(label: "sub-01") { experiments { nodes { label xsiType date uri } } experiment(label: "sub-01_MR1") { __typename label uri } none: experiment(label: "sub-01_MR9") { label } } } }',
    );
    const subject = data.project.subject;
    const rest = await xnatTable(stack, '/data/projects/test/subjects/sub-01/experiments');
    expect(labels(subject.experiments)).toEqual(rest.map((r) => r.label).sort());
    expect(subject.experiment).toEqual({
      __typename: 'MrSession',
      label: 'sub-01_MR1',
      uri: '/data/projects/test/subjects/sub-01/experiments/sub-01_MR1',
    });
    expect(subject.none).toBeNull();
    for (const e of subject.experiments.nodes) expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('lists scan ids and types, filters by type, and selects a scan by id', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { accessionId scans { nodes { label type seriesDescription } } mprage: scans(type: "mprage") { totalCount nodes { label type } } scan(id: "2") { label type uri } none: scan(id: "99") { label } } } } }',
    );
    const session = data.project.subject.experiment;
    const rest = await xnatTable(stack, `/data/experiments/${session.accessionId}/scans`);
    expect(session.scans.nodes.map((s: { label: string; type: string }) => [s.label, s.type]).sort()).toEqual(
      rest.map((r) => [r.ID, r.type]).sort(),
    );
    expect(session.mprage.nodes).toEqual([{ label: '2', type: 'mprage' }]);
    expect(session.scan).toEqual({ label: '2', type: 'mprage', uri: '/data/projects/test/subjects/sub-01/experiments/sub-01_MR1/scans/2' });
    expect(session.none).toBeNull();
  });

  it('lists the resources of a scan, selects one, lists its files and gives a file its pyxnat uri', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { accessionId scan(id: "2") { resources { nodes { label fileCount } } resource(label: "nifti") { label format files { nodes { name size } } file(name: "mprage.nii.gz") { name size uri downloadUrl } none: file(name: "nope.nii") { name } } } } } } }',
    );
    const session = data.project.subject.experiment;
    const scan = session.scan;
    const rest = await xnatTable(stack, `/data/experiments/${session.accessionId}/scans/2/resources`);
    expect(labels(scan.resources)).toEqual(rest.map((r) => r.label).sort());
    const restFiles = await xnatTable(stack, `/data/experiments/${session.accessionId}/scans/2/resources/nifti/files`);
    expect(scan.resource.files.nodes.map((f: { name: string; size: number }) => [f.name, f.size]).sort()).toEqual(
      restFiles.map((f) => [f.Name, Number(f.Size)]).sort(),
    );
    expect(scan.resource.file.uri).toBe(
      '/data/projects/test/subjects/sub-01/experiments/sub-01_MR1/scans/2/resources/nifti/files/mprage.nii.gz',
    );
    expect(scan.resource.file.downloadUrl.startsWith(`${stack.gateway.url}/download/file/`)).toBe(true);
    expect(scan.resource.none).toBeNull();
  });

  it('runs the processing example: every mprage scan of project test has nifti/mprage.nii.gz, downloadable, and takes an upload back', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { subjects { nodes { label experiments { nodes { label scans(type: "mprage") { nodes { id resource(label: "nifti") { file(name: "mprage.nii.gz") { size downloadUrl } } } } } } } } } }',
    );
    const scans = data.project.subjects.nodes.flatMap((s: any) => s.experiments.nodes.flatMap((e: any) => e.scans.nodes));
    expect(scans.length).toBeGreaterThanOrEqual(10);
    for (const scan of scans) expect(scan.resource?.file, 'mprage file exists').toBeTruthy();

    const first = scans[0];
    const download = await fetch(first.resource.file.downloadUrl, {
      headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(first.resource.file.size);
    expect(gunzipSync(bytes).readInt32LE(0)).toBe(348); // NIfTI-1 sizeof_hdr

    const uploaded = await uploadRequest(
      stack,
      'mutation ($parent: ID!, $file: Upload!) { uploadFile(parent: $parent, resource: "nifti", file: $file, name: "mprage_brain.nii.gz") { id name size uri } }',
      { parent: first.id },
      { name: 'local_brain.nii.gz', bytes },
    );
    expect(uploaded.errors).toBeUndefined();
    expect(uploaded.data.uploadFile).toMatchObject({ name: 'mprage_brain.nii.gz', size: bytes.length });
    expect(uploaded.data.uploadFile.uri).toMatch(/\/scans\/2\/resources\/nifti\/files\/mprage_brain\.nii\.gz$/);
    const check = await stack.graphql(
      'query ($id: ID!) { node(id: $id) { ... on Scan { resource(label: "nifti") { file(name: "mprage_brain.nii.gz") { size } } } } }',
      { id: first.id },
    );
    expect(check.data.node.resource.file.size).toBe(bytes.length);

    const again = await uploadRequest(
      stack,
      'mutation ($parent: ID!, $file: Upload!) { uploadFile(parent: $parent, resource: "nifti", file: $file, name: "mprage_brain.nii.gz") { id } }',
      { parent: first.id },
      { name: 'x', bytes: new Uint8Array([1, 2, 3]) },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('deletes a file and a resource', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { subject(label: "sub-02") { experiment(label: "sub-02_MR1") { scan(id: "2") { id } } } } }',
    );
    const scanId = data.project.subject.experiment.scan.id;
    const created = await stack.graphql(
      'mutation ($p: ID!) { createResource(parent: $p, label: "scratch", format: "TXT") { id label format fileCount } }',
      { p: scanId },
    );
    expect(created.data.createResource).toMatchObject({ label: 'scratch', format: 'TXT', fileCount: 0 });
    const duplicate = await stack.graphql('mutation ($p: ID!) { createResource(parent: $p, label: "scratch") { id } }', { p: scanId });
    expect(duplicate.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const up = await uploadRequest(
      stack,
      'mutation ($p: ID!, $file: Upload!) { uploadFile(parent: $p, resource: "scratch", file: $file) { id name } }',
      { p: scanId },
      { name: 'note.txt', bytes: new TextEncoder().encode('hello') },
    );
    expect(up.data.uploadFile.name).toBe('note.txt');

    const deleted = await stack.graphql('mutation ($id: ID!) { deleteFile(id: $id) }', { id: up.data.uploadFile.id });
    expect(deleted.data.deleteFile).toBe(up.data.uploadFile.id);
    const gone = await stack.graphql('query ($id: ID!) { node(id: $id) { id } }', { id: up.data.uploadFile.id });
    expect(gone.data.node).toBeNull();

    const removed = await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: created.data.createResource.id });
    expect(removed.data.deleteResource).toBe(created.data.createResource.id);
    const after = await stack.graphql('query ($id: ID!) { node(id: $id) { ... on Scan { resource(label: "scratch") { id } } } }', {
      id: scanId,
    });
    expect(after.data.node.resource).toBeNull();
    const again = await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: created.data.createResource.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
