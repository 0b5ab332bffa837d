import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, GUEST, startStack, type Stack } from '../support/stack.js';

const DASHBOARD = `{ projects { nodes { label stats { subjectCount sessionCount byModality { key count } } resources { nodes { label } } } } }`;

/** The cache behaviours every store must show; `cacheUrl` picks the store. */
export function cacheSuite(options: () => { cacheUrl?: string }): void {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ gateway: { cacheTtlMs: 60_000, ...options() } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers a repeated query without any XNAT request', async () => {
    const cold = await stack.measure(DASHBOARD);
    expect(cold.xnatRequests).toBeGreaterThan(0);
    const warm = await stack.measure(DASHBOARD);
    expect(warm.xnatRequests).toBe(0);
    expect(warm.data).toEqual(cold.data);
  });

  it("never serves one user's cached answer to another", async () => {
    const admin = await stack.measure(DASHBOARD, {}, ADMIN);
    const guest = await stack.measure(DASHBOARD, {}, GUEST);
    expect(guest.xnatRequests).toBeGreaterThan(0);
    expect(guest.data.projects.nodes.length).toBeLessThan(admin.data.projects.nodes.length);
    const guestAgain = await stack.measure(DASHBOARD, {}, GUEST);
    expect(guestAgain.xnatRequests).toBe(0);
    expect(guestAgain.data).toEqual(guest.data);
    // A wrong password is another identity, never a hit on the right one's entries.
    const wrong = await stack.graphql(DASHBOARD, {}, { user: 'guest', password: 'not-guest' });
    expect(wrong.data?.projects ?? null).toBeNull();
  });

  it("a write by one user drops every user's cached views", async () => {
    await stack.measure(DASHBOARD, {}, GUEST);
    expect((await stack.measure(DASHBOARD, {}, GUEST)).xnatRequests).toBe(0);
    const projectId = (await stack.graphql(`{ project(id: "test") { id } }`)).data.project.id;
    const label = `cache_probe_${Math.random().toString(36).slice(2, 8)}`;
    const created = await stack.graphql(`mutation($p: ID!, $l: String!) { createResource(parent: $p, label: $l) { label } }`, {
      p: projectId,
      l: label,
    });
    expect(created.errors).toBeUndefined();
    const guest = await stack.measure(DASHBOARD, {}, GUEST);
    expect(guest.xnatRequests).toBeGreaterThan(0);
    const test = guest.data.projects.nodes.find((p: { label: string }) => p.label === 'test');
    expect(test.resources.nodes.map((r: { label: string }) => r.label)).toContain(label);
    const admin = await stack.measure(DASHBOARD, {}, ADMIN);
    expect(admin.xnatRequests).toBeGreaterThan(0);
  });
}
