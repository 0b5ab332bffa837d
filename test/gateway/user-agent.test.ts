import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/**
 * XNAT treats a browser-like User-Agent differently (an unauthenticated request is sent to the
 * login page; session writes need a CSRF token), so the gateway must never look like a browser,
 * whatever its own callers send.
 */
describe('what the gateway looks like to XNAT', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('sends no browser-like User-Agent on reads, writes and logins, even for a browser caller', async () => {
    const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36' };
    const post = (query: string, variables: Record<string, unknown> = {}) =>
      fetch(stack.gateway.graphqlUrl, {
        method: 'POST',
        headers: {
          ...browser,
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
        },
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json() as Promise<any>);
    const tree = await post(
      '{ projects { nodes { id subjects { nodes { experiments { nodes { scans { nodes { resources { nodes { label } } } } } } } } } } }',
    );
    expect(tree.errors).toBeUndefined();
    const project = tree.data.projects.nodes[0].id;
    const created = await post('mutation ($p: ID!) { createResource(parent: $p, label: "ua_check") { id } }', { p: project });
    expect(created.errors).toBeUndefined();
    const deleted = await post('mutation ($id: ID!) { deleteResource(id: $id) }', { id: created.data.createResource.id });
    expect(deleted.errors).toBeUndefined();

    const entries = stack.emulator.requests.entries();
    expect(entries.some((e) => e.method === 'PUT')).toBe(true);
    expect(entries.some((e) => e.method === 'DELETE')).toBe(true);
    const agents = new Set(entries.map((e) => e.userAgent ?? ''));
    for (const agent of agents) expect(agent).not.toMatch(/MSIE|Mozilla|AppleWebKit|Opera/);
  });
});
