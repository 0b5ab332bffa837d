import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/** `orderBy` on connections: sorted as asked, stable, and paged consistently with cursors. */

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Reference order: by each key, missing values last whatever the direction, ties by label. */
function sorted<T extends Record<string, any>>(
  items: T[],
  keys: Array<{ key: (t: T) => string | null; desc?: boolean }>,
  label: (t: T) => string,
): T[] {
  return [...items].sort((a, b) => {
    for (const { key, desc } of keys) {
      const x = key(a);
      const y = key(b);
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
        continue;
      }
      const order = natural(x, y) * (desc ? -1 : 1);
      if (order !== 0) return order;
    }
    return natural(label(a), label(b));
  });
}

/** Every page of a connection, `size` at a time, following `endCursor`. */
async function allPages(query: string, pick: (data: any) => any, size: number): Promise<any[]> {
  const out: any[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const response = await stack.graphql(query, { first: size, after });
    expect(response.errors).toBeUndefined();
    const connection = pick(response.data);
    out.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage) return out;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('orderBy', () => {
  it('sorts experiments by date descending (then label), page by page with cursors', async () => {
    const all = await stack.graphql('{ experiments { nodes { id label date time } } }');
    expect(all.errors).toBeUndefined();
    const experiments = all.data.experiments.nodes as Array<{ id: string; label: string; date: string | null; time: string | null }>;
    expect(experiments.length).toBeGreaterThan(20);
    const when = (e: (typeof experiments)[number]) => (e.date === null ? null : `${e.date}T${e.time ?? ''}`);
    const expected = sorted(experiments, [{ key: when, desc: true }], (e) => e.label).map((e) => e.id);
    expect(expected).not.toEqual(experiments.map((e) => e.id));

    const query = `query ($first: Int, $after: String) {
      experiments(first: $first, after: $after, orderBy: [{ field: DATE, direction: DESC }]) { nodes { id } pageInfo { hasNextPage endCursor } }
    }`;
    const paged = await allPages(query, (d) => d.experiments, 7);
    expect(paged.map((e) => e.id)).toEqual(expected);
  });

  it('sorts by several keys: type, then date ascending', async () => {
    const { data } = await stack.graphql('{ project(id: "PRIV_ONC") { experiments { nodes { id label date time xsiType } } } }');
    const experiments = data.project.experiments.nodes as Array<{
      id: string;
      label: string;
      date: string | null;
      time: string | null;
      xsiType: string;
    }>;
    const when = (e: (typeof experiments)[number]) => (e.date === null ? null : `${e.date}T${e.time ?? ''}`);
    const expected = sorted(experiments, [{ key: (e) => e.xsiType }, { key: when }], (e) => e.label).map((e) => e.id);
    const query = `query ($first: Int, $after: String) {
      project(id: "PRIV_ONC") { experiments(first: $first, after: $after, orderBy: [{ field: TYPE }, { field: DATE, direction: ASC }]) {
        nodes { id } pageInfo { hasNextPage endCursor } } }
    }`;
    const paged = await allPages(query, (d) => d.project.experiments, 4);
    expect(paged.map((e) => e.id)).toEqual(expected);
    expect(new Set(experiments.map((e) => e.xsiType)).size).toBeGreaterThan(1);
  });

  it('sorts subjects by label descending and by insert date', async () => {
    const { data } = await stack.graphql(`{ project(id: "test") {
      desc: subjects(orderBy: [{ field: LABEL, direction: DESC }]) { nodes { label } }
      inserted: subjects(orderBy: [{ field: INSERT_DATE, direction: DESC }]) { nodes { label insertDate } }
    } }`);
    const labels = data.project.desc.nodes.map((s: { label: string }) => s.label);
    expect(labels).toEqual([...labels].sort(natural).reverse());
    const inserted = data.project.inserted.nodes as Array<{ label: string; insertDate: string | null }>;
    expect(inserted.map((s) => s.label)).toEqual(
      sorted(inserted, [{ key: (s) => s.insertDate, desc: true }], (s) => s.label).map((s) => s.label),
    );
  });

  it('sorts scans numerically by scan ID and by type', async () => {
    const { data } = await stack.graphql(`{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") {
      byId: scans(orderBy: [{ field: LABEL, direction: DESC }]) { nodes { label } }
      byType: scans(orderBy: [{ field: TYPE }]) { nodes { label type } }
    } } } }`);
    const ids = data.project.subject.experiment.byId.nodes.map((s: { label: string }) => Number(s.label));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const byType = data.project.subject.experiment.byType.nodes as Array<{ label: string; type: string | null }>;
    expect(byType.map((s) => s.label)).toEqual(sorted(byType, [{ key: (s) => s.type }], (s) => s.label).map((s) => s.label));
  });

  it('sorts projects, and costs no extra XNAT request', async () => {
    // Counted on the cold path, where both queries ask XNAT.
    await using cold = await startStack({ cache: false });
    const plain = await cold.measure('{ projects { nodes { label } } }');
    const ordered = await cold.measure('{ projects(orderBy: [{ field: LABEL, direction: DESC }]) { nodes { label } } }');
    const labels = plain.data.projects.nodes.map((p: { label: string }) => p.label);
    expect(ordered.data.projects.nodes.map((p: { label: string }) => p.label)).toEqual([...labels].sort(natural).reverse());
    expect(plain.xnatRequests).toBe(1);
    expect(ordered.xnatRequests).toBe(plain.xnatRequests);
  });

  it('refuses an unknown sort field', async () => {
    const response = await stack.graphql('{ projects(orderBy: [{ field: DATE }]) { nodes { label } } }');
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/ProjectOrderField/);
  });
});
