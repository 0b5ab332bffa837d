import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const TREE = `{ projects { nodes { label customFields { name value } subjects { nodes { label customFields { name value }
  experiments { nodes { label customFields { name value } assessors { nodes { label xsiType customFields { name value } } } } } } } } } }`;
const PLAIN = '{ projects { nodes { label subjects { nodes { label experiments { nodes { label assessors { nodes { label } } } } } } } } }';

/** customFields: XNAT custom variables, read only when asked, one listing per level. */
describe('customFields', () => {
  const stacks: Record<string, Stack> = {};
  beforeAll(async () => {
    stacks['demo'] = await startStack({ cache: false });
    stacks['bench:2'] = await startStack({ cache: false, dataset: 'bench:2' });
  });
  afterAll(async () => {
    for (const stack of Object.values(stacks)) await stack.close();
  });

  /** XNAT requests of a query that ask for custom variables (`…/fields/field/…` columns), and all of them. */
  async function run(stack: Stack, query: string) {
    stack.emulator.requests.clear();
    const answer = await stack.graphql(query);
    expect(answer.errors).toBeUndefined();
    const entries = stack.emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION');
    const custom = entries.filter((e) => /\/fields\/field\//i.test(new URLSearchParams(e.query).get('columns') ?? ''));
    return { data: answer.data, custom, all: entries.length };
  }

  it('are not asked for unless selected', async () => {
    const { custom } = await run(stacks['demo']!, PLAIN);
    expect(custom).toHaveLength(0);
  });

  it('cost one listing per level, the same for twice the subjects', async () => {
    const plain = await run(stacks['demo']!, PLAIN);
    const demo = await run(stacks['demo']!, TREE);
    expect(demo.custom).toHaveLength(4);
    expect(demo.all).toBe(plain.all + 4);
    // bench:2 (twice the subjects and sessions) holds no assessors: one listing per other level.
    const LEVELS = TREE.replace(/ assessors \{ nodes \{ label xsiType customFields \{ name value \} \} \}/, '');
    expect((await run(stacks['demo']!, LEVELS)).custom).toHaveLength(3);
    expect((await run(stacks['bench:2']!, LEVELS)).custom).toHaveLength(3);
  });

  it("are the demo's variables, by name", async () => {
    const { data } = await run(stacks['demo']!, TREE);
    const test = data.projects.nodes.find((p: { label: string }) => p.label === 'test');
    expect(test.customFields).toEqual([
      { name: 'funding', value: 'internal' },
      { name: 'note', value: 'Seed walkthrough cohort' },
    ]);
    const subject = test.subjects.nodes[0];
    expect(subject.customFields.map((f: { name: string }) => f.name)).toEqual(['cohort', 'consent']);
    const session = subject.experiments.nodes[0];
    expect(session.customFields).toEqual([{ name: 'site', value: expect.stringMatching(/^Bay [12]$/) }]);
    const freesurfer = session.assessors.nodes.find((a: { xsiType: string }) => a.xsiType === 'fs:fsData');
    expect(freesurfer.customFields).toEqual([{ name: 'pipeline', value: 'recon-all 7.4.1' }]);
    const qc = session.assessors.nodes.find((a: { xsiType: string }) => a.xsiType === 'xnat:qcManualAssessorData');
    expect(qc.customFields).toEqual([]);
    const other = data.projects.nodes.find((p: { label: string }) => p.label === 'PRIV_ONC');
    expect(other.customFields).toEqual([]);
  });

  it('are set with setFields and read by path like any field', async () => {
    const stack = stacks['demo']!;
    const PATH = 'xnat:subjectData/fields/field[name=cohort]/field';
    const { data } = await stack.graphql(`{ project(id: "test") { subject(label: "sub-02") { id } } }`);
    const set = await stack.graphql(
      `mutation ($id: ID!, $values: [FieldValueInput!]!) { setFields(id: $id, values: $values) { ... on Subject { customFields { name value } cohort: field(path: "${PATH}") } } }`,
      {
        id: data.project.subject.id,
        values: [
          { path: PATH, value: 'withdrawn' },
          { path: 'xnat:subjectData/fields/field[name=arm]/field', value: 'B' },
        ],
      },
    );
    expect(set.errors).toBeUndefined();
    expect(set.data.setFields.cohort).toBe('withdrawn');
    expect(set.data.setFields.customFields).toEqual([
      { name: 'arm', value: 'B' },
      { name: 'cohort', value: 'withdrawn' },
      { name: 'consent', value: 'v2' },
    ]);
  });
});
