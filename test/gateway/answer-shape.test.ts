import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The answer's shape as GraphQL defines it, whatever order the fields resolve in: an object's
 * fields in the order the document selects them, and every error pointing at its field.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('the shape of an answer', () => {
  it('lists fields in the order the document selects them, also those that wait on XNAT', async () => {
    // `modality` and `scans` wait on the scans listing, `label` and `date` answer at once.
    const response = await stack.graphql(`{ project(id: "test") { experiments { nodes {
      modality label scans { totalCount } when: date firstLabel: label
    } } } }`);
    expect(response.errors).toBeUndefined();
    const nodes = response.data.project.experiments.nodes as Record<string, unknown>[];
    expect(nodes.length).toBeGreaterThan(1);
    for (const node of nodes) expect(Object.keys(node)).toEqual(['modality', 'label', 'scans', 'when', 'firstLabel']);
  });

  it('gives each field error its location in the document and its path', async () => {
    const response = await stack.graphql('{ projects { totalCount }\n  node(id: "not-an-id") { id } }');
    expect(response.data).toEqual({ projects: { totalCount: expect.any(Number) }, node: null });
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['node'],
        locations: [{ line: 2, column: 3 }],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
  });
});
