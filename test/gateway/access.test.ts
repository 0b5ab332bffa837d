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
      expect(byProject.get('PROT_NEURO'), who.user).toEqual({ label: 'PROT_NEURO', viewerRole: role, viewerCanEdit: edit, viewerCanDelete: del });
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
