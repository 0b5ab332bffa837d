import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../support/e2e.js';
import { ADMIN, CACHE_MODES, GUEST, startStack, xnatTable, type Credentials, type Stack } from '../support/stack.js';

const OWNER: Credentials = { user: 'owner', password: 'owner' };
const MEMBER: Credentials = { user: 'member', password: 'member' };
const COLLAB: Credentials = { user: 'collab', password: 'collab' };

const SET = `mutation ($id: ID!, $values: [FieldValueInput!]!) { setFields(id: $id, values: $values) {
  id __typename
  ... on Scan { quality note: field(path: "note") }
  ... on Subject { gender weight: field(path: "weight") }
  ... on Project { description }
  ... on Assessor { pass: field(path: "xnat:qcManualAssessorData/pass") }
  ... on MrSession { fieldStrength: field(path: "fieldStrength") }
} }`;

const SCAN =
  '{ project(id: "test") { subject(label: "sub-05") { experiment(label: "sub-05_MR1") { accessionId scan(id: "2") { id quality note: field(path: "note") } } } } }';

/** setFields: pyxnat's attrs.mset, one PUT read back through the listings pyxnat's attrs.get uses. */
describe.each(CACHE_MODES)('setFields ($mode)', ({ cache }) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ cache });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const puts = () => stack.emulator.requests.entries().filter((e) => e.method === 'PUT');

  it('sets scan fields with one PUT of the scan, as pyxnat sends it, and returns the scan as XNAT now lists it', async () => {
    const before = await stack.graphql(SCAN);
    const scan = before.data.project.subject.experiment.scan;
    const session = before.data.project.subject.experiment.accessionId;
    const sent = puts().length;
    const answer = await stack.graphql(SET, {
      id: scan.id,
      values: [
        { path: 'xnat:imageScanData/quality', value: 'questionable' },
        { path: 'note', value: 'motion in the last volumes' },
      ],
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.setFields).toEqual({ id: scan.id, __typename: 'Scan', quality: 'questionable', note: 'motion in the last volumes' });
    const put = puts().slice(sent);
    expect(put).toHaveLength(1);
    expect(put[0]!.path).toMatch(new RegExp(`^/data/projects/test/subjects/XNAT_S\\d+/experiments/${session}/scans/2$`));
    expect(new URLSearchParams(put[0]!.query).get('xsiType')).toBe('xnat:mrScanData');
    // Every reader sees it, cached listings included.
    const again = await stack.graphql(SCAN);
    expect(again.data.project.subject.experiment.scan).toMatchObject({ quality: 'questionable', note: 'motion in the last volumes' });
    const rows = await xnatTable(stack, `/data/experiments/${session}/scans`);
    expect(rows.find((r) => r['ID'] === '2')?.['quality']).toBe('questionable');
  });

  it('sets subject demographics, numbers read back as XNAT prints them', async () => {
    const { data } = await stack.graphql('{ project(id: "test") { subject(label: "sub-06") { id } } }');
    const answer = await stack.graphql(SET, {
      id: data.project.subject.id,
      values: [
        { path: 'gender', value: 'female' },
        { path: 'weight', value: '72' },
      ],
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.setFields).toMatchObject({ __typename: 'Subject', gender: 'female', weight: '72.0' });
  });

  it('sets an assessor field, a session field and a project field', async () => {
    const { data } = await stack.graphql(`{ project(id: "test") { id subject(label: "sub-01") { experiment(label: "sub-01_MR1") { id
      assessor(label: "sub-01_MR1_QC") { id } } } } }`);
    const assessor = await stack.graphql(SET, {
      id: data.project.subject.experiment.assessor.id,
      values: [{ path: 'xnat:qcManualAssessorData/pass', value: 'fail' }],
    });
    expect(assessor.errors).toBeUndefined();
    expect(assessor.data.setFields).toMatchObject({ __typename: 'Assessor', pass: 'fail' });
    const session = await stack.graphql(SET, {
      id: data.project.subject.experiment.id,
      values: [{ path: 'xnat:mrSessionData/fieldStrength', value: '7.0' }],
    });
    expect(session.errors).toBeUndefined();
    expect(session.data.setFields).toMatchObject({ __typename: 'MrSession', fieldStrength: '7.0' });
    const project = await stack.graphql(SET, { id: data.project.id, values: [{ path: 'description', value: 'Brain MRI, re-described' }] });
    expect(project.errors).toBeUndefined();
    expect(project.data.setFields).toMatchObject({ __typename: 'Project', description: 'Brain MRI, re-described' });
  });

  it('an unknown field: XNAT answers 200 having stored only what came before it; the gateway puts that back and says so', async () => {
    const before = (await stack.graphql(SCAN)).data.project.subject.experiment.scan;
    const answer = await stack.graphql(SET, {
      id: before.id,
      values: [
        { path: 'quality', value: 'unusable' },
        { path: 'xnat:mrScanData/noSuchField', value: 'x' },
      ],
    });
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0]!.extensions).toMatchObject({ paths: ['xnat:mrScanData/noSuchField'] });
    expect(answer.errors![0]!.message).toMatch(/Nothing was changed/);
    const after = (await stack.graphql(SCAN)).data.project.subject.experiment.scan;
    expect(after.quality).toBe(before.quality);
  });

  it('a value of the wrong type: XNAT refuses it (400), nothing is stored', async () => {
    const { data } = await stack.graphql(
      '{ project(id: "test") { subject(label: "sub-07") { id weight: field(path: "weight") gender } } }',
    );
    const answer = await stack.graphql(SET, {
      id: data.project.subject.id,
      values: [
        { path: 'gender', value: 'other' },
        { path: 'weight', value: 'heavy' },
      ],
    });
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    const after = await stack.graphql('{ project(id: "test") { subject(label: "sub-07") { weight: field(path: "weight") gender } } }');
    expect(after.data.project.subject).toEqual({ weight: data.project.subject.weight, gender: data.project.subject.gender });
  });

  it('refuses fields that name the object, duplicates and ids of files, before asking XNAT', async () => {
    const before = (await stack.graphql(SCAN)).data.project.subject.experiment.scan;
    const sent = stack.emulator.requests.entries().length;
    for (const values of [
      [{ path: 'label', value: 'renamed' }],
      [{ path: 'xnat:subjectData/project', value: 'other' }],
      [
        { path: 'note', value: 'a' },
        { path: 'note', value: 'b' },
      ],
      [],
    ]) {
      expect(codes(await stack.graphql(SET, { id: before.id, values }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(stack.emulator.requests.entries().length).toBe(sent);
  });

  it('guest, collaborators and members on the project record are refused (FORBIDDEN), nothing stored', async () => {
    const scan = (await stack.graphql(SCAN, {}, GUEST)).data.project.subject.experiment.scan;
    const guest = await stack.graphql(SET, { id: scan.id, values: [{ path: 'quality', value: 'unusable' }] }, GUEST);
    expect(codes(guest)).toEqual(['FORBIDDEN']);
    expect((await stack.graphql(SCAN)).data.project.subject.experiment.scan.quality).toBe(scan.quality);

    const NEURO = '{ project(id: "PROT_NEURO") { id description subjects { nodes { id gender ownerProject } } } }';
    const neuro = (await stack.graphql(NEURO, {}, OWNER)).data.project;
    // One the project owns (shared-in subjects are written through their own project).
    const owned = (s: { ownerProject: string }) => s.ownerProject === 'PROT_NEURO';
    const subject = neuro.subjects.nodes.find(owned);
    const collab = await stack.graphql(SET, { id: subject.id, values: [{ path: 'gender', value: 'unknown' }] }, COLLAB);
    expect(codes(collab)).toEqual(['FORBIDDEN']);
    const member = await stack.graphql(SET, { id: neuro.id, values: [{ path: 'description', value: 'changed by a member' }] }, MEMBER);
    expect(codes(member)).toEqual(['FORBIDDEN']);
    const unchanged = (await stack.graphql(NEURO, {}, ADMIN)).data.project;
    expect(unchanged.description).toBe(neuro.description);
    expect(unchanged.subjects.nodes.find(owned).gender).toBe(subject.gender);

    // Members edit the project's data, owners its record.
    const byMember = await stack.graphql(SET, { id: subject.id, values: [{ path: 'handedness', value: 'left' }] }, MEMBER);
    expect(byMember.errors).toBeUndefined();
    const byOwner = await stack.graphql(SET, { id: neuro.id, values: [{ path: 'description', value: neuro.description }] }, OWNER);
    expect(byOwner.errors).toBeUndefined();
  });
});
