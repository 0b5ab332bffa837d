import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveTreeDocument } from '../generated/operations.js';
import { startStack, type Stack } from '../support/stack.js';

/** A document nesting Project → Subject → Project … `cycles` times. */
function deepQuery(cycles: number): string {
  let selection = 'label';
  for (let i = 0; i < cycles; i++) selection = `subjects { nodes { project { ${selection} } } }`;
  return `{ projects { nodes { ${selection} } } }`;
}

describe('query limits protect XNAT', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('lets the full-tree query of the demo dataset through', async () => {
    const response = await stack.graphql(print(ArchiveTreeDocument));
    expect(response.errors).toBeUndefined();
    expect(response.data.projects.totalCount).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['too deep', deepQuery(12)],
    ['too many aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: projects { totalCount }`).join(' ')} }`],
    ['too many tokens', `{ projects { nodes { ${'label '.repeat(5000)} } } }`],
    [
      'too costly (lists multiply their children)',
      `{ ${Array.from(
        { length: 8 },
        (_, i) => `t${i}: projects { nodes { subjects { nodes { experiments { nodes { scans { nodes {
        resources { nodes { files { nodes { id name size uri } } } } } } } } } } } }`,
      ).join(' ')} }`,
    ],
  ])('refuses a %s document with QUERY_TOO_COMPLEX before any XNAT request', async (_name, query) => {
    stack.emulator.requests.clear();
    const response = await stack.graphql(query);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    // The document parsed: its refusal must not read as a syntax error.
    expect(response.errors?.[0]?.message).not.toMatch(/^Syntax Error/);
    expect(Object.values(response.data ?? {}).every((value) => value === null)).toBe(true);
    expect(stack.emulator.requests.count()).toBe(0);
  });
});
