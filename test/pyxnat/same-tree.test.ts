import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUEST, startStack, type Credentials, type Stack } from '../support/stack.js';
import { hasPyxnat, runPyxnat } from '../support/pyxnat.js';

const SCRIPT = fileURLToPath(new URL('./tree.py', import.meta.url));

type Tree = Record<string, Record<string, Record<string, Record<string, { type: string; resources: Record<string, string[]> }>>>>;

const TREE = `{ projects { nodes { label subjects { nodes { label experiments { nodes { label
  scans { nodes { label type resources { nodes { label files { nodes { path } } } } } } } } } } } } }`;

interface Named<T> {
  nodes: T[];
}
interface GraphTree {
  projects: Named<{
    label: string;
    subjects: Named<{
      label: string;
      experiments: Named<{
        label: string;
        scans: Named<{ label: string; type: string; resources: Named<{ label: string; files: Named<{ path: string }> }> }>;
      }>;
    }>;
  }>;
}

/** The GraphQL answer reshaped like pyxnat's walk (empty levels kept, as pyxnat keeps them). */
function reshape(data: GraphTree): Tree {
  const tree: Tree = {};
  for (const project of data.projects.nodes) {
    const subjects = (tree[project.label] = {} as Tree[string]);
    for (const subject of project.subjects.nodes) {
      const sessions = (subjects[subject.label] = {} as Tree[string][string]);
      for (const session of subject.experiments.nodes) {
        const scans = (sessions[session.label] = {} as Tree[string][string][string]);
        for (const scan of session.scans.nodes) {
          const resources: Record<string, string[]> = {};
          for (const resource of scan.resources.nodes) resources[resource.label] = resource.files.nodes.map((f) => f.path).sort();
          scans[scan.label] = { type: scan.type, resources };
        }
      }
    }
  }
  return tree;
}

describe('GraphQL answers the tree pyxnat sees, on the same emulator', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function pyxnatTree(user: Credentials): Promise<Tree> {
    const login = { server: stack.emulator.url, user: user.user, password: user.password };
    const stdout = await runPyxnat(SCRIPT, login, () => [], { timeoutMs: 240_000, maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as Tree;
  }

  it.skipIf(!hasPyxnat && !process.env.CI).each([ADMIN, GUEST])(
    'for $user',
    async (user) => {
      const [expected, answer] = await Promise.all([pyxnatTree(user), stack.graphql<GraphTree>(TREE, {}, user)]);
      expect(answer.errors).toBeUndefined();
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(reshape(answer.data!)).toEqual(expected);
    },
    300_000,
  );
});
