import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasPyxnat, runPyxnat } from '../support/pyxnat.js';
import { ADMIN, startStack } from '../support/stack.js';

const SCRIPT = fileURLToPath(new URL('./reconstructions.py', import.meta.url));

interface Entry {
  type: string;
  baseScanType: string;
  uri: string;
  resources: Record<string, { uri: string; files: Record<string, number> }>;
}
type Tree = Record<string, Record<string, Entry>>;

const QUERY = `{ project(id: "test") { subjects { nodes { experiments { nodes { label
  reconstructions { nodes { label uri type baseScanType resources { nodes { label uri files { nodes { path size } } } } } } } } } } } }`;

interface Named<T> {
  nodes: T[];
}
interface Answer {
  project: {
    subjects: Named<{
      experiments: Named<{
        label: string;
        reconstructions: Named<{
          label: string;
          uri: string;
          type: string | null;
          baseScanType: string | null;
          resources: Named<{ label: string; uri: string; files: Named<{ path: string; size: number }> }>;
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
      const reconstructions = (tree[session.label] = {} as Record<string, Entry>);
      for (const r of session.reconstructions.nodes) {
        const resources: Entry['resources'] = {};
        for (const res of r.resources.nodes) {
          resources[res.label] = { uri: res.uri, files: Object.fromEntries(res.files.nodes.map((f) => [f.path, f.size])) };
        }
        reconstructions[r.label] = { type: r.type ?? '', baseScanType: r.baseScanType ?? '', uri: r.uri, resources };
      }
    }
  }
  return tree;
}

describe('pyxnat lists the reconstructions GraphQL answers, on the same emulator', () => {
  it.skipIf(!hasPyxnat && !process.env.CI)(
    'for project test: IDs, fields, URIs, out resources and their files',
    async () => {
      await using stack = await startStack();
      const [stdout, answer] = await Promise.all([
        runPyxnat(SCRIPT, { server: stack.emulator.url, ...ADMIN }, () => ['test'], { timeoutMs: 240_000 }),
        stack.graphql<Answer>(QUERY),
      ]);
      expect(answer.errors).toBeUndefined();
      const expected = JSON.parse(stdout) as Tree;
      const reconstructions = Object.values(expected).flatMap((s) => Object.values(s));
      expect(reconstructions.length).toBe(11);
      expect(reconstructions.filter((r) => Object.keys(r.resources).length === 1)).toHaveLength(10);
      expect(reshape(answer.data!)).toEqual(expected);
    },
    300_000,
  );
});
