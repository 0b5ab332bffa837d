import { describe, expect, it } from 'vitest';
import { ADMIN, basic, GUEST, startStack, uploadRequest, xnatTable, type Stack } from '../support/stack.js';

/**
 * Reconstructions (xnat:reconstructedImageData) of image sessions: what XNAT lists under each
 * session (ReconList), reached with one listing per level whatever the number of sessions, and
 * their resources written through GraphQL. Counts are read from the emulator's request log.
 */

interface Named<T> {
  totalCount?: number;
  nodes: T[];
}
interface ReconstructionNode {
  id: string;
  uri: string;
  label: string;
  type: string | null;
  baseScanType: string | null;
  resources: Named<{ label: string; uri: string; fileCount: number; files: Named<{ path: string; size: number; uri: string }> }>;
}
interface Tree {
  project: {
    subjects: Named<{
      label: string;
      experiments: Named<{ label: string; accessionId: string; reconstructions: Named<ReconstructionNode> }>;
    }>;
  };
}

const TREE = `{ project(id: "test") { subjects { nodes { label experiments { nodes { label accessionId
  reconstructions { totalCount nodes { id uri label type baseScanType
    resources { nodes { label uri fileCount files { nodes { path size uri } } } } } } } } } } } }`;

const sessionsOf = (data: Tree) => data.project.subjects.nodes.flatMap((s) => s.experiments.nodes.map((e) => ({ subject: s.label, ...e })));

/** The emulator's request log for the last query, logins left out. */
const requestsOf = (stack: Stack) => stack.emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION');

/** A REST write straight to the emulator, as a script would send it to XNAT. */
async function xnatWrite(stack: Stack, method: 'PUT' | 'POST' | 'DELETE', path: string, body?: string): Promise<number> {
  const init: RequestInit = { method, headers: { authorization: basic(ADMIN) } };
  if (body !== undefined) {
    const form = new FormData();
    form.append('file', new Blob([body]), path.split('/').pop());
    init.body = form;
  }
  const response = await fetch(`${stack.emulator.url}${path}`, init);
  await response.arrayBuffer();
  return response.status;
}

describe('Reconstructions', () => {
  it('lists what XNAT lists under each session, with their resources and files, and pyxnat URIs', async () => {
    await using stack = await startStack({ cache: false });
    const { data } = await stack.measure<Tree>(TREE);
    const sessions = sessionsOf(data);
    expect(sessions).toHaveLength(15);
    let withFiles = 0;
    for (const session of sessions) {
      const base = `/data/projects/test/subjects/${session.subject}/experiments/${session.label}`;
      const listed = await xnatTable(stack, `${base}/reconstructions`);
      const nodes = session.reconstructions.nodes;
      expect(session.reconstructions.totalCount).toBe(listed.length);
      expect(nodes.map((r) => [r.label, r.type, r.baseScanType])).toEqual(
        listed.sort((a, b) => a['ID']!.localeCompare(b['ID']!)).map((r) => [r['ID'], r['type'], r['baseScanType']]),
      );
      for (const recon of nodes) {
        expect(recon.uri).toBe(`${base}/reconstructions/${recon.label}`);
        const resources = await xnatTable(stack, `${base}/reconstructions/${recon.label}/out/resources`);
        expect(recon.resources.nodes.map((r) => r.label)).toEqual(resources.map((r) => r['label']));
        for (const resource of recon.resources.nodes) {
          expect(resource.uri).toBe(`${recon.uri}/out/resources/${resource.label}`);
          const files = await xnatTable(stack, `${base}/reconstructions/${recon.label}/out/resources/${resource.label}/files`);
          expect(resource.files.nodes.map((f) => [f.path, f.size])).toEqual(files.map((f) => [f['Name'], Number(f['Size'])]));
          expect(resource.fileCount).toBe(files.length);
          for (const file of resource.files.nodes) expect(file.uri).toBe(`${resource.uri}/files/${file.path}`);
          withFiles += resource.files.nodes.length;
        }
      }
    }
    expect(withFiles).toBe(10);
  });

  it('asks XNAT once per level, for all sessions together, on the demo and on a larger dataset alike', async () => {
    await using stack = await startStack({ cache: false });
    const { data, xnatRequests } = await stack.measure<Tree>(TREE);
    const log = requestsOf(stack);
    // One image-session listing joined with reconstruction columns, for every session at once.
    const listings = log.filter((e) => e.path === '/data/experiments' && e.query.includes('reconstructedImageData'));
    expect(listings).toHaveLength(1);
    expect(new URLSearchParams(listings[0]!.query).get('ID')?.split(',')).toHaveLength(15);
    // One resources listing and one files listing of the sessions' reconstructions.
    expect(log.filter((e) => /^\/data\/experiments\/[^/]+\/reconstructions\/ALL\/resources$/.test(e.path))).toHaveLength(1);
    expect(log.filter((e) => /\/reconstructions\/ALL\/(resources\/[^/]+\/)?files$/.test(e.path))).toHaveLength(1);
    // project 1 + subjects 1 + experiments 1 + reconstructions 1 + resources 1 + files 1.
    expect(xnatRequests).toBe(6);
    const SHALLOW = `{ project(id: "test") { subjects { nodes { experiments { nodes { reconstructions { nodes { label type } } } } } } } }`;
    expect((await stack.measure(SHALLOW)).xnatRequests).toBe(4);
    // Any field of every reconstruction: one more listing.
    const FIELDS = `{ project(id: "test") { subjects { nodes { experiments { nodes { reconstructions { nodes {
      base: field(path: "baseScanType") all: fields(paths: ["xnat:reconstructedImageData/type", "ID"]) { path value } } } } } } } } }`;
    const fields = await stack.measure(FIELDS);
    expect(fields.xnatRequests).toBe(5);
    const recons = fields.data.project.subjects.nodes.flatMap((s: any) => s.experiments.nodes.flatMap((e: any) => e.reconstructions.nodes));
    expect(recons.length).toBeGreaterThan(9);
    for (const r of recons) {
      expect(r.base).toBe('mprage');
      expect(r.all[0].value).toMatch(/^T1_MNI152/);
      expect(r.all[1].value).toMatch(/_mni152/);
    }

    await using bench = await startStack({ dataset: 'bench:2', cache: false });
    const big = await bench.measure<Tree>(TREE);
    expect(sessionsOf(big.data).length).toBeGreaterThan(sessionsOf(data).length);
    expect(big.xnatRequests).toBe(xnatRequests);
  });

  it('finds one by ID, again by node id, answers null for an ID the session does not have, and filters by type', async () => {
    await using stack = await startStack();
    const query = `{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") {
      recon: reconstruction(id: "sub-01_MR1_mni152") { id label type session { label } resource(label: "NIFTI") { fileCount } }
      none: reconstruction(id: "sub-02_MR1_mni152") { id }
      coarse: reconstructions(type: "T1_MNI152_2mm") { totalCount nodes { label } } } } } }`;
    const { data } = await stack.measure(query);
    const experiment = data.project.subject.experiment;
    expect(experiment.recon).toMatchObject({
      label: 'sub-01_MR1_mni152',
      type: 'T1_MNI152',
      session: { label: 'sub-01_MR1' },
      resource: { fileCount: 1 },
    });
    expect(experiment.none).toBeNull();
    expect(experiment.coarse).toEqual({ totalCount: 1, nodes: [{ label: 'sub-01_MR1_mni152_2mm' }] });
    const again = await stack.graphql(
      `query ($id: ID!) { node(id: $id) { __typename ... on Reconstruction { label session { label } } } }`,
      {
        id: experiment.recon.id,
      },
    );
    expect(again.data.node).toEqual({ __typename: 'Reconstruction', label: 'sub-01_MR1_mni152', session: { label: 'sub-01_MR1' } });
  });

  it('places resources of reconstructions that share an ID in different sessions under the right session', async () => {
    await using stack = await startStack({ cache: false });
    const sessions = ['sub-05_MR1', 'sub-06_MR1'];
    for (const label of sessions) {
      const subject = label.slice(0, 6);
      const base = `/data/projects/test/subjects/${subject}/experiments/${label}/reconstructions/1`;
      expect(await xnatWrite(stack, 'PUT', `${base}?type=DTI_FA`)).toBe(200);
      expect(await xnatWrite(stack, 'POST', `${base}/resources/maps/files/${label}_fa.txt`, `fa of ${label}`)).toBe(200);
    }
    const query = `{ project(id: "test") { subjects { nodes { experiments { nodes { label
      reconstruction(id: "1") { type resources { nodes { label fileCount } } } } } } } } }`;
    const check = (data: any) => {
      const found = data.project.subjects.nodes.flatMap((s: any) => s.experiments.nodes).filter((e: any) => e.reconstruction);
      expect(found.map((e: any) => e.label).sort()).toEqual(sessions);
      for (const e of found) expect(e.reconstruction).toEqual({ type: 'DTI_FA', resources: { nodes: [{ label: 'maps', fileCount: 1 }] } });
    };
    // Without files, the resources rows (cat_id "1" in two sessions) are placed by the session
    // listing joined with the reconstructions' resource IDs: one more request.
    const shallow = await stack.measure(query);
    check(shallow.data);
    expect(requestsOf(stack).filter((e) => e.query.includes('out/file/xnat_abstractresource_id'))).toHaveLength(1);
    // With files, their URIs name the session and no join is needed.
    const withFiles = await stack.measure(query.replace('fileCount', 'fileCount files { nodes { path } }'));
    const found = withFiles.data.project.subjects.nodes.flatMap((s: any) => s.experiments.nodes).filter((e: any) => e.reconstruction);
    for (const e of found) expect(e.reconstruction.resources.nodes[0].files.nodes).toEqual([{ path: `${e.label}_fa.txt` }]);
    expect(requestsOf(stack).filter((e) => e.query.includes('out/file/xnat_abstractresource_id'))).toHaveLength(0);
  });
});

describe('Writes into reconstruction resources', () => {
  const RECON = `{ project(id: "test") { subject(label: "sub-03") { experiment(label: "sub-03_MR1") { accessionId
    reconstruction(id: "sub-03_MR1_mni152") { id resource(label: "notes") { id files { nodes { id path size } } } } } } } }`;
  const UPLOAD = `mutation ($p: ID!, $file: Upload!) { uploadFile(parent: $p, resource: "notes", file: $file, name: "qc/rating.txt") { id uri size resource { label parent { id } } } }`;

  it('uploads a file into a new resource of a reconstruction, as XNAT stores it, and deletes it and the resource', async () => {
    await using stack = await startStack();
    const before = await stack.graphql(RECON);
    const session = before.data.project.subject.experiment;
    expect(session.reconstruction.resource).toBeNull();
    const up = await uploadRequest(
      stack,
      UPLOAD,
      { p: session.reconstruction.id },
      { name: 'rating.txt', bytes: new TextEncoder().encode('usable, checked') },
    );
    expect(up.errors).toBeUndefined();
    expect(up.data.uploadFile).toMatchObject({
      uri: '/data/projects/test/subjects/sub-03/experiments/sub-03_MR1/reconstructions/sub-03_MR1_mni152/out/resources/notes/files/qc/rating.txt',
      size: 15,
      resource: { label: 'notes', parent: { id: session.reconstruction.id } },
    });
    // What XNAT stored: the resource under the reconstruction's out resources, the file in it.
    const stored = `/data/experiments/${session.accessionId}/reconstructions/sub-03_MR1_mni152/out/resources`;
    expect((await xnatTable(stack, stored)).map((r) => [r['label'], r['category'], r['cat_id']])).toEqual([
      ['NIFTI', 'reconstructions', 'sub-03_MR1_mni152'],
      ['notes', 'reconstructions', 'sub-03_MR1_mni152'],
    ]);
    expect((await xnatTable(stack, `${stored}/notes/files`)).map((r) => [r['Name'], r['Size']])).toEqual([['rating.txt', '15']]);
    const resource = (await stack.graphql(RECON)).data.project.subject.experiment.reconstruction.resource;
    expect(resource.files.nodes).toMatchObject([{ path: 'qc/rating.txt', size: 15 }]);

    const deleted = await stack.graphql('mutation ($id: ID!) { deleteFile(id: $id) }', { id: resource.files.nodes[0].id });
    expect(deleted.errors).toBeUndefined();
    expect(await xnatTable(stack, `${stored}/notes/files`)).toEqual([]);
    expect((await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: resource.id })).errors).toBeUndefined();
    expect((await xnatTable(stack, stored)).map((r) => r['label'])).toEqual(['NIFTI']);
    expect((await stack.graphql(RECON)).data.project.subject.experiment.reconstruction.resource).toBeNull();
  });

  it('refuses a guest upload into a reconstruction resource and stores nothing', async () => {
    await using stack = await startStack();
    const { data } = await stack.graphql(RECON, {}, GUEST);
    const session = data.project.subject.experiment;
    const up = await uploadRequest(
      stack,
      UPLOAD,
      { p: session.reconstruction.id },
      { name: 'x.txt', bytes: new TextEncoder().encode('x') },
      GUEST,
    );
    expect(up.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stored = await xnatTable(stack, `/data/experiments/${session.accessionId}/reconstructions/sub-03_MR1_mni152/out/resources`);
    expect(stored.map((r) => r['label'])).toEqual(['NIFTI']);
  });

  it('sets a reconstruction field (pyxnat attrs.mset), read back as XNAT lists it', async () => {
    await using stack = await startStack();
    const { data } = await stack.graphql(RECON);
    const session = data.project.subject.experiment;
    const set = await stack.graphql(
      `mutation ($id: ID!) { setFields(id: $id, values: [{ path: "baseScanType", value: "T1w" }]) { ... on Reconstruction { baseScanType field(path: "baseScanType") } } }`,
      { id: session.reconstruction.id },
    );
    expect(set.errors).toBeUndefined();
    expect(set.data.setFields).toEqual({ baseScanType: 'T1w', field: 'T1w' });
    const listed = await xnatTable(stack, `/data/experiments/${session.accessionId}/reconstructions`);
    expect(listed.find((r) => r['ID'] === 'sub-03_MR1_mni152')?.['baseScanType']).toBe('T1w');
  });
});
