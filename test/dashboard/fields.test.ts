import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, xnatTable, type Stack } from '../support/stack.js';

/** field(path) / fields(paths): pyxnat's attrs.get / attrs.mget, one extra listing per level at most. */

const TREE = (extra: {
  project?: string;
  subject?: string;
  experiment?: string;
  scan?: string;
}) => `{ projects { nodes { label ${extra.project ?? ''}
  subjects { nodes { label accessionId ${extra.subject ?? ''}
    experiments { nodes { label accessionId ${extra.experiment ?? ''}
      scans { nodes { label ${extra.scan ?? ''} } } } } } } } } }`;

describe('any XNAT field', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ cache: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('costs exactly one extra XNAT request per level for every object and path of that level', async () => {
    const plain = await stack.measure(TREE({}));
    const withFields = await stack.measure(
      TREE({
        project: 'fields(paths: ["name", "pi_lastname"]) { path value }',
        subject: 'gender: field(path: "gender") fields(paths: ["yob", "handedness", "no_such_shortcut"]) { path value }',
        experiment: 'fields(paths: ["date", "visit_id", "xnat:experimentData/label"]) { path value }',
        scan: 'fields(paths: ["type", "quality", "frames", "xnat:imageScanData/series_description"]) { path value }',
      }),
    );
    // projects 1, subjects 6 (owners, share probe, 4 project listings), experiments 2, scans 1.
    expect(plain.xnatRequests).toBe(10);
    expect(withFields.xnatRequests).toBe(plain.xnatRequests + 4);

    const projects = await xnatTable(stack, '/data/projects?columns=ID,name,pi_lastname');
    const subjects = await xnatTable(stack, '/data/subjects?columns=ID,gender,yob,handedness');
    const experiments = await xnatTable(stack, '/data/experiments?columns=ID,date,visit_id,label');
    for (const p of withFields.data.projects.nodes) {
      const row = projects.find((r) => r['ID'] === p.label)!;
      expect(p.fields).toEqual([
        { path: 'name', value: row['name'] || null },
        { path: 'pi_lastname', value: row['pi_lastname'] || null },
      ]);
      for (const s of p.subjects.nodes) {
        const srow = subjects.find((r) => r['ID'] === s.accessionId)!;
        expect(s.gender).toBe(srow['gender'] || null);
        expect(s.fields).toEqual([
          { path: 'yob', value: srow['yob'] || null },
          { path: 'handedness', value: srow['handedness'] || null },
          { path: 'no_such_shortcut', value: null },
        ]);
        for (const e of s.experiments.nodes) {
          const erow = experiments.find((r) => r['ID'] === e.accessionId)!;
          expect(e.fields).toEqual([
            { path: 'date', value: erow['date'] || null },
            { path: 'visit_id', value: erow['visit_id'] || null },
            { path: 'xnat:experimentData/label', value: erow['label'] },
          ]);
          if (e.scans.nodes.length === 0) continue;
          const scans = await xnatTable(
            stack,
            `/data/experiments/${e.accessionId}/scans?columns=ID,type,quality,frames,series_description`,
          );
          for (const sc of e.scans.nodes) {
            const row = scans.find((r) => r['ID'] === sc.label)!;
            expect(sc.fields).toEqual([
              { path: 'type', value: row['type'] || null },
              { path: 'quality', value: row['quality'] || null },
              { path: 'frames', value: row['frames'] || null },
              { path: 'xnat:imageScanData/series_description', value: row['series_description'] || null },
            ]);
          }
        }
      }
    }
  });

  it('reads session-subtype fields (MR field strength, PET tracer) by shortcut or XML path', async () => {
    const { data } = await stack.measure(`{ project(id: "ADNI_DEMO") { experiments { nodes { accessionId xsiType
      fs: field(path: "fieldStrength") fs2: field(path: "xnat:mrSessionData/fieldStrength") tracer: field(path: "xnat:petSessionData/tracer/name") } } } }`);
    const mr = await xnatTable(stack, '/data/experiments?xsiType=xnat:mrSessionData&project=ADNI_DEMO&columns=ID,fieldStrength');
    const pet = await xnatTable(stack, '/data/experiments?xsiType=xnat:petSessionData&project=ADNI_DEMO&columns=ID,tracer_name');
    for (const e of data.project.experiments.nodes) {
      const m = mr.find((r) => r['ID'] === e.accessionId);
      const p = pet.find((r) => r['ID'] === e.accessionId);
      expect(e.fs).toBe(m?.['fieldStrength'] || null);
      expect(e.fs2).toBe(m?.['fieldStrength'] || null);
      expect(e.tracer).toBe(p?.['tracer_name'] || null);
    }
    expect(data.project.experiments.nodes.some((e: any) => e.fs !== null)).toBe(true);
    expect(data.project.experiments.nodes.some((e: any) => e.tracer !== null)).toBe(true);
  });

  it('refuses paths outside XNAT path syntax ([A-Za-z0-9_:/.-], one [name=value] per segment) before asking XNAT', async () => {
    stack.emulator.requests.clear();
    for (const path of ['gender&x=1', 'a b', 'xnat:subjectData/demographics[@xsi:type=x', 'a[b]c', 'a[b=c][d=e]', '', '/ID']) {
      const response = await stack.graphql(`query($p: String!) { project(id: "test") { field(path: $p) } }`, { p: path });
      expect(response.errors?.[0]?.extensions?.code, path).toBe('BAD_USER_INPUT');
    }
    expect(stack.emulator.requests.entries().filter((e) => e.path !== '/data/projects' && e.path !== '/data/JSESSION')).toEqual([]);
  });
});

describe('any XNAT field: paths into other families', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ cache: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('reads the subject label through an experiment without making xnat:subjectData the root type', async () => {
    const { data, xnatRequests } = await stack.measure(
      `{ project(id: "test") { experiments { nodes { label subject { label } field(path: "xnat:subjectData/label") } } } }`,
    );
    for (const e of data.project.experiments.nodes) expect(e.field).toBe(e.subject.label);
    // project, experiments, subjects, the field listing.
    expect(xnatRequests).toBe(4);
    const fieldListing = stack.emulator.requests
      .entries()
      .find((e) => e.path === '/data/experiments' && new URLSearchParams(e.query).has('ID'))!;
    expect(new URLSearchParams(fieldListing.query).get('xsiType')).toBeNull();
  });
});
