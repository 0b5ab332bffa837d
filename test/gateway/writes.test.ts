import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { CACHE_MODES, GUEST, startStack, uploadRequest, xnatTable, type Stack } from '../support/stack.js';

function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}

/** Writes on every kind of parent, and what other users see of them. */
describe.each(CACHE_MODES)('writes through GraphQL ($mode)', ({ cache }) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ cache });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const UPLOAD = `mutation ($p: ID!, $file: Upload!, $r: String!, $name: String, $extract: Boolean) {
    uploadFile(parent: $p, resource: $r, file: $file, name: $name, extract: $extract) { id name path size uri resource { label fileCount parent { id } } } }`;

  it('uploads to project, subject and session resources, creating them, and lists them back', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { id subject(label: "sub-03") { id experiment(label: "sub-03_MR1") { id accessionId } } } }',
    );
    const project = data.project;
    const subject = project.subject;
    const session = subject.experiment;
    // Read (and, with the cache on, cache) the listings the uploads change: the writes must drop them.
    const LISTED = `{ project(id: "test") { resource(label: "gw_notes") { files { nodes { path } } }
      subject(label: "sub-03") { resources { nodes { label } } experiment(label: "sub-03_MR1") { resource(label: "gw_notes") { file(name: "notes/readme.txt") { size } } } } } }`;
    const before = await stack.graphql(LISTED);
    expect(before.errors).toBeUndefined();
    expect(before.data.project.resource).toBeNull();
    expect(before.data.project.subject.resources.nodes.map((r: { label: string }) => r.label)).not.toContain('gw_notes');
    for (const [parent, uri] of [
      [project.id, '/data/projects/test/resources/gw_notes/files/notes/readme.txt'],
      [subject.id, '/data/projects/test/subjects/sub-03/resources/gw_notes/files/notes/readme.txt'],
      [session.id, '/data/projects/test/subjects/sub-03/experiments/sub-03_MR1/resources/gw_notes/files/notes/readme.txt'],
    ] as const) {
      const up = await uploadRequest(
        stack,
        UPLOAD,
        { p: parent, r: 'gw_notes', name: 'notes/readme.txt' },
        { name: 'readme.txt', bytes: new TextEncoder().encode('hello xnat') },
      );
      expect(up.errors).toBeUndefined();
      expect(up.data.uploadFile).toMatchObject({
        name: 'readme.txt',
        path: 'notes/readme.txt',
        size: 10,
        uri,
        resource: { label: 'gw_notes', fileCount: 1, parent: { id: parent } },
      });
    }
    const listed = await stack.graphql(LISTED);
    expect(listed.data.project.resource.files.nodes).toEqual([{ path: 'notes/readme.txt' }]);
    expect(listed.data.project.subject.resources.nodes.map((r: { label: string }) => r.label)).toContain('gw_notes');
    expect(listed.data.project.subject.experiment.resource.file.size).toBe(10);
    const rest = await xnatTable(stack, `/data/experiments/${session.accessionId}/resources/gw_notes/files`);
    expect(rest.map((r) => r.Name)).toEqual(['readme.txt']);
  });

  it('extracts an uploaded zip into the resource and returns one of its files', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { subject(label: "sub-04") { experiment(label: "sub-04_MR1") { scan(id: "3") { id } } } } }',
    );
    const zip = await zipOf({ 'a.txt': 'alpha', 'dir/b.txt': 'bravo' });
    const up = await uploadRequest(
      stack,
      UPLOAD,
      { p: data.project.subject.experiment.scan.id, r: 'unzipped', extract: true },
      { name: 'bundle.zip', bytes: zip },
    );
    expect(up.errors).toBeUndefined();
    expect(['a.txt', 'dir/b.txt']).toContain(up.data.uploadFile.path);
    expect(up.data.uploadFile.resource.fileCount).toBe(2);
    // XNAT unpacks into the resource root whatever folder the URL names, so a folder is refused.
    const nested = await uploadRequest(
      stack,
      UPLOAD,
      { p: data.project.subject.experiment.scan.id, r: 'unzipped', name: 'in/bundle.zip', extract: true },
      { name: 'bundle.zip', bytes: zip },
    );
    expect(nested.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows nothing of a private project to a guest, even by node id', async () => {
    const all = await stack.graphql('{ projects { nodes { id label subjects(first: 1) { nodes { id } } } } }');
    const visible = (await stack.graphql('{ projects { nodes { label } } }', {}, GUEST)).data.projects.nodes.map(
      (p: { label: string }) => p.label,
    );
    const hidden = all.data.projects.nodes.find((p: { label: string }) => !visible.includes(p.label));
    const forProject = await stack.graphql('query ($id: ID!) { node(id: $id) { id } }', { id: hidden.id }, GUEST);
    expect(forProject.data.node).toBeNull();
    const forSubject = await stack.graphql('query ($id: ID!) { node(id: $id) { id } }', { id: hidden.subjects.nodes[0].id }, GUEST);
    expect(forSubject.errors ?? []).toEqual([]);
    expect(forSubject.data.node).toBeNull();
  });

  it('pages connections with first/after and reports totalCount', async () => {
    const first = await stack.graphql(
      '{ project(id: "test") { subjects(first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { label } } } }',
    );
    const page = first.data.project.subjects;
    expect(page.nodes).toHaveLength(3);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await stack.graphql(
      'query ($after: String) { project(id: "test") { subjects(first: 100, after: $after) { totalCount nodes { label } } } }',
      { after: page.pageInfo.endCursor },
    );
    expect(next.data.project.subjects.nodes).toHaveLength(page.totalCount - 3);
    const bad = await stack.graphql('{ project(id: "test") { subjects(after: "bogus") { totalCount } } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
