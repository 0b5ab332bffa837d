import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The cross-request listing cache keeps rows as each statement converts them. Two statements
 * can send XNAT the very same listing: a scan's `fields` asking for the scan resources' IDs sends
 * the join the gateway itself uses to tell which session a scan resource belongs to. Each must
 * get its own rows back, whichever came first.
 */
const PATH = 'xnat:imageScanData/file/xnat_abstractresource_id';
const SCANS = (select: string) =>
  `{ project(id: "test") { subjects { nodes { experiments { nodes { label scans { nodes { label ${select} } } } } } } } }`;

type Answer = {
  project: { subjects: { nodes: { experiments: { nodes: { label: string; scans: { nodes: Record<string, unknown>[] } }[] } }[] } };
};
const scansOf = (data: Answer) => data.project.subjects.nodes.flatMap((s) => s.experiments.nodes.flatMap((e) => e.scans.nodes));

describe('statements that send XNAT the same listing', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("answers a scan's resources and its resource-ID field from the cache as from XNAT, in either order", async () => {
    const resources = SCANS('resources { nodes { label } }');
    const ids = SCANS(`ids: field(path: "${PATH}")`);
    // Cold: each asked of XNAT; then each again, answered from the listing the other stored.
    const first = await stack.graphql(resources);
    const second = await stack.graphql(ids);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const cachedIds = await stack.graphql(ids);
    const cachedResources = await stack.graphql(resources);
    expect(cachedIds).toEqual(second);
    expect(cachedResources).toEqual(first);
    expect(scansOf(second.data as Answer).some((s) => typeof s['ids'] === 'string' && /^\d+$/.test(s['ids'] as string))).toBe(true);
    expect(scansOf(first.data as Answer).some((s) => (s['resources'] as { nodes: unknown[] }).nodes.length > 0)).toBe(true);
  });
});
