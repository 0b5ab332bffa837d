import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/** Every error of an answer points at its field: its location in the document and its path. */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('the shape of an answer', () => {
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
