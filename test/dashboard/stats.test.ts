import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRecord, countBy, GUEST, startDashboardStack, xnatTable, type Stack } from './support.js';

/** Aggregates against the demo dataset, expected values computed from the emulator's own listings. */

type Row = Record<string, string>;

const STATS = `subjectCount experimentCount sessionCount scanCount byModality { key count } byScanType { key count } byMonth { key count }
  sessionsByModalityAndMonth { modality month count }`;

describe('dashboard aggregates', () => {
  let stack: Stack;
  let projects: Row[];
  const expected = new Map<string, { subjects: Row[]; experiments: Row[]; sessions: Row[]; scans: Row[] }>();

  beforeAll(async () => {
    stack = await startDashboardStack({ cache: false });
    projects = await xnatTable(stack, '/data/projects?columns=ID');
    for (const p of projects) {
      const id = p['ID']!;
      const subjects = await xnatTable(stack, `/data/projects/${id}/subjects?columns=ID,label`);
      const experiments = await xnatTable(stack, `/data/projects/${id}/experiments?columns=ID,label,xsiType,date`);
      const sessions = (await xnatTable(stack, `/data/experiments?xsiType=xnat:imageSessionData&project=${id}&columns=ID,modality,date`)).filter((s) => s['ID']);
      const scans: Row[] = [];
      for (const s of sessions) scans.push(...(await xnatTable(stack, `/data/experiments/${s['ID']}/scans?columns=ID,type`)));
      expected.set(id, { subjects, experiments, sessions, scans });
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  function check(stats: any, e: { subjects: Row[]; experiments: Row[]; sessions: Row[]; scans: Row[] }) {
    expect(stats.subjectCount).toBe(e.subjects.length);
    expect(stats.experimentCount).toBe(e.experiments.length);
    expect(stats.sessionCount).toBe(e.sessions.length);
    expect(stats.scanCount).toBe(e.scans.length);
    expect(asRecord(stats.byModality)).toEqual(countBy(e.sessions, (s) => s['modality'] || null));
    expect(asRecord(stats.byScanType)).toEqual(countBy(e.scans, (s) => s['type'] || null));
    expect(asRecord(stats.byMonth)).toEqual(countBy(e.sessions, (s) => s['date']?.slice(0, 7) || null));
    const perModalityMonth = countBy(
      e.sessions.filter((s) => s['date']),
      (s) => `${s['modality']}|${s['date']!.slice(0, 7)}`,
    );
    expect(Object.fromEntries(stats.sessionsByModalityAndMonth.map((c: any) => [`${c.modality}|${c.month}`, c.count]))).toEqual(perModalityMonth);
  }

  it('Project.stats of every project equals the emulator counts, in one request per listing kind plus those sharing needs', async () => {
    const { data, xnatRequests } = await stack.measure(`{ projects { nodes { label stats { ${STATS} } } } }`);
    expect(data.projects.nodes.length).toBe(projects.length);
    for (const p of data.projects.nodes) check(p.stats, expected.get(p.label)!);
    // projects 1, subjects and experiments 6 each (owners' listing, share probe, and — as the demo
    // shares subjects and sessions — each project's listing), scan summary join 1.
    expect(xnatRequests).toBe(1 + 2 * (2 + projects.length) + 1);
    const one = await stack.measure(`{ project(id: "test") { stats { ${STATS} } } }`);
    // One project: its subject and experiment listings (owned and shared together).
    expect(one.xnatRequests).toBe(4);
  });

  it('Query.stats sums every visible project', async () => {
    const { data, xnatRequests } = await stack.measure(`{ stats { ${STATS} } }`);
    const all = [...expected.values()];
    check(data.stats, {
      subjects: all.flatMap((e) => e.subjects),
      experiments: all.flatMap((e) => e.experiments),
      sessions: all.flatMap((e) => e.sessions),
      scans: all.flatMap((e) => e.scans),
    });
    expect(xnatRequests).toBe(1 + 2 * (2 + projects.length) + 1);
  });

  it('a guest counts only what a guest reads: public projects, and nothing of the protected one', async () => {
    const { data } = await stack.measure(`{ stats { subjectCount sessionCount } }`, {}, GUEST);
    const visible = (await xnatTable(stack, '/data/projects?columns=ID', GUEST)).map((p) => p['ID']!);
    expect(visible.length).toBeLessThan(expected.size);
    let subjects = 0;
    let sessions = 0;
    for (const id of visible) {
      // A protected project's listings answer 403 to a user without a role.
      subjects += (await xnatTable(stack, `/data/projects/${id}/subjects?columns=ID`, GUEST).catch(() => [])).length;
      sessions += (await xnatTable(stack, `/data/experiments?xsiType=xnat:imageSessionData&project=${id}&columns=ID`, GUEST)).filter((s) => s['ID']).length;
    }
    expect(data.stats.subjectCount).toBe(subjects);
    expect(data.stats.sessionCount).toBe(sessions);
  });

  it('the dashboard query (counts by modality and month for every project) costs the projects listing, the subject listings and one scan summary', async () => {
    const { xnatRequests } = await stack.measure(
      `{ projects { nodes { label name stats { subjectCount sessionCount byModality { key count } sessionsByModalityAndMonth { modality month count } } } } }`,
    );
    // projects 1, subjects 6 (owners' listing, share probe, each of the 4 projects' listing, as the
    // demo shares subjects), scan summary 1.
    expect(xnatRequests).toBe(1 + 2 + projects.length + 1);
  });
});
