import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/schema/ids.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe('dates', () => {
  it.each(['2020-13-45', '2023-02-29', '2020-00-10', '2020-1-1', '20200101'])(
    'refuses the impossible or malformed date %s with BAD_USER_INPUT',
    async (date) => {
      stack.emulator.requests.clear();
      const response = await stack.graphql('query ($d: Date) { experiments(filter: { dateFrom: $d }) { totalCount } }', { d: date });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(stack.emulator.requests.count()).toBe(0);
      const literal = await stack.graphql(`{ experiments(filter: { dateTo: "${date}" }) { totalCount } }`);
      expect(literal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    },
  );

  it('accepts a leap day', async () => {
    const response = await stack.graphql('{ experiments(filter: { dateFrom: "2024-02-29" }) { totalCount } }');
    expect(response.errors).toBeUndefined();
  });
});

describe('node ids with a wrong project coordinate', () => {
  it('resolve to nothing, and writes through them find nothing to change', async () => {
    const { data } = await stack.graphql(`{ projects { nodes { id } }
      project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { id subject { id } scan(id: "2") { id resource(label: "nifti") { id files { nodes { id name } } } } } } } }`);
    const experiment = data.project.subject.experiment;
    const others = (data.projects.nodes as { id: string }[])
      .map((p) => Buffer.from(p.id, 'base64url').toString())
      .map((t) => JSON.parse(t)[1] as string)
      .filter((p) => p !== 'test');
    expect(others.length).toBeGreaterThan(0);
    const [, , subjectId, experimentId] = JSON.parse(Buffer.from(experiment.id, 'base64url').toString()) as string[];
    for (const other of others) {
      const forged = { project: other, subject: subjectId!, experiment: experimentId! };
      const ids = [
        encodeNodeId({ level: 'experiment', ref: forged }),
        encodeNodeId({ level: 'scan', ref: { ...forged, scan: '2' } }),
        encodeNodeId({ level: 'resource', ref: { owner: { kind: 'scan', ...forged, scan: '2' }, label: 'nifti' } }),
      ];
      for (const id of ids) {
        const found = await stack.graphql('query ($id: ID!) { node(id: $id) { id } }', { id });
        expect(found.errors).toBeUndefined();
        expect(found.data.node).toBeNull();
      }
      const deleted = await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: ids[2] });
      expect(deleted.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const still = await stack.graphql('query ($id: ID!) { node(id: $id) { id } }', { id: experiment.scan.resource.id });
    expect(still.data.node.id).toBe(experiment.scan.resource.id);
  });
});
