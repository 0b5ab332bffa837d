import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/** Values that match nothing, ~12 KB once comma-joined: past XNAT's 8 KB request-line bound (Tomcat's maxHttpHeaderSize). */
const noise = (kind: string) => Array.from({ length: 400 }, (_, i) => `${kind}_${i}_nothing_matches_this`);

/**
 * Filter lists of any length: the gateway splits what it pushes into XNAT's query parameters so
 * that no request outgrows XNAT's bound, and the answer is the same as with only the values that match.
 */
describe('long filter lists', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ gateway: { xnatVersion: '1.8.10' } });
  });
  afterAll(() => stack?.close());

  it('the emulator refuses a request line past 8 KB as Tomcat does (the bound the gateway keeps under)', async () => {
    const response = await fetch(`${stack.emulator.url}/data/experiments?project=${noise('P').join(',')}`, {
      headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    });
    expect(response.status).toBe(400);
  });

  const EXPERIMENTS = `query ($f: ExperimentFilter) { experiments(filter: $f) { totalCount nodes { id } } }`;
  const SCANS = `query ($s: ScanFilter, $e: ExperimentFilter) { scans(filter: $s, experiments: $e) { totalCount nodes { id } } }`;

  it('Query.experiments with thousands of projects and modalities answers as with the matching ones alone', async () => {
    const short = await stack.graphql(EXPERIMENTS, { f: { projects: ['test'], modalities: ['MR'] } });
    expect(short.errors).toBeUndefined();
    expect(short.data.experiments.totalCount).toBeGreaterThan(0);
    const long = await stack.graphql(EXPERIMENTS, { f: { projects: [...noise('P'), 'test'], modalities: [...noise('M'), 'MR'] } });
    expect(long.errors).toBeUndefined();
    expect(long.data.experiments).toEqual(short.data.experiments);
  });

  it('Query.scans with long project, modality, type and quality lists answers as with the matching ones alone', async () => {
    const all = await stack.graphql(SCANS, { e: { projects: ['test'] } });
    expect(all.errors).toBeUndefined();
    const some = await stack.graphql(`{ scans(experiments: { projects: ["test"] }, first: 1) { nodes { type quality } } }`);
    const { type, quality } = some.data.scans.nodes[0];
    const short = await stack.graphql(SCANS, { s: { types: [type], qualities: [quality] }, e: { projects: ['test'], modalities: ['MR'] } });
    expect(short.errors).toBeUndefined();
    expect(short.data.scans.totalCount).toBeGreaterThan(0);
    const long = await stack.graphql(SCANS, {
      s: { types: [...noise('T'), type], qualities: [quality, ...noise('Q')] },
      e: { projects: [...noise('P'), 'test'], modalities: [...noise('M'), 'MR'] },
    });
    expect(long.errors).toBeUndefined();
    expect(long.data.scans).toEqual(short.data.scans);
  });

  it('a project-level filtered listing with a long modality list answers as with the matching one alone', async () => {
    const query = `query ($f: ExperimentFilter) { project(id: "test") { experiments(filter: $f) { totalCount } } }`;
    const short = await stack.graphql(query, { f: { modalities: ['MR'] } });
    const long = await stack.graphql(query, { f: { modalities: [...noise('M'), 'MR'] } });
    expect(short.errors).toBeUndefined();
    expect(long.errors).toBeUndefined();
    expect(long.data).toEqual(short.data);
  });
});
