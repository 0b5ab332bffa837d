import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

describe('/metrics stays bounded whatever operation names clients choose', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('gives the first 100 names their own series and counts the rest as other', async () => {
    for (let i = 0; i < 160; i++) {
      const response = await stack.graphql(`query Client${i} { __typename }`);
      expect(response.errors).toBeUndefined();
    }
    const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    const names = new Set([...text.matchAll(/^graphql_operations_total\{[^}]*operation="([^"]+)"/gm)].map((m) => m[1]));
    expect(names.size).toBe(101);
    expect(names.has('Client0')).toBe(true);
    expect(names.has('Client99')).toBe(true);
    expect(names.has('Client100')).toBe(false);
    expect(text).toMatch(/^graphql_operations_total\{operation="other",type="query",status="ok"\} 60$/m);
  });
});
