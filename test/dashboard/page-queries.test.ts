import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The dashboard's GraphQL documents (examples/dashboard/queries.js, as the page sends them) cost
 * XNAT the same number of requests on a site twice as large: requests follow the query's depth,
 * never the number of subjects, sessions or scans. Cold: the listing cache is off.
 */

interface Queries {
  DASHBOARD: string;
  SUBJECTS: string;
  SESSIONS: string;
  SCANS: string;
  THUMBNAILS: number;
}

const queries = (await import(new URL('../../examples/dashboard/queries.js', import.meta.url).href)) as Queries;

/** Every request the page's queries make on one site: a load (unfiltered and filtered) and one drill-down. */
async function costs(stack: Stack): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const load = await stack.measure(queries.DASHBOARD, { filter: {}, thumbnails: queries.THUMBNAILS });
  out['load'] = load.xnatRequests;
  out['load MR'] = (
    await stack.measure(queries.DASHBOARD, { filter: { modalities: ['MR'], dateFrom: '2000-01-01' }, thumbnails: queries.THUMBNAILS })
  ).xnatRequests;
  const project = load.data.projects.nodes[0].label as string;
  const subjects = await stack.measure(queries.SUBJECTS, { id: project, filter: {} });
  out['project'] = subjects.xnatRequests;
  const withSessions = subjects.data.project.subjects.nodes.find((s: any) => s.experiments.totalCount > 0);
  const sessions = await stack.measure(queries.SESSIONS, { id: withSessions.id, filter: {} });
  out['subject'] = sessions.xnatRequests;
  out['session'] = (await stack.measure(queries.SCANS, { id: sessions.data.node.experiments.nodes[0].id })).xnatRequests;
  expect(load.data.qc.nodes.length).toBe(queries.THUMBNAILS);
  return out;
}

describe('the dashboard’s queries', () => {
  let small: Stack;
  let large: Stack;
  beforeAll(async () => {
    small = await startStack({ dataset: 'site:1', cache: false });
    large = await startStack({ dataset: 'site:2', cache: false });
  }, 120_000);
  afterAll(async () => {
    await small?.close();
    await large?.close();
  });

  it('ask XNAT as many times on a site twice the size', async () => {
    const few = await costs(small);
    const many = await costs(large);
    const sessions = async (stack: Stack) => (await stack.graphql('{ stats { sessionCount } }')).data.stats.sessionCount as number;
    expect(await sessions(large)).toBeGreaterThan(1.5 * (await sessions(small)));
    expect(many).toEqual(few);
    expect(few['load']).toBeLessThanOrEqual(12);
  }, 120_000);

  it('list the scans of one filter once, however many times a query asks for them', async () => {
    const one = await small.measure('{ scans(experiments: { modalities: ["CT"] }) { totalCount } }');
    const twice = await small.measure(
      '{ a: scans(experiments: { modalities: ["CT"] }) { totalCount } b: scans(experiments: { modalities: ["CT"] }, first: 3) { nodes { label } } }',
    );
    expect(twice.xnatRequests).toBe(one.xnatRequests);
    expect(twice.data.a.totalCount).toBe(one.data.scans.totalCount);
    expect(twice.data.b.nodes).toHaveLength(3);
  });
});
