import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('committed generated files', () => {
  it('schema/schema.graphql is the printed schema (run `npm run schema`)', async () => {
    const committed = await readFile(`${root}schema/schema.graphql`, 'utf8');
    expect(committed).toBe(`${printSchema(lexicographicSortSchema(schema))}\n`);
  });

  it('test/generated and examples/generated match the operations and the schema (run `npm run codegen`)', async () => {
    const codegen = `${root}node_modules/.bin/graphql-codegen`;
    const run = promisify(execFile)(codegen, ['--config', 'codegen.yml', '--check'], { cwd: root });
    await expect(run).resolves.toBeDefined();
  });
});
