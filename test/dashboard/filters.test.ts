import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, startStack, xnatTable, type Stack } from '../support/stack.js';

/**
 * Filters against the demo dataset; expected answers come from the emulator's own REST listings
 * (the per-session scan listing for scans, which the gateway never uses for these fields).
 */

type Row = Record<string, string>;

describe('dashboard filters', () => {
  let stack: Stack;
  let experiments: Row[];
  let sessions: Row[];
  const scansOf = new Map<string, Row[]>();

  beforeAll(async () => {
    stack = await startStack({ cache: false });
    experiments = await xnatTable(stack, '/data/experiments?columns=ID,label,project,subject_ID,xsiType,date');
    sessions = await xnatTable(stack, '/data/experiments?xsiType=xnat:imageSessionData&columns=ID,label,project,modality,date');
    for (const s of sessions) scansOf.set(s['ID']!, await xnatTable(stack, `/data/experiments/${s['ID']}/scans?columns=ID,type,quality`));
  });
  afterAll(async () => {
    await stack?.close();
  });

  const labels = (rows: Row[]) => rows.map((r) => r['label']!).sort();
  const nodeLabels = (nodes: Array<{ label: string }>) => nodes.map((n) => n.label).sort();

  it('Query.experiments by one xsiType, several xsiTypes, modality, date range and label pattern, each in one XNAT request', async () => {
    const cases: Array<[Record<string, unknown>, Row[]]> = [
      [{ xsiTypes: ['xnat:petSessionData'] }, experiments.filter((e) => e['xsiType'] === 'xnat:petSessionData')],
      [
        { xsiTypes: ['xnat:petSessionData', 'xnat:ctSessionData'] },
        experiments.filter((e) => ['xnat:petSessionData', 'xnat:ctSessionData'].includes(e['xsiType']!)),
      ],
      [{ modalities: ['PT', 'CT'] }, sessions.filter((s) => ['PT', 'CT'].includes(s['modality']!))],
      [
        { dateFrom: '2024-01-01', dateTo: '2024-12-31' },
        experiments.filter((e) => e['date']! >= '2024-01-01' && e['date']! <= '2024-12-31'),
      ],
      [{ dateFrom: '2025-06-01' }, experiments.filter((e) => e['date'] !== '' && e['date']! >= '2025-06-01')],
      [{ label: 'sub-0*_mr2' }, experiments.filter((e) => /^sub-0.*_MR2$/i.test(e['label']!))],
      [{ label: 'sub-01_MR1' }, experiments.filter((e) => e['label'] === 'sub-01_MR1')],
      [
        { projects: ['test'], label: '*MR1', dateTo: '2024-06-30' },
        experiments.filter((e) => e['project'] === 'test' && e['label']!.endsWith('MR1') && e['date']! <= '2024-06-30' && e['date'] !== ''),
      ],
    ];
    for (const [filter, expected] of cases) {
      const { data, xnatRequests } = await stack.measure(
        `query($f: ExperimentFilter) { experiments(filter: $f) { totalCount nodes { label } } }`,
        { f: filter },
      );
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(nodeLabels(data.experiments.nodes), JSON.stringify(filter)).toEqual(labels(expected));
      expect(data.experiments.totalCount).toBe(expected.length);
      expect(xnatRequests).toBe(1);
    }
  });

  it('pushes the filter into the /data/experiments query parameters', async () => {
    await stack.measure(
      `{ experiments(filter: { xsiTypes: ["xnat:mrSessionData"], dateFrom: "2024-01-01", dateTo: "2024-12-31", label: "sub*" }) { totalCount } }`,
    );
    const [entry] = stack.emulator.requests.entries().filter((e) => e.path === '/data/experiments');
    const query = new URLSearchParams(entry!.query);
    expect(query.get('xsiType')).toBe('xnat:mrSessionData');
    expect(query.get('date')).toBe('01/01/2024-12/31/2024');
    expect(query.get('label')).toBe('sub*');
  });

  it('Query.scans by several types and by quality, from one scan-column join', async () => {
    const allScans: Row[] = [...scansOf].flatMap(([id, scans]) => scans.map((s) => ({ ...s, session: id })));
    const cases: Array<[Record<string, unknown>, Record<string, unknown> | null, typeof allScans]> = [
      [{ types: ['mprage', 'T2w'] }, null, allScans.filter((s) => ['mprage', 'T2w'].includes(s['type']!))],
      [{ qualities: ['questionable'] }, null, allScans.filter((s) => s['quality'] === 'questionable')],
      [
        { types: ['mprage'] },
        { projects: ['ADNI_DEMO'] },
        allScans.filter((s) => s['type'] === 'mprage' && sessions.find((x) => x['ID'] === s['session'])!['project'] === 'ADNI_DEMO'),
      ],
    ];
    for (const [filter, experimentFilter, expected] of cases) {
      const { data, xnatRequests } = await stack.measure(
        `query($f: ScanFilter, $e: ExperimentFilter) { scans(filter: $f, experiments: $e) { totalCount nodes { label type quality session { accessionId } } } }`,
        { f: filter, e: experimentFilter },
      );
      expect(expected.length).toBeGreaterThan(0);
      const got = data.scans.nodes
        .map((n: { label: string; session: { accessionId: string } }) => `${n.session.accessionId}/${n.label}`)
        .sort();
      expect(got, JSON.stringify(filter)).toEqual(expected.map((s) => `${s['session']}/${s['ID']}`).sort());
      expect(xnatRequests).toBe(1);
    }
    const entry = stack.emulator.requests.entries().find((e) => e.path === '/data/experiments');
    expect(new URLSearchParams(entry!.query).get('xnat:imageScanData/type')).toBe('mprage');
  });

  it('filters on existing connections: Project.experiments, Subject.experiments, Project.subjects, Experiment.scans', async () => {
    const { data, xnatRequests } = await stack.measure(`{
      project(id: "test") {
        subjects(filter: { label: "SUB-0*" }) { totalCount nodes { label experiments(filter: { label: "*_MR2" }) { nodes { label } } } }
        experiments(filter: { dateFrom: "2025-01-01" }) { nodes { label scans(filter: { types: ["mprage", "localizer"] }) { nodes { label type } } } }
      } }`);
    const subjects = await xnatTable(stack, '/data/projects/test/subjects?columns=ID,label');
    expect(nodeLabels(data.project.subjects.nodes)).toEqual(labels(subjects.filter((s) => /^sub-0/i.test(s['label']!))));
    const mr2 = data.project.subjects.nodes.flatMap((s: { experiments: { nodes: Array<{ label: string }> } }) => s.experiments.nodes);
    expect(nodeLabels(mr2)).toEqual(labels(experiments.filter((e) => e['project'] === 'test' && /^sub-0.*_MR2$/.test(e['label']!))));
    const recent = experiments.filter((e) => e['project'] === 'test' && e['date']! >= '2025-01-01');
    expect(nodeLabels(data.project.experiments.nodes)).toEqual(labels(recent));
    for (const e of data.project.experiments.nodes as Array<{ label: string; scans: { nodes: Array<{ label: string; type: string }> } }>) {
      const id = recent.find((r) => r['label'] === e.label)!['ID']!;
      const expected = scansOf.get(id)!.filter((s) => ['mprage', 'localizer'].includes(s['type']!));
      expect(e.scans.nodes.map((s) => s.label).sort()).toEqual(expected.map((s) => s['ID']).sort());
    }
    // project 1, subjects 1, experiments of subjects 1, experiments of the project 1, scans 1: filters cost nothing.
    expect(xnatRequests).toBe(5);
    const subjectListing = stack.emulator.requests.entries().find((e) => e.path === '/data/subjects')!;
    expect(new URLSearchParams(subjectListing.query).get('label')).toBe('SUB-0*');
  });

  it('Project.experiments by modality and Subject.experiments by several xsiTypes: one filtered listing per level, pushed down', async () => {
    const { data, xnatRequests } = await stack.measure(`{
      project(id: "ADNI_DEMO") {
        experiments(filter: { modalities: ["PT"] }) { nodes { label } }
        subjects(first: 2) { nodes { accessionId experiments(filter: { xsiTypes: ["xnat:MRSESSIONDATA", "xnat:petSessionData"], dateTo: "2025-12-31" }) { nodes { label } } } }
      } }`);
    expect(nodeLabels(data.project.experiments.nodes)).toEqual(
      labels(sessions.filter((s) => s['project'] === 'ADNI_DEMO' && s['modality'] === 'PT')),
    );
    for (const subject of data.project.subjects.nodes) {
      const expected = experiments.filter((e) => e['subject_ID'] === subject.accessionId && e['date'] !== '' && e['date']! <= '2025-12-31');
      expect(nodeLabels(subject.experiments.nodes)).toEqual(labels(expected));
    }
    // project, filtered experiments of the project, subjects, filtered experiments of both subjects.
    expect(xnatRequests).toBe(4);
    const listings = stack.emulator.requests
      .entries()
      .filter((e) => e.path === '/data/experiments')
      .map((e) => new URLSearchParams(e.query));
    expect(listings.length).toBe(2);
    const byProject = listings.find((q) => q.has('project'))!;
    expect([byProject.get('project'), byProject.get('modality'), byProject.get('xsiType')]).toEqual([
      'ADNI_DEMO',
      'PT',
      'xnat:imageSessionData',
    ]);
    const bySubject = listings.find((q) => q.has('subject_ID'))!;
    expect(bySubject.get('subject_ID')!.split(',').sort()).toEqual(
      data.project.subjects.nodes.map((s: { accessionId: string }) => s.accessionId).sort(),
    );
    expect(bySubject.get('date')).toBe('01/01/1000-12/31/2025');
  });

  it('the contract scans(type:) still works beside filter:', async () => {
    const { data } = await stack.measure(
      `{ project(id: "test") { experiments(first: 1) { nodes { scans(type: "mprage") { nodes { type } } } } } }`,
    );
    expect(data.project.experiments.nodes[0].scans.nodes).toEqual([{ type: 'mprage' }]);
  });

  it('an empty list matches nothing without asking XNAT; a guest sees only public projects', async () => {
    const none = await stack.measure(`{ experiments(filter: { projects: [] }) { totalCount } }`);
    expect(none.data.experiments.totalCount).toBe(0);
    expect(none.xnatRequests).toBe(0);
    const guest = await stack.measure(`{ experiments(filter: { modalities: ["CT"] }) { totalCount } }`, {}, GUEST);
    const expected = (await xnatTable(stack, '/data/experiments?xsiType=xnat:imageSessionData&columns=ID,modality', GUEST)).filter(
      (s) => s['modality'] === 'CT',
    );
    expect(guest.data.experiments.totalCount).toBe(expected.length);
    const admin = await stack.measure(`{ experiments(filter: { modalities: ["CT"] }) { totalCount } }`, {}, ADMIN);
    expect(admin.data.experiments.totalCount).toBeGreaterThan(guest.data.experiments.totalCount);
  });

  it('refuses a bad date range', async () => {
    const response = await stack.graphql(`{ experiments(filter: { dateFrom: "2025-01-01", dateTo: "2024-01-01" }) { totalCount } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
