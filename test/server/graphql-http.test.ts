import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { ADMIN, startStack, type Stack } from '../support/stack.js';

/** GraphQL-over-HTTP conformance of the running gateway, audited by graphql-http over a real socket. */
describe('GraphQL over HTTP (graphql-http server audits)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ gateway: { credentials: ADMIN } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const audits = serverAudits({ url: () => stack.gateway.graphqlUrl });
  const required = audits.filter((audit) => audit.name.startsWith('MUST') || audit.name.startsWith('SHOULD'));
  const optional = audits.filter((audit) => audit.name.startsWith('MAY'));

  it('has MUST and SHOULD audits to run', () => {
    expect(required.length).toBeGreaterThan(20);
  });

  for (const audit of required) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      const detail =
        result.status === 'ok' ? '' : `${result.reason} ${JSON.stringify(result.response ? { status: result.response.status } : {})}`;
      expect(result.status, detail).toBe('ok');
    });
  }

  it('MAY audits complete (warnings allowed)', async () => {
    for (const audit of optional) {
      const result = await audit.fn();
      expect(['ok', 'warn']).toContain(result.status);
    }
  });
});
