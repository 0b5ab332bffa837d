import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'schema.graphql');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${printSchema(lexicographicSortSchema(schema))}\n`);
process.stdout.write(`wrote ${target}\n`);
