import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, startStack, xnatTable, type Stack } from '../support/stack.js';

/**
 * Answers whose size is set by the archive, not by the query: the row budget per XNAT request,
 * the size guard, and incremental delivery with @stream.
 */
const TREE = `{ projects { nodes { label subjects { nodes { label experiments { nodes { label
  resources { nodes { label fileCount files { nodes { name path size } } } }
  scans { nodes { label resources { nodes { label fileCount files { nodes { name path size } } } } } } } } } } } } }`;

const filesRequests = (stack: Stack) => stack.emulator.requests.entries().filter((e) => e.method === 'GET' && /\/files$/.test(e.path));

describe('row budget per XNAT request', () => {
  const BUDGET = 8;
  let small: Stack;
  let unbatched: Stack;
  beforeAll(async () => {
    small = await startStack({ gateway: { xnatRowBudget: BUDGET } });
    unbatched = await startStack({ gateway: { batching: false } });
  });
  afterAll(async () => {
    await small?.close();
    await unbatched?.close();
  });

  it('keeps every files listing within the budget, and answers exactly what one request per session answers', async () => {
    const budgeted = await small.measure(TREE);
    const listings = filesRequests(small);
    expect(listings.length).toBeGreaterThan(1);
    let rows = 0;
    for (const listing of listings) {
      // The dataset does not change, so asking XNAT again shows what that request returned.
      const answer = await xnatTable(small, `${listing.path}${listing.query ? `?${listing.query.replace(/(^|&)format=json/, '')}` : ''}`);
      rows += answer.length;
      const resources = new Set(answer.map((r) => r.cat_ID));
      if (answer.length > BUDGET) expect(resources.size).toBe(1);
    }
    // Requests stay proportional to rows / budget: packing wastes less than one largest resource (3 files) per request.
    expect(listings.length).toBeLessThanOrEqual(Math.ceil(rows / (BUDGET - 3)) + 2);
    const reference = await unbatched.measure(TREE);
    expect(budgeted.data).toEqual(reference.data);
    expect(JSON.stringify(budgeted.data)).toContain('"path":"secondary/');
  });
});

describe('size guard and incremental delivery', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ gateway: { maxAnswerRows: 400 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers QUERY_TOO_LARGE with the numbers when an answer would hold too many XNAT rows, and keeps serving', async () => {
    const big = await stack.graphql(TREE);
    const errors = big.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    const error = errors.find((e) => e.extensions?.code === 'QUERY_TOO_LARGE');
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error!.message).toMatch(/more than 400 rows/);
    expect(error!.message).toMatch(/first\/after/);
    expect((error!.extensions as { maxRows?: number }).maxRows).toBe(400);
    expect((error!.extensions as { rows?: number }).rows).toBeGreaterThan(400);

    const small = await stack.graphql('{ project(id: "test") { subjects { nodes { label } } } }');
    expect(small.errors).toBeUndefined();
    expect(small.data.project.subjects.nodes.length).toBeGreaterThan(5);
  });

  it('sends XNAT nothing more once a request is refused: the scan resources are not listed again without their files', async () => {
    stack.emulator.requests.clear();
    const big = await stack.graphql(TREE);
    expect((big.errors ?? []).some((e) => e.extensions?.code === 'QUERY_TOO_LARGE')).toBe(true);
    const scanResourceListings = stack.emulator.requests
      .entries()
      .filter((e) => e.method === 'GET' && e.path.endsWith('/scans/ALL/resources'));
    expect(scanResourceListings).toHaveLength(1);
  });

  /** Reads a multipart/mixed answer and applies its incremental payloads to the first one. */
  async function incremental(query: string): Promise<{ parts: number; increments: number; data: unknown; errors: unknown[] }> {
    const response = await fetch(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed', authorization: basic(ADMIN) },
      body: JSON.stringify({ query }),
    });
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    const text = await response.text();
    const payloads = [...text.matchAll(/\r\n\r\n(\{.*?\})\r\n---/gs)].map(
      (m) =>
        JSON.parse(m[1]!) as {
          data?: Record<string, unknown>;
          errors?: unknown[];
          incremental?: { items?: unknown[]; data?: Record<string, unknown>; path: (string | number)[]; errors?: unknown[] }[];
        },
    );
    const data = payloads[0]!.data!;
    const errors: unknown[] = [...(payloads[0]!.errors ?? [])];
    let increments = 0;
    for (const payload of payloads.slice(1)) {
      for (const part of payload.incremental ?? []) {
        increments++;
        errors.push(...(part.errors ?? []));
        const target = part.path.slice(0, part.items ? -1 : undefined).reduce<any>((node, key) => node[key], data);
        if (part.items) (target as unknown[]).push(...part.items);
        else Object.assign(target, part.data);
      }
    }
    return { parts: payloads.length, increments, data, errors };
  }

  it('delivers @stream lists in parts that add up to the same answer as without it', async () => {
    const plain = `{ project(id: "test") { subjects { nodes { label experiments { nodes { label scans { nodes { label type } } } } } } } }`;
    const streamed = plain
      .replace('subjects { nodes {', 'subjects { nodes @stream(initialCount: 1) {')
      .replace('scans { nodes {', 'scans { nodes @stream(initialCount: 0) {');
    const expected = await stack.graphql(plain);
    expect(expected.errors).toBeUndefined();
    const got = await incremental(streamed);
    expect(got.errors).toEqual([]);
    expect(got.parts).toBeGreaterThanOrEqual(2);
    expect(got.increments).toBeGreaterThan(10);
    expect(got.data).toEqual(expected.data);
  });
});
