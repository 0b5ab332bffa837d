import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, startStack, type Stack } from '../support/stack.js';

interface Result {
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A multipart request whose `operations` is a batch (the multipart request spec's array form), no files. */
async function batch(stack: Stack, queries: string[]): Promise<{ status: number; results: Result[] }> {
  const form = new FormData();
  form.set('operations', JSON.stringify(queries.map((query) => ({ query }))));
  form.set('map', '{}');
  const response = await fetch(stack.gateway.graphqlUrl, {
    method: 'POST',
    headers: { authorization: basic(ADMIN), 'graphql-preflight': '1' },
    body: form,
  });
  const body = (await response.json()) as Result | Result[];
  return { status: response.status, results: Array.isArray(body) ? body : [body] };
}

const codes = (results: Result[]) => results.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code));
const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
const PROJECTS = '{ projects { nodes { id } } }';

/** Limits hold for the whole multipart request, not once per operation of its batch. */
describe('a multipart batch', () => {
  let stack: Stack;
  let cost: number;
  beforeAll(async () => {
    // The cost of PROJECTS, as the gateway's refusal under a limit of 1 states it.
    const probe = await startStack({ gateway: { xnatVersion: '1.8.10', maxCost: 1 } });
    const refused = await probe.graphql(PROJECTS);
    await probe.close();
    cost = Number(/Query cost (\d+)/.exec(refused.errors?.[0]?.message ?? '')?.[1]);
    expect(cost).toBeGreaterThan(1);
    // maxAnswerRows 6: the demo lists 4 projects to admin, so one PROJECTS fits and two do not.
    stack = await startStack({
      gateway: { xnatVersion: '1.8.10', maxAliases: 30, maxAnswerRows: 6, maxCost: Math.floor(cost * 1.5) },
    });
  });
  afterAll(() => stack?.close());

  it('counts aliases over all its operations', async () => {
    const alone = await batch(stack, [aliased(20)]);
    expect(codes(alone.results)).toEqual([]);
    const small = await batch(stack, [aliased(10), aliased(10)]);
    expect(codes(small.results)).toEqual([]);
    const over = await batch(stack, [aliased(20), aliased(20)]);
    expect(codes(over.results)).toContain('QUERY_TOO_COMPLEX');
    expect(over.results.some((r) => r.data?.a0)).toBe(false);
  });

  it('shares the cost limit among its operations', async () => {
    const alone = await batch(stack, [PROJECTS]);
    expect(codes(alone.results)).toEqual([]);
    const two = await batch(stack, [PROJECTS, PROJECTS]);
    expect(codes(two.results)).toContain('QUERY_TOO_COMPLEX');
  });

  it('shares the answer-row limit among its operations', async () => {
    // Cost allows one PROJECTS per batch; rows are checked with queries that cost almost nothing.
    const rows = '{ projects { totalCount } }';
    const alone = await batch(stack, [rows]);
    expect(codes(alone.results)).toEqual([]);
    expect(alone.results[0]!.data.projects.totalCount).toBe(4);
    const two = await batch(stack, [rows, rows]);
    expect(codes(two.results)).toContain('QUERY_TOO_LARGE');
  });
});
