import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, startStack, type Credentials, type Stack } from '../support/stack.js';

/** Project roles, protected projects and sharing, against the emulator's XNAT permission model. */

const OWNER: Credentials = { user: 'owner', password: 'owner' };
const MEMBER: Credentials = { user: 'member', password: 'member' };
const COLLAB: Credentials = { user: 'collab', password: 'collab' };

const ACCESS = `{ projects { nodes { label viewerRole viewerCanEdit viewerCanDelete } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

type Access = { label: string; viewerRole: string | null; viewerCanEdit: boolean; viewerCanDelete: boolean };

async function accessOf(who: Credentials): Promise<{ byProject: Map<string, Access>; xnatRequests: number }> {
  const { data, xnatRequests } = await stack.measure<{ projects: { nodes: Access[] } }>(ACCESS, {}, who);
  return { byProject: new Map(data.projects.nodes.map((p) => [p.label, p])), xnatRequests };
}

/** The first session of PROT_NEURO's own subject NEURO-02 (left untouched by other tests). */
async function neuroSession(who: Credentials): Promise<string> {
  const response = await stack.graphql(
    `{ project(id: "PROT_NEURO") { subject(label: "NEURO-02") { experiments { nodes { id } } } } }`,
    {},
    who,
  );
  return response.data.project.subject.experiments.nodes[0].id;
}

describe('viewerRole, viewerCanEdit, viewerCanDelete', () => {
  it('follow the XNAT project groups of each user, from one XNAT request for all projects', async () => {
    const expected: Array<[Credentials, string | null, boolean, boolean]> = [
      [OWNER, 'OWNER', true, true],
      [MEMBER, 'MEMBER', true, false],
      [COLLAB, 'COLLABORATOR', false, false],
      [GUEST, null, false, false],
    ];
    for (const [who, role, edit, del] of expected) {
      const { byProject, xnatRequests } = await accessOf(who);
      // The projects listing and the user's groups.
      expect(xnatRequests, who.user).toBe(2);
      expect(byProject.get('PROT_NEURO'), who.user).toEqual({
        label: 'PROT_NEURO',
        viewerRole: role,
        viewerCanEdit: edit,
        viewerCanDelete: del,
      });
      // A public project without a role: readable, not writable.
      expect(byProject.get('test'), who.user).toEqual({ label: 'test', viewerRole: null, viewerCanEdit: false, viewerCanDelete: false });
      expect(byProject.has('PRIV_ONC'), who.user).toBe(false);
    }
    const admin = await accessOf(ADMIN);
    expect([...admin.byProject.values()].every((p) => p.viewerRole === null && p.viewerCanEdit && p.viewerCanDelete)).toBe(true);
    expect(admin.byProject.size).toBe(4);
  });

  it('say what XNAT then permits: members write data but do not delete it, collaborators only read', async () => {
    const session = await neuroSession(OWNER);
    const create = (who: Credentials, label: string) =>
      stack.graphql(`mutation($p: ID!, $l: String!) { createResource(parent: $p, label: $l) { id label } }`, { p: session, l: label }, who);
    const remove = (who: Credentials, id: string) => stack.graphql(`mutation($id: ID!) { deleteResource(id: $id) }`, { id }, who);

    const byMember = await create(MEMBER, 'member_notes');
    expect(byMember.errors).toBeUndefined();
    expect((await create(COLLAB, 'collab_notes')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await remove(MEMBER, byMember.data.createResource.id)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byOwner = await remove(OWNER, byMember.data.createResource.id);
    expect(byOwner.errors).toBeUndefined();
  });
});

describe('protected projects', () => {
  it('are listed to every user; their subjects and sessions are empty for users without a role', async () => {
    const query = `{ project(id: "PROT_NEURO") { label subjects { totalCount } experiments { totalCount } } }`;
    const guest = await stack.graphql(query, {}, GUEST);
    expect(guest.errors).toBeUndefined();
    expect(guest.data.project).toEqual({ label: 'PROT_NEURO', subjects: { totalCount: 0 }, experiments: { totalCount: 0 } });
    const collab = await stack.graphql(query, {}, COLLAB);
    expect(collab.data.project.subjects.totalCount).toBeGreaterThanOrEqual(3);
    const hidden = await stack.graphql(`{ project(id: "PROT_NEURO") { subject(label: "NEURO-01") { label } } }`, {}, GUEST);
    expect(hidden.data.project.subject).toBeNull();
  });
});

describe('sharing', () => {
  const TREE = `{ project(id: "PROT_NEURO") { subjects { nodes { id label ownerProject shared
    experiments { nodes { id label ownerProject shared subject { label }
      scans { nodes { resources { nodes { label files { totalCount } } } } } } } } } } }`;

  it('lists shared subjects and experiments under the sharing project with their labels there and the owning project', async () => {
    for (const who of [ADMIN, COLLAB]) {
      const { data } = await stack.measure(TREE, {}, who);
      const subjects = data.project.subjects.nodes;
      const shared = subjects.filter((s: any) => s.shared);
      expect(shared.map((s: any) => [s.label, s.ownerProject]).sort(), who.user).toEqual([
        ['002_S_0001', 'ADNI_DEMO'],
        ['NEURO-ONC-001', 'PRIV_ONC'],
      ]);
      expect(subjects.filter((s: any) => !s.shared).every((s: any) => s.ownerProject === 'PROT_NEURO')).toBe(true);
      const onc = shared.find((s: any) => s.ownerProject === 'PRIV_ONC');
      // Only the session shared into PROT_NEURO, under its label there; its scans and files read through.
      expect(onc.experiments.nodes.map((e: any) => [e.label, e.ownerProject, e.shared, e.subject.label])).toEqual([
        ['NEURO-ONC-001_CT1', 'PRIV_ONC', true, 'NEURO-ONC-001'],
      ]);
      const files = onc.experiments.nodes[0].scans.nodes.flatMap((scan: any) => scan.resources.nodes.map((r: any) => r.files.totalCount));
      expect(files.length).toBeGreaterThan(0);
      expect(files.every((n: number) => n > 0)).toBe(true);
    }
    // The collaborator cannot read PRIV_ONC itself.
    const priv = await stack.graphql(`{ project(id: "PRIV_ONC") { label } }`, {}, COLLAB);
    expect(priv.data.project).toBeNull();
  });

  it('answers node ids of shared objects, and lists them in Project.experiments too', async () => {
    const { data } = await stack.measure(TREE, {}, COLLAB);
    const onc = data.project.subjects.nodes.find((s: any) => s.ownerProject === 'PRIV_ONC');
    const sessionId = onc.experiments.nodes[0].id;
    const node = await stack.graphql(
      `query($id: ID!) { node(id: $id) { ... on Experiment { label ownerProject } } }`,
      { id: sessionId },
      COLLAB,
    );
    expect(node.data.node).toEqual({ label: 'NEURO-ONC-001_CT1', ownerProject: 'PRIV_ONC' });
    for (const query of [
      `{ project(id: "PROT_NEURO") { experiments { nodes { label ownerProject } } } }`,
      `{ projects { nodes { label experiments { nodes { label ownerProject } } } } }`,
    ]) {
      const response = await stack.graphql(query, {}, COLLAB);
      const neuro = response.data.project ?? response.data.projects.nodes.find((p: any) => p.label === 'PROT_NEURO');
      const shared = neuro.experiments.nodes.filter((e: any) => e.ownerProject !== 'PROT_NEURO');
      expect(shared.map((e: any) => [e.label, e.ownerProject]).sort(), query).toEqual([
        ['002_S_0001_MR_bl', 'ADNI_DEMO'],
        ['NEURO-ONC-001_CT1', 'PRIV_ONC'],
      ]);
    }
  });

  it('keeps requests per level constant: one project costs one listing, several add one share probe per level and one listing per project', async () => {
    // Request counts are the cold path's: every query asks XNAT.
    await using cold = await startStack({ cache: false });
    const one = await cold.measure(`{ project(id: "PROT_NEURO") { subjects { nodes { label } } } }`, {}, ADMIN);
    expect(one.xnatRequests).toBe(2);
    const all = await cold.measure(`{ projects { nodes { subjects { nodes { label } } } } }`, {}, ADMIN);
    // projects 1, owners' subjects 1, share probe 1, then each of the 4 projects' listing (shares exist).
    expect(all.xnatRequests).toBe(1 + 2 + 4);
    const guest = await cold.measure(`{ projects { nodes { subjects { nodes { label } } } } }`, {}, GUEST);
    // The guest sees the ADNI subject shared into PROT_NEURO through ADNI_DEMO (public): 3 project listings.
    expect(guest.xnatRequests).toBe(1 + 2 + 3);
  });
});
