import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, startStack, type Stack } from '../support/stack.js';

/**
 * A label pattern with many `*` against a label that almost matches it: a backtracking regex
 * takes time exponential in the stars here, and would hold the whole event loop meanwhile.
 */
const LONG_LABEL = 'a'.repeat(32);
const HOSTILE_PATTERN = `${'*a'.repeat(10)}*,`;

describe('label patterns are matched in linear time', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    const put = await fetch(`${stack.emulator.url}/data/projects/test/subjects/${LONG_LABEL}`, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN) },
    });
    expect(put.status).toBeLessThan(300);
    // Warm: the first request pays for the XNAT login and yoga's first parse.
    await stack.graphql('{ project(id: "test") { subjects { totalCount } } }');
  });
  afterAll(() => stack.close());

  it('a long wildcard pattern (not pushed to XNAT) answers quickly while /healthz stays fast', async () => {
    const started = Date.now();
    const query = stack.graphql('query ($l: String) { project(id: "test") { subjects(filter: { label: $l }) { totalCount } } }', {
      l: HOSTILE_PATTERN,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const health = await fetch(`${stack.gateway.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    const healthMs = Date.now() - started;
    const answer = await query;
    expect(health.status).toBe(200);
    expect(healthMs).toBeLessThan(1_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.project.subjects.totalCount).toBe(0);
  });

  it('the same pattern without the comma still finds the label, case-insensitively', async () => {
    const { data } = await stack.graphql(
      'query ($l: String) { project(id: "test") { subjects(filter: { label: $l }) { nodes { label } } } }',
      { l: `${'*A'.repeat(10)}*` },
    );
    expect(data.project.subjects.nodes.map((n: { label: string }) => n.label)).toEqual([LONG_LABEL]);
  });

  it('a pattern over the length cap is refused with BAD_USER_INPUT', async () => {
    const response = await stack.graphql('query ($l: String) { project(id: "test") { subjects(filter: { label: $l }) { totalCount } } }', {
      l: '*'.repeat(201),
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
