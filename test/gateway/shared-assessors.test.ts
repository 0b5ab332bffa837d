import { describe, expect, it } from 'vitest';
import { ADMIN, basic, type Credentials, startStack, uploadRequest, xnatTable } from '../support/stack.js';

/**
 * An image assessor shared into another project (an `xnat:experimentData_share` of the assessor):
 * under its session as the sharing project lists it, it appears to that project's users as XNAT
 * lists it there (ProjSubExptAsstList), with its resources; an assessor of the same session that
 * is not shared does not; writes go through its owner only. Demo: PRIV_ONC's ONC-001_CT1 is
 * shared into PROT_NEURO as NEURO-ONC-001_CT1, with `ONC-001_CT1_QC` shared and
 * `ONC-001_CT1_QC_internal` not.
 */

const MEMBER: Credentials = { user: 'member', password: 'member' };
const SESSION_PATH = '/data/projects/PROT_NEURO/subjects/NEURO-ONC-001/experiments/NEURO-ONC-001_CT1';
const QUERY = `{ project(id: "PROT_NEURO") { subject(label: "NEURO-ONC-001") { experiment(label: "NEURO-ONC-001_CT1") { accessionId shared
  assessors { totalCount nodes { id uri label accessionId xsiType pass: field(path: "xnat:qcManualAssessorData/pass")
    resources { nodes { label files { nodes { path size } } } } } } } } } }`;

describe('Shared image assessors', () => {
  it('appear under the sharing project as XNAT lists them there, with their resources; unshared ones only to who reads the owner', async () => {
    await using stack = await startStack({ cache: false });
    for (const [who, expected] of [
      [MEMBER, ['ONC-001_CT1_QC']],
      [ADMIN, ['ONC-001_CT1_QC', 'ONC-001_CT1_QC_internal']],
    ] as const) {
      const { data, xnatRequests } = await stack.measure(QUERY, {}, who);
      const session = data.project.subject.experiment;
      expect(session.shared).toBe(true);
      const listed = await xnatTable(stack, `${SESSION_PATH}/assessors`, who);
      expect(listed.map((r) => r['label']).sort()).toEqual(expected);
      expect(session.assessors.nodes.map((a: any) => [a.accessionId, a.label, a.xsiType])).toEqual(
        listed.sort((a, b) => a['label']!.localeCompare(b['label']!)).map((r) => [r['ID'], r['label'], r['xsiType']]),
      );
      const qc = session.assessors.nodes[0];
      expect(qc).toMatchObject({ label: 'ONC-001_CT1_QC', pass: 'pass', uri: `${SESSION_PATH}/assessors/ONC-001_CT1_QC` });
      expect(qc.resources.nodes).toEqual([
        { label: 'SNAPSHOTS', files: { nodes: [{ path: 'ONC-001_CT1_qc.png', size: expect.any(Number) }] } },
      ]);
      // pyxnat's `_uri` of the shared assessor reaches it in XNAT through the sharing project.
      const reached = await fetch(`${stack.emulator.url}${qc.uri}?format=json`, { headers: { authorization: basic(who) } });
      expect(reached.status).toBe(200);
      await reached.arrayBuffer();
      // project 1 + subject 1 + experiment 1 + assessors 1 + QC field 1 + resources with their files 2,
      // as for an owned session.
      expect(xnatRequests).toBe(7);
    }
  });

  it('are found again by node id through the sharing project, and refuse writes from its users', async () => {
    await using stack = await startStack();
    const { data } = await stack.measure(QUERY, {}, MEMBER);
    const [qc] = data.project.subject.experiment.assessors.nodes;
    const again = await stack.graphql(
      `query ($id: ID!) { node(id: $id) { ... on Assessor { label session { label } } } }`,
      { id: qc.id },
      MEMBER,
    );
    expect(again.data.node).toEqual({ label: 'ONC-001_CT1_QC', session: { label: 'NEURO-ONC-001_CT1' } });
    const up = await uploadRequest(
      stack,
      `mutation ($p: ID!, $file: Upload!) { uploadFile(parent: $p, resource: "notes", file: $file, name: "x.txt") { id } }`,
      { p: qc.id },
      { name: 'x.txt', bytes: new TextEncoder().encode('x') },
      MEMBER,
    );
    expect(up.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stored = await xnatTable(
      stack,
      `/data/experiments/${data.project.subject.experiment.accessionId}/assessors/${qc.accessionId}/resources`,
    );
    expect(stored.map((r) => r['label'])).toEqual(['SNAPSHOTS']);
  });

  it('are not experiments of the sharing project', async () => {
    await using stack = await startStack();
    const { data } = await stack.measure(`{ project(id: "PROT_NEURO") { experiments { totalCount nodes { label } } } }`, {}, MEMBER);
    const listed = await xnatTable(stack, '/data/projects/PROT_NEURO/experiments', MEMBER);
    expect(data.project.experiments.nodes.map((e: { label: string }) => e.label).sort()).toEqual(listed.map((r) => r['label']).sort());
    expect(data.project.experiments.totalCount).toBe(5);
  });
});

describe('Fields of shared objects', () => {
  it('are refused to users of the sharing project alone (FORBIDDEN, as for any object they may not edit), nothing stored', async () => {
    await using stack = await startStack();
    const SHARED = `{ project(id: "PROT_NEURO") { subject(label: "NEURO-ONC-001") { experiment(label: "NEURO-ONC-001_CT1") { id accessionId
      note: field(path: "note") assessors { nodes { id accessionId pass: field(path: "xnat:qcManualAssessorData/pass") } } } } } }`;
    const session = (await stack.graphql(SHARED, {}, MEMBER)).data.project.subject.experiment;
    const [qc] = session.assessors.nodes;
    const SET = 'mutation ($id: ID!, $values: [FieldValueInput!]!) { setFields(id: $id, values: $values) { id } }';
    for (const [id, values] of [
      [qc.id, [{ path: 'xnat:qcManualAssessorData/pass', value: 'fail' }]],
      [session.id, [{ path: 'note', value: 'written by a member of the sharing project' }]],
    ] as const) {
      const refused = await stack.graphql(SET, { id, values }, MEMBER);
      expect(refused.data).toBeNull();
      expect(refused.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const [stored] = await xnatTable(stack, `/data/experiments/${session.accessionId}/assessors`);
    expect(stored?.['ID']).toBe(qc.accessionId);
    const after = (await stack.graphql(SHARED, {}, ADMIN)).data.project.subject.experiment;
    expect(after.assessors.nodes.find((a: { accessionId: string }) => a.accessionId === qc.accessionId).pass).toBe(qc.pass);
    expect(after.note).toBe(session.note);
  });
});
