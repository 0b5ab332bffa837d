import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const SUBJECTS_PATH = /^\/data\/(subjects|projects\/[^/]+\/subjects)$/;

/** Subject.demographics: typed, and asked only when the query selects it (one listing per level). */
describe('Subject.demographics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ cache: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** The columns of every subjects listing the query sent. */
  async function subjectListings(query: string) {
    stack.emulator.requests.clear();
    const answer = await stack.graphql(query);
    expect(answer.errors).toBeUndefined();
    const listings = stack.emulator.requests
      .entries()
      .filter((e) => e.method === 'GET' && SUBJECTS_PATH.test(e.path))
      .map((e) => (new URLSearchParams(e.query).get('columns') ?? '').split(','));
    return { data: answer.data, listings };
  }

  it('leaves the subject listing without demographics columns unless the query asks', async () => {
    const { listings } = await subjectListings('{ projects { nodes { subjects { nodes { label gender yob } } } } }');
    expect(listings.length).toBeGreaterThan(0);
    for (const columns of listings) {
      for (const column of ['dob', 'education', 'race', 'ethnicity', 'height', 'weight', 'ses']) expect(columns).not.toContain(column);
    }
  });

  it('reads every subject of a level in one more listing, typed', async () => {
    const base = await subjectListings('{ projects { nodes { subjects { nodes { label } } } } }');
    const { data, listings } = await subjectListings(
      '{ projects { nodes { subjects { nodes { label demographics { gender handedness yob education race ethnicity height weight dob } } } } } }',
    );
    expect(listings.length).toBe(base.listings.length + 1);
    expect(listings.filter((c) => c.includes('education'))).toHaveLength(1);
    const subjects = data.projects.nodes.flatMap((p: { subjects: { nodes: unknown[] } }) => p.subjects.nodes);
    expect(subjects.length).toBeGreaterThan(20);
    for (const { demographics } of subjects) {
      expect(['female', 'male']).toContain(demographics.gender);
      expect(Number.isInteger(demographics.yob)).toBe(true);
      expect(Number.isInteger(demographics.education)).toBe(true);
      expect(typeof demographics.height).toBe('number');
      expect(typeof demographics.weight).toBe('number');
      expect(typeof demographics.race).toBe('string');
      expect(demographics.dob).toBeNull();
    }
    // The same values the any-field lookup (pyxnat's attrs.get) reads.
    const one = await stack.graphql(
      '{ project(id: "test") { subject(label: "sub-02") { demographics { height weight education } f: fields(paths: ["height", "weight", "education"]) { value } } } }',
    );
    const subject = one.data.project.subject;
    expect(subject.f.map((v: { value: string }) => Number(v.value))).toEqual([
      subject.demographics.height,
      subject.demographics.weight,
      subject.demographics.education,
    ]);
  });
});
