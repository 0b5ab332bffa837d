import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, startStack, type Stack } from '../support/stack.js';

const LISTING = '{ projects { nodes { label resources { nodes { label } } } } }';

describe('the listing cache and failed writes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ gateway: { cacheTtlMs: 60_000 } });
  });
  afterAll(() => stack?.close());

  it("a write XNAT refuses leaves every user's cached listings in place", async () => {
    await stack.measure(LISTING, {}, ADMIN);
    expect((await stack.measure(LISTING, {}, ADMIN)).xnatRequests).toBe(0);
    const { data } = await stack.graphql('{ project(id: "test") { id resource(label: "protocols") { id } } }');
    // guest may read the public project but not write to it: XNAT answers 403.
    for (let i = 0; i < 3; i++) {
      const refused = await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: data.project.resource.id }, GUEST);
      expect(refused.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND|UNAUTHENTICATED/);
    }
    expect((await stack.measure(LISTING, {}, ADMIN)).xnatRequests).toBe(0);
  });

  it('a write XNAT accepts is seen by the writer at once', async () => {
    const { data } = await stack.graphql('{ project(id: "test") { id } }');
    const created = await stack.graphql('mutation ($p: ID!) { createResource(parent: $p, label: "flush_probe") { label } }', {
      p: data.project.id,
    });
    expect(created.errors).toBeUndefined();
    const after = await stack.measure(LISTING, {}, ADMIN);
    expect(after.xnatRequests).toBeGreaterThan(0);
    const test = after.data.projects.nodes.find((p: { label: string }) => p.label === 'test');
    expect(test.resources.nodes.map((r: { label: string }) => r.label)).toContain('flush_probe');
  });
});
