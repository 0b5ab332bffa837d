import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, xnatTable, type Stack } from '../support/stack.js';

/**
 * A modality list XNAT cannot take as a comma OR (an empty piece, a piece with a comma) is not
 * pushed down; the gateway still has to see each session's modality to apply it itself. Expected
 * answers come from the emulator's own session listing.
 */

type Row = Record<string, string>;

describe('modality filters that are not pushed down', () => {
  let stack: Stack;
  let sessions: Row[];

  beforeAll(async () => {
    stack = await startStack({ cache: false });
    sessions = await xnatTable(stack, '/data/experiments?xsiType=xnat:imageSessionData&columns=ID,label,project,modality');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const labelsOf = (modalities: string[], project?: string) =>
    sessions
      .filter((s) => modalities.includes(s['modality']!) && s['modality'] !== '' && (project === undefined || s['project'] === project))
      .map((s) => s['label']!)
      .sort();
  const nodeLabels = (nodes: Array<{ label: string }>) => nodes.map((n) => n.label).sort();

  it('Query.experiments with an empty or comma piece in modalities still finds the other modalities', async () => {
    for (const modalities of [
      ['MR', ''],
      ['MR', 'PT,CT'],
      ['PT', 'MR,'],
    ]) {
      const expected = labelsOf(modalities);
      expect(expected.length, JSON.stringify(modalities)).toBeGreaterThan(0);
      const { data } = await stack.measure(`query($f: ExperimentFilter) { experiments(filter: $f) { totalCount nodes { label } } }`, {
        f: { modalities },
      });
      expect(nodeLabels(data.experiments.nodes), JSON.stringify(modalities)).toEqual(expected);
      expect(data.experiments.totalCount).toBe(expected.length);
    }
  });

  it('Project.experiments and Query.scans too', async () => {
    const { data } = await stack.measure(`{
      project(id: "ADNI_DEMO") { experiments(filter: { modalities: ["PT", ""] }) { nodes { label } } }
      scans(experiments: { modalities: ["MR", ""] }) { nodes { session { label } } }
    }`);
    expect(nodeLabels(data.project.experiments.nodes)).toEqual(labelsOf(['PT'], 'ADNI_DEMO'));
    const scanSessions = [...new Set(data.scans.nodes.map((n: { session: { label: string } }) => n.session.label))].sort();
    expect(scanSessions.length).toBeGreaterThan(0);
    const mr = new Set(labelsOf(['MR']));
    for (const label of scanSessions) expect(mr.has(label as string), String(label)).toBe(true);
  });

  it('does not push a modality list XNAT would split differently', async () => {
    await stack.measure(`{ experiments(filter: { modalities: ["MR", ""] }) { totalCount } }`);
    const entry = stack.emulator.requests.entries().find((e) => e.path === '/data/experiments')!;
    const query = new URLSearchParams(entry.query);
    expect(query.get('modality')).toBeNull();
    expect(query.get('columns')!.split(',')).toContain('modality');
  });
});
