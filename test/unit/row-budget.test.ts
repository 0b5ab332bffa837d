import { describe, expect, it } from 'vitest';
import { planChunkFiles, planFilesRequests, type BudgetOptions, type WantedResource } from '../../src/xnat/row-budget.js';

const budget: BudgetOptions = { maxRows: 1000, maxIdChars: 2000, unknownRows: 100 };

function coverage(plan: ReturnType<typeof planFilesRequests>, wanted: WantedResource[]) {
  const perSession = new Map<string, number[]>();
  for (const w of wanted) perSession.set(w.session, [...(perSession.get(w.session) ?? []), w.dbId]);
  // Each wanted resource is fetched exactly once: by ID, or with the whole of its session.
  const fetched = plan.flatMap((r) => (r.resourceIds ? r.resourceIds : r.sessions.flatMap((s) => perSession.get(s) ?? [])));
  return fetched.sort((a, b) => a - b);
}

describe('files requests within a row budget', () => {
  it('packs whole sessions into one request while they fit', () => {
    const wanted = ['E1', 'E2', 'E3'].flatMap((s, i) => [1, 2].map((r) => ({ session: s, dbId: i * 10 + r, fileCount: 100 })));
    const plan = planFilesRequests(
      wanted,
      new Map([
        ['E1', 2],
        ['E2', 2],
        ['E3', 2],
      ]),
      budget,
    );
    expect(plan).toEqual([{ sessions: ['E1', 'E2', 'E3'], resourceIds: null, rows: 600 }]);
  });

  it('splits a few huge sessions by resource ID, every request within the budget, each resource once', () => {
    const wanted: WantedResource[] = [];
    const counts = new Map<string, number>();
    for (let s = 0; s < 20; s++) {
      const huge = s % 7 === 0;
      const resources = huge ? 12 : 3;
      counts.set(`E${s}`, resources);
      for (let r = 0; r < resources; r++) wanted.push({ session: `E${s}`, dbId: s * 100 + r, fileCount: huge ? 400 : 50 });
    }
    const plan = planFilesRequests(wanted, counts, budget);
    for (const request of plan) expect(request.rows).toBeLessThanOrEqual(budget.maxRows);
    expect(coverage(plan, wanted)).toEqual(wanted.map((w) => w.dbId).sort((a, b) => a - b));
    const total = wanted.reduce((n, w) => n + w.fileCount!, 0);
    // Requests stay proportional to rows / budget (greedy packing wastes at most one resource per request).
    expect(plan.length).toBeLessThanOrEqual(Math.ceil(total / (budget.maxRows - 400)) + 1);
  });

  it('gives a resource above the budget a request of its own, and names only the wanted resources of a session', () => {
    const plan = planFilesRequests(
      [
        { session: 'E1', dbId: 1, fileCount: 5000 },
        { session: 'E1', dbId: 2, fileCount: 10 },
        { session: 'E2', dbId: 3, fileCount: 10 },
      ],
      new Map([
        ['E1', 2],
        ['E2', 4],
      ]),
      budget,
    );
    expect(plan).toEqual([
      { sessions: ['E1'], resourceIds: [1], rows: 5000 },
      { sessions: ['E1', 'E2'], resourceIds: [2, 3], rows: 20 },
    ]);
  });

  it('counts a resource without file_count as the mean of the known ones, or as unknownRows', () => {
    const mixed = planChunkFiles(
      ['E1', 'E2'],
      [
        { dbId: 1, fileCount: 600 },
        { dbId: 2, fileCount: null },
        { dbId: 3, fileCount: 200 },
      ],
      budget,
    );
    expect(mixed.map((r) => r.rows)).toEqual([1000, 200]);
    expect(mixed.every((r) => r.sessions.join() === 'E1,E2')).toBe(true);
    const unknown = planChunkFiles(
      ['E1'],
      Array.from({ length: 25 }, (_, i) => ({ dbId: i, fileCount: null })),
      budget,
    );
    expect(unknown.map((r) => r.rows)).toEqual([1000, 1000, 500]);
  });
});
