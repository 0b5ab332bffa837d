import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPyxnat, runPyxnat } from '../support/pyxnat.js';
import { ADMIN, startStack, type Stack } from '../support/stack.js';

const SCRIPT = fileURLToPath(new URL('./assessors.py', import.meta.url));

interface Entry {
  id: string;
  type: string;
  pass?: string;
  fs_version?: string;
  resources: Record<string, string[]>;
}
type Tree = Record<string, Record<string, Entry>>;

const QUERY = `{ project(id: "test") { subjects { nodes { experiments { nodes { label
  assessors { nodes { label accessionId xsiType pass: field(path: "xnat:qcManualAssessorData/pass") fsVersion: field(path: "fs:fsData/fs_version")
    resources { nodes { label files { nodes { path } } } } } } } } } } } }`;

interface Named<T> {
  nodes: T[];
}
interface Answer {
  project: {
    subjects: Named<{
      experiments: Named<{
        label: string;
        assessors: Named<{
          label: string;
          accessionId: string;
          xsiType: string;
          pass: string | null;
          fsVersion: string | null;
          resources: Named<{ label: string; files: Named<{ path: string }> }>;
        }>;
      }>;
    }>;
  };
}

/** The GraphQL answer shaped like the pyxnat walk. */
function reshape(data: Answer): Tree {
  const tree: Tree = {};
  for (const subject of data.project.subjects.nodes) {
    for (const session of subject.experiments.nodes) {
      const assessors = (tree[session.label] = {} as Record<string, Entry>);
      for (const a of session.assessors.nodes) {
        const resources: Record<string, string[]> = {};
        for (const r of a.resources.nodes) resources[r.label] = r.files.nodes.map((f) => f.path).sort();
        assessors[a.label] = {
          id: a.accessionId,
          type: a.xsiType,
          ...(a.xsiType === 'xnat:qcManualAssessorData' ? { pass: a.pass ?? '' } : {}),
          ...(a.xsiType === 'fs:fsData' ? { fs_version: a.fsVersion ?? '' } : {}),
          resources,
        };
      }
    }
  }
  return tree;
}

describe('pyxnat lists the image assessors GraphQL answers, on the same emulator', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it.skipIf(!hasPyxnat && !process.env.CI)(
    'for project test',
    async () => {
      const [stdout, answer] = await Promise.all([
        runPyxnat(SCRIPT, { server: stack.emulator.url, ...ADMIN }, () => ['test'], { timeoutMs: 240_000 }),
        stack.graphql<Answer>(QUERY),
      ]);
      expect(answer.errors).toBeUndefined();
      const expected = JSON.parse(stdout) as Tree;
      const assessors = Object.values(expected).flatMap((s) => Object.values(s));
      expect(assessors.length).toBeGreaterThan(15);
      expect(assessors.filter((a) => a.type === 'fs:fsData').every((a) => a.resources['SNAPSHOTS']?.length === 2)).toBe(true);
      expect(reshape(answer.data!)).toEqual(expected);
    },
    300_000,
  );
});
