import { describe, expect, it } from 'vitest';
import { call, GUEST, json, useEmulator } from './client.js';

const emulator = useEmulator();
const OWNER = 'owner:owner';
const MEMBER = 'member:member';
const COLLAB = 'collab:collab';

const ids = (body: any): string[] => body.ResultSet.Result.map((r: { ID: string }) => r.ID).sort();
const rows = (body: any): Array<Record<string, string>> => body.ResultSet.Result;

describe('project roles (XNAT default permissions)', () => {
  it("lists each user their groups at /xapi/users/{username}/groups, others' only to admins", async () => {
    expect(await json(emulator(), '/xapi/users/owner/groups', OWNER)).toEqual(['PROT_NEURO_owner']);
    expect(await json(emulator(), '/xapi/users/collab/groups', COLLAB)).toEqual(['PROT_NEURO_collaborator']);
    expect(await json(emulator(), '/xapi/users/guest/groups', GUEST)).toEqual([]);
    expect(await json(emulator(), '/xapi/users/admin/groups')).toEqual(['ALL_DATA_ADMIN']);
    expect(await json(emulator(), '/xapi/users/member/groups')).toEqual(['PROT_NEURO_member']);
    expect((await call(emulator(), '/xapi/users/owner/groups', { as: MEMBER })).status).toBe(403);
    expect((await call(emulator(), '/xapi/users/nobody/groups')).status).toBe(404);
    expect(await (await call(emulator(), '/xapi/users/username', { as: COLLAB })).text()).toBe('collab');
  });

  it('restrict=edit and restrict=delete list the projects a user owns (project scope), not those they may write data in', async () => {
    for (const restrict of ['edit', 'delete']) {
      expect(ids(await json(emulator(), `/data/projects?restrict=${restrict}&columns=ID`, OWNER))).toEqual(['PROT_NEURO']);
      expect(ids(await json(emulator(), `/data/projects?restrict=${restrict}&columns=ID`, MEMBER))).toEqual([]);
      expect(ids(await json(emulator(), `/data/projects?restrict=${restrict}&columns=ID`, GUEST))).toEqual([]);
    }
    const memberData = await json(emulator(), '/data/projects?permissions=edit&dataType=xnat:subjectData', MEMBER);
    expect(rows(memberData).map((r) => r['id'])).toEqual(['PROT_NEURO']);
  });

  it('lets owners and members write data, collaborators only read; only owners delete', async () => {
    const session = '/data/projects/PROT_NEURO/subjects/NEURO-01/experiments/NEURO-01_MR1';
    const upload = (who: string, name: string) =>
      call(emulator(), `${session}/resources/NOTES/files/${name}?inbody=true`, {
        method: 'PUT',
        as: who,
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      });
    const files = async () =>
      rows(await json(emulator(), `${session}/resources/NOTES/files`))
        .map((r) => r.Name)
        .sort();

    expect((await upload(OWNER, 'owner.txt')).status).toBe(200);
    expect((await upload(MEMBER, 'member.txt')).status).toBe(200);
    // FileList.handlePost without edit rights: 200, nothing stored.
    expect((await upload(COLLAB, 'collab.txt')).status).toBe(200);
    expect(await files()).toEqual(['member.txt', 'owner.txt']);

    expect((await call(emulator(), `${session}/resources/NOTES/files/owner.txt`, { method: 'DELETE', as: MEMBER })).status).toBe(403);
    expect((await call(emulator(), `${session}/resources/NOTES/files/member.txt`, { method: 'DELETE', as: OWNER })).status).toBe(200);
    expect(await files()).toEqual(['owner.txt']);

    // Project resources are the project scope: members may not create them.
    expect((await call(emulator(), '/data/projects/PROT_NEURO/resources/MEMBER', { method: 'PUT', as: MEMBER })).status).toBe(403);
    expect((await call(emulator(), '/data/projects/PROT_NEURO/resources/OWNER', { method: 'PUT', as: OWNER })).status).toBe(200);
    // Subjects: members create, collaborators do not.
    expect((await call(emulator(), '/data/projects/PROT_NEURO/subjects/NEW-M', { method: 'PUT', as: MEMBER })).status).toBe(201);
    expect((await call(emulator(), '/data/projects/PROT_NEURO/subjects/NEW-C', { method: 'PUT', as: COLLAB })).status).toBe(403);
  });
});

describe('protected projects', () => {
  it('are listed to every user, with their accessibility, but their data is readable only with a role', async () => {
    expect(ids(await json(emulator(), '/data/projects?columns=ID', GUEST))).toContain('PROT_NEURO');
    expect(await (await call(emulator(), '/data/projects/PROT_NEURO/accessibility', { as: GUEST })).text()).toBe('protected');
    expect(await (await call(emulator(), '/data/projects/test/accessibility', { as: GUEST })).text()).toBe('public');
    expect((await call(emulator(), '/data/projects/PRIV_ONC/accessibility', { as: GUEST })).status).toBe(404);

    expect((await call(emulator(), '/data/projects/PROT_NEURO/subjects?format=json', { as: GUEST })).status).toBe(403);
    expect((await call(emulator(), '/data/projects/PROT_NEURO/experiments?format=json', { as: GUEST })).status).toBe(403);
    expect((await call(emulator(), '/data/projects/PROT_NEURO/subjects/NEURO-01?format=json', { as: GUEST })).status).toBe(404);
    const guestSubjects = rows(await json(emulator(), '/data/subjects?project=PROT_NEURO&columns=ID,label', GUEST));
    expect(guestSubjects).toEqual([]);
    const collabSubjects = rows(await json(emulator(), '/data/subjects?project=PROT_NEURO&columns=ID,label', COLLAB));
    expect(collabSubjects.length).toBeGreaterThanOrEqual(3);
  });
});

describe('sharing', () => {
  it('lists shared subjects under the sharing project with their label there; /data/subjects?project= matches owners only', async () => {
    const inNeuro = rows(await json(emulator(), '/data/projects/PROT_NEURO/subjects?columns=ID,label,project', COLLAB));
    const shared = inNeuro.filter((r) => r.project !== 'PROT_NEURO');
    expect(shared.map((r) => [r.label, r.project]).sort()).toEqual([
      ['002_S_0001', 'ADNI_DEMO'],
      ['NEURO-ONC-001', 'PRIV_ONC'],
    ]);
    const owned = rows(await json(emulator(), '/data/subjects?project=PROT_NEURO&columns=ID,label,project'));
    expect(owned.every((r) => r.project === 'PROT_NEURO')).toBe(true);
    const byShare = rows(
      await json(emulator(), '/data/subjects?xnat:subjectData/sharing/share/project=PROT_NEURO&columns=ID,label,project'),
    );
    expect(byShare.map((r) => r.label).sort()).toEqual(['002_S_0001', 'ONC-001']);
  });

  it('lists shared experiments under the sharing project with the sharing project and labels there', async () => {
    const oncId = rows(await json(emulator(), '/data/subjects?project=PRIV_ONC&label=ONC-001&columns=ID'))[0]!.ID;
    const listing = rows(
      await json(
        emulator(),
        `/data/projects/PROT_NEURO/subjects/NEURO-ONC-001/experiments?columns=ID,label,project,subject_label,xnat:subjectAssessorData/project`,
        COLLAB,
      ),
    );
    expect(listing.map((r) => [r.label, r.project, r.subject_label, r['xnat:subjectassessordata/project']])).toEqual([
      ['NEURO-ONC-001_CT1', 'PROT_NEURO', 'NEURO-ONC-001', 'PRIV_ONC'],
    ]);
    // The collaborator reads the shared subject and session, not the rest of PRIV_ONC.
    expect((await call(emulator(), `/data/subjects/${oncId}?format=json`, { as: COLLAB })).status).toBe(200);
    expect((await call(emulator(), '/data/projects/PRIV_ONC/subjects/ONC-001?format=json', { as: COLLAB })).status).toBe(404);
    const site = rows(await json(emulator(), `/data/experiments?subject_ID=${oncId}&columns=ID,label,project`, COLLAB));
    expect(site.map((r) => r.label)).toEqual(['ONC-001_CT1']);
    const scans = await json(emulator(), `/data/experiments/${listing[0]!.ID}/scans/ALL/resources`, COLLAB);
    expect(rows(scans).length).toBeGreaterThan(0);
    // Shared data is read-only in the sharing project, even for its owner.
    const upload = await call(
      emulator(),
      `/data/projects/PROT_NEURO/subjects/NEURO-ONC-001/experiments/NEURO-ONC-001_CT1/resources/X/files/x.txt?inbody=true`,
      {
        method: 'PUT',
        as: OWNER,
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      },
    );
    expect(upload.status).toBe(200);
    const resources = rows(await json(emulator(), `/data/experiments/${listing[0]!.ID}/resources`));
    expect(resources.map((r) => r.label)).not.toContain('X');
  });
});
