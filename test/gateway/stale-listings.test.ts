import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, basic, startStack, type Stack } from '../support/stack.js';

/**
 * Over real HTTP: the gateway's listing cache may still hold scans or sessions that someone
 * deleted in XNAT directly. XNAT answers a resources listing of sessions whose scans (or which)
 * it no longer finds with 404; those have no resources, and the rest of the answer stands.
 */

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const SCANS = '{ node(id: $id) { ... on Experiment { scans { nodes { id } } } } }';
const RESOURCES =
  '{ node(id: $id) { ... on Experiment { label resources { nodes { label } } scans { nodes { id resources { nodes { label } } } } } } }';
const withId = (q: string) => `query ($id: ID!) ${q}`;

describe('listings cached before a deletion in XNAT', () => {
  it('scans deleted in XNAT while cached list no resources instead of failing the query', async () => {
    stack = await startStack({ gateway: { cacheTtlMs: 60_000 } });
    const sessions = await stack.graphql('{ project(id: "test") { experiments(first: 1) { nodes { id accessionId label } } } }');
    const session = sessions.data.project.experiments.nodes[0];
    const scans = await stack.graphql(withId(SCANS), { id: session.id });
    expect(scans.errors).toBeUndefined();
    const scanIds: string[] = (
      await (
        await fetch(`${stack.emulator.url}/data/experiments/${session.accessionId}/scans?format=json`, {
          headers: { authorization: basic(ADMIN) },
        })
      ).json()
    ).ResultSet.Result.map((r: { ID: string }) => r.ID);
    expect(scanIds.length).toBeGreaterThan(0);
    for (const scan of scanIds) {
      const res = await fetch(`${stack.emulator.url}/data/experiments/${session.accessionId}/scans/${scan}`, {
        method: 'DELETE',
        headers: { authorization: basic(ADMIN) },
      });
      expect(res.status).toBe(200);
    }
    // XNAT itself now answers 404 for the scan resources of that session.
    expect(
      (
        await fetch(`${stack.emulator.url}/data/experiments/${session.accessionId}/scans/ALL/resources?format=json`, {
          headers: { authorization: basic(ADMIN) },
        })
      ).status,
    ).toBe(404);

    const res = await stack.graphql(withId(RESOURCES), { id: session.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.node.label).toBe(session.label);
    // The scans come from the cached listing; none has resources left.
    expect(res.data.node.scans.nodes.length).toBe(scanIds.length);
    for (const scan of res.data.node.scans.nodes) expect(scan.resources.nodes).toEqual([]);
  });
});
