import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, xnatTable, type Stack } from '../support/stack.js';

/**
 * `/data/experiments/E1,E2/scans/ALL/resources` names each resource's scan but not its session.
 * The gateway attributes rows through the files listing when files are asked for, else (and for
 * empty resources) through the scan listing joined with the scans' resource IDs.
 */
describe('scan resources of many sessions at once', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ cache: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const TREE = `{ projects { nodes { experiments { nodes { accessionId scans { nodes { id label resources { nodes { label resourceId fileCount } } } } } } } } }`;

  type Tree = {
    projects: {
      nodes: {
        experiments: {
          nodes: {
            accessionId: string;
            scans: {
              nodes: { id: string; label: string; resources: { nodes: { label: string; resourceId: number; fileCount: number }[] } }[];
            };
          }[];
        };
      }[];
    };
  };
  const sessionsOf = (data: Tree) => data.projects.nodes.flatMap((p) => p.experiments.nodes);

  it('puts every resource under the scan and session XNAT lists it for', async () => {
    const { data } = await stack.graphql<Tree>(TREE);
    const sessions = sessionsOf(data!);
    for (const session of sessions.slice(0, 8)) {
      const rest = await xnatTable(stack, `/data/experiments/${session.accessionId}/scans/ALL/resources`);
      const fromRest = rest.map((r) => `${r.cat_id}/${r.label}/${r.xnat_abstractresource_id}`).sort();
      const fromGraphQL = session.scans.nodes.flatMap((s) => s.resources.nodes.map((r) => `${s.label}/${r.label}/${r.resourceId}`)).sort();
      expect(fromGraphQL).toEqual(fromRest);
    }
  });

  const joins = (stack: Stack) => stack.emulator.requests.entries().filter((e) => e.query.includes('xnat:imageScanData/file/')).length;

  it('attributes an empty resource under a shared scan ID from the scan listing joined with resource IDs', async () => {
    const before = await stack.measure<Tree>(TREE);
    expect(joins(stack)).toBe(1);
    const sessions = sessionsOf(before.data);
    const sharing = sessions.filter((s) => s.scans.nodes.some((scan) => scan.label === '1'));
    expect(sharing.length).toBeGreaterThan(8);
    const target = sharing[Math.floor(sharing.length / 2)]!;
    const scan = target.scans.nodes.find((s) => s.label === '1')!;

    const created = await stack.graphql('mutation ($p: ID!) { createResource(parent: $p, label: "empty_one") { id fileCount } }', {
      p: scan.id,
    });
    expect(created.errors).toBeUndefined();
    expect(created.data.createResource.fileCount).toBe(0);

    const after = await stack.measure<Tree>(TREE);
    const holders = sessionsOf(after.data).flatMap((s) =>
      s.scans.nodes.filter((sc) => sc.resources.nodes.some((r) => r.label === 'empty_one')).map((sc) => `${s.accessionId}/${sc.label}`),
    );
    expect(holders).toEqual([`${target.accessionId}/1`]);
    expect(after.xnatRequests).toBe(before.xnatRequests);

    // With files asked for, file URIs attribute every resource that has files; only the empty one needs the join.
    const withFiles = TREE.replace('fileCount', 'fileCount files { nodes { name } }');
    const listed = await stack.measure<Tree>(withFiles);
    expect(joins(stack)).toBe(1);
    expect(
      sessionsOf(listed.data).flatMap((s) =>
        s.scans.nodes.filter((sc) => sc.resources.nodes.some((r) => r.label === 'empty_one')).map((sc) => `${s.accessionId}/${sc.label}`),
      ),
    ).toEqual([`${target.accessionId}/1`]);
    const deleted = await stack.graphql<{ deleteResource: string }>('mutation ($id: ID!) { deleteResource(id: $id) }', {
      id: created.data.createResource.id,
    });
    expect(deleted.errors).toBeUndefined();
    await stack.measure<Tree>(withFiles);
    expect(joins(stack)).toBe(0);
  });
});
