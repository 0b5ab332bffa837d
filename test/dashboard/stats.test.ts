import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUEST, startStack, xnatTable, type Stack } from '../support/stack.js';
import { asRecord, countBy } from './support.js';

/** Aggregates against the demo dataset, expected values computed from the emulator's own listings. */

type Row = Record<string, string>;

const STATS = `subjectCount experimentCount sessionCount scanCount byModality { key count } byScanType { key count } byMonth { key count }
  sessionsByModalityAndMonth { modality month count }`;

describe('dashboard aggregates', () => {
  let stack: Stack;
  let projects: Row[];
  const expected = new Map<string, { subjects: Row[]; experiments: Row[]; sessions: Row[]; scans: Row[] }>();

  beforeAll(async () => {
    stack = await startStack({ cache: false });
    projects = await xnatTable(stack, '/data/projects?columns=ID');
    for (const p of projects) {
      const id = p['ID']!;
      const subjects = await xnatTable(stack, `/data/projects/${id}/subjects?columns=ID,label`);
      const experiments = await xnatTable(stack, `/data/projects/${id}/experiments?columns=ID,label,xsiType,date`);
      const sessions = (
        await xnatTable(stack, `/data/experiments?xsiType=xnat:imageSessionData&project=${id}&columns=ID,modality,date`)
      ).filter((s) => s['ID']);
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
    expect(Object.fromEntries(stats.sessionsByModalityAndMonth.map((c: any) => [`${c.modality}|${c.month}`, c.count]))).toEqual(
      perModalityMonth,
    );
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
      sessions += (await xnatTable(stack, `/data/experiments?xsiType=xnat:imageSessionData&project=${id}&columns=ID`, GUEST)).filter(
        (s) => s['ID'],
      ).length;
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

  it('stats(filter) count only matching sessions, their scans and subjects, in one summary request per filter', async () => {
    const owned = new Map<string, Row[]>();
    for (const p of projects) {
      owned.set(
        p['ID']!,
        (await xnatTable(stack, `/data/experiments?project=${p['ID']}&columns=ID,subject_ID,xsiType,date`)).filter((e) => e['ID']),
      );
    }
    const sessions = [...expected.values()].flatMap((e) => e.sessions);
    const dates = sessions
      .map((s) => s['date']!)
      .filter(Boolean)
      .sort();
    const from = dates[Math.floor(dates.length / 4)]!;
    const to = dates[Math.floor((3 * dates.length) / 4)]!;
    const filter = { modalities: ['MR'], dateFrom: from, dateTo: to };
    const { data, xnatRequests } = await stack.measure(
      `query($f: ExperimentFilter) { projects { nodes { label stats(filter: $f) { ${STATS} } } } all: stats(filter: $f) { sessionCount scanCount } }`,
      { f: filter },
    );
    let total = 0;
    for (const p of data.projects.nodes) {
      const e = expected.get(p.label)!;
      const matching = e.sessions.filter((s) => s['modality'] === 'MR' && s['date']! >= from && s['date']! <= to);
      const ids = new Set(matching.map((s) => s['ID']));
      expect(p.stats.sessionCount).toBe(matching.length);
      expect(asRecord(p.stats.byModality)).toEqual(matching.length ? { MR: matching.length } : {});
      expect(p.stats.scanCount).toBe(e.scans.filter((s) => ids.has(s['URI']!.split('/')[3])).length);
      const subjects = new Set(
        owned
          .get(p.label)!
          .filter((x) => ids.has(x['ID']))
          .map((x) => x['subject_ID']),
      );
      expect(p.stats.subjectCount).toBe(subjects.size);
      expect(p.stats.experimentCount).toBe(matching.length);
      total += matching.length;
    }
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(sessions.length);
    expect(data.all.sessionCount).toBe(total);
    // projects 1, the filtered experiment listing 1 (subjects), the filtered scan summary 1: shared by every project and Query.stats.
    expect(xnatRequests).toBe(3);

    const one = await stack.measure(`{ projects { nodes { label stats(filter: { projects: ["test"] }) { sessionCount } } } }`);
    for (const p of one.data.projects.nodes)
      expect(p.stats.sessionCount).toBe(p.label === 'test' ? expected.get('test')!.sessions.length : 0);
    expect(one.xnatRequests).toBe(2);
    expect((await stack.measure(`{ stats(filter: { modalities: [] }) { sessionCount subjectCount } }`)).xnatRequests).toBe(1);
  });

  it('stats(filter) refine by data type and label pattern as the experiment listings do', async () => {
    const all = await xnatTable(stack, '/data/experiments?xsiType=xnat:petSessionData&columns=ID,label,project,xsiType');
    const matching = all.filter((e) => e['ID'] && /fdg/i.test(e['label']!));
    expect(matching.length).toBeGreaterThan(0);
    expect(matching.length).toBeLessThan(all.length);
    const { data } = await stack.measure(
      `{ stats(filter: { xsiTypes: ["xnat:petSessionData"], label: "*fdg*" }) { sessionCount byModality { key count } } }`,
    );
    expect(data.stats.sessionCount).toBe(matching.length);
    expect(asRecord(data.stats.byModality)).toEqual({ PT: matching.length });
  });
});
