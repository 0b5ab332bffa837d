import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSchema, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startStack, type Stack } from '../support/stack.js';
import { repoRoot } from '../support/e2e.js';

/**
 * README.md runs as pasted: every GraphQL document in it validates against the printed schema
 * and (when it needs no variables) answers without errors on the demo; every shell block with a
 * curl command and every Python block runs against the demo, with README's addresses
 * (gateway 127.0.0.1:4000, emulator 127.0.0.1:8080) pointed at the test's own servers.
 */

const run = promisify(execFile);
const README_GATEWAY = 'http://127.0.0.1:4000';
const README_EMULATOR = 'http://127.0.0.1:8080';

let readme: string;
let stack: Stack;
let workDir: string;

/** The GraphQL documents of README: ```graphql blocks and code spans that open with `{`, `query` or `mutation`. */
function graphqlDocuments(text: string): string[] {
  const blocks = [...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const spans = [...text.matchAll(/`((?:\{(?!")|mutation\b|query\b)[^`]*)`/g)].map((m) => m[1]!);
  return [...blocks, ...spans];
}

function codeBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

function pointed(code: string): string {
  return code.replaceAll(README_GATEWAY, stack.gateway.url).replaceAll(README_EMULATOR, stack.emulator.url);
}

function operations(doc: string): OperationDefinitionNode[] {
  return parse(doc).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

beforeAll(async () => {
  readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  // The demo: embedded dataset, admin for requests without credentials.
  stack = await startStack({ gateway: { credentials: ADMIN } });
  workDir = await mkdtemp(join(tmpdir(), 'readme-'));
});

afterAll(async () => {
  await stack?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('README', () => {
  it('has GraphQL documents that validate against schema/schema.graphql', async () => {
    const schema = buildSchema(await readFile(join(repoRoot, 'schema/schema.graphql'), 'utf8'));
    const docs = graphqlDocuments(readme);
    expect(docs.length).toBeGreaterThan(10);
    for (const doc of docs)
      expect(
        validate(schema, parse(doc)).map((e) => e.message),
        doc,
      ).toEqual([]);
  });

  it('has queries that answer on the demo without errors', async () => {
    const runnable = graphqlDocuments(readme).filter((doc) =>
      operations(doc).every((op) => op.operation === 'query' && !op.variableDefinitions?.length),
    );
    expect(runnable.length).toBeGreaterThan(10);
    for (const doc of runnable) {
      const response = await stack.graphql(doc);
      expect(response.errors, doc).toBeUndefined();
      expect(response.data, doc).toBeTruthy();
    }
  });

  it('runs every document with variables in a shell or Python example', () => {
    const examples = [...codeBlocks(readme, 'sh'), ...codeBlocks(readme, 'python')].join('\n');
    const named = graphqlDocuments(readme)
      .flatMap(operations)
      .filter((op) => op.variableDefinitions?.length);
    expect(named.length).toBeGreaterThan(0);
    for (const op of named) {
      expect(op.name?.value, 'documents with variables are named, so the examples can be found').toBeTruthy();
      expect(examples).toContain(`${op.operation} ${op.name!.value}(`);
    }
  });

  it('has curl commands that run on the demo', async () => {
    const blocks = codeBlocks(readme, 'sh').filter((code) => /\bcurl\b/.test(code));
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) {
      // Starting servers is the reader's part; this test brings its own.
      const script = pointed(block)
        .split('\n')
        .filter((line) => !/^\s*npx xnat-graphql\b/.test(line))
        .join('\n');
      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: workDir, timeout: 60_000 });
      expect(stdout, block).not.toMatch(/"errors"/);
      if (block.includes('DeleteFile')) expect(JSON.parse(stdout.trim().split('\n').pop()!).data.deleteFile).toBeTruthy();
      if (block.includes('-OJ')) expect(stdout).toMatch(/sub-01_MR1_mprage_nifti\.zip/);
      if (block.includes('uploadUrl')) expect(stdout).toMatch(/\/resources\/derived\/files\/big\.bin 50000000/);
    }
  });

  it('has Python examples that run with /usr/bin/python3 on the demo', async () => {
    const blocks = codeBlocks(readme, 'python');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const { stdout } = await run('/usr/bin/python3', ['-c', pointed(block)], { cwd: workDir, timeout: 60_000 });
      // Each upload example prints the stored file's uri and size.
      expect(stdout, block).toMatch(/\/resources\/\w+\/files\/[\w.]+ \d+/);
    }
  });
});
