import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMemory, resetPeak, startEmulatorChild, startGatewayChild, type CliChild } from '../../bench/support/processes.js';
import { assertBuilt } from '../support/e2e.js';
import { ADMIN, basic } from '../support/stack.js';

/**
 * A whole archive's scan resources (bench:100: 2,400 subjects, about 19,000 scans and 43,000
 * scan resources, a 4.4 MB answer) through a gateway child, its peak RSS watched as in
 * memory-bound.test.ts. A gateway whose every scan waited on its own promise chain until its
 * resources arrive would grow by over 500 MiB here; loading them once per session's page of
 * scans keeps it near 190 MiB, most of it the executor's result tree, its waiting fields and the
 * V8 heap's slack before its next full collection (docs/benchmarks.md, Where the memory went).
 * The bound is generous for a loaded machine.
 */
const GROWTH_BOUND_MIB = 384;
const QUERY_TIMEOUT_MS = 240_000;
const RESOURCES_ONLY = `{ projects { nodes { label subjects { nodes { label experiments { nodes { label
  scans { nodes { label type resources { nodes { label format fileCount totalSize } } } } } } } } } } }`;

let emulator: CliChild;
let gateway: CliChild;

beforeAll(async () => {
  assertBuilt();
  emulator = await startEmulatorChild('bench:100');
  gateway = await startGatewayChild(emulator.url, ['--cache-ttl-ms', '0']);
}, QUERY_TIMEOUT_MS);

afterAll(async () => {
  await gateway?.stop();
  await emulator?.stop();
});

async function post(query: string): Promise<{ data?: unknown; errors?: unknown[]; bytes: number }> {
  const response = await request(gateway.url, {
    method: 'POST',
    headers: { authorization: basic(ADMIN), 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  const text = await response.body.text();
  return { ...(JSON.parse(text) as { data?: unknown; errors?: unknown[] }), bytes: text.length };
}

describe("the gateway's memory follows the answer, not the archive", () => {
  it(
    "answers every scan resource of bench:100 within a bounded growth of the gateway's RSS",
    async () => {
      // Logged in and warmed up, so the growth is the query's own.
      expect((await post('{ projects { nodes { label } } }')).errors).toBeUndefined();
      await resetPeak(gateway.pid);
      const before = await readMemory(gateway.pid);
      const answer = await post(RESOURCES_ONLY);
      const after = await readMemory(gateway.pid);
      if (!before || !after) throw new Error('the gateway process is gone');
      expect(answer.errors).toBeUndefined();
      const resources = (JSON.stringify(answer.data).match(/"fileCount":/g) ?? []).length;
      expect(resources).toBeGreaterThan(40_000);
      const growth = after.hwmMiB - before.rssMiB;
      expect(growth, `gateway RSS grew ${growth.toFixed(1)} MiB for a ${(answer.bytes / 1e6).toFixed(1)} MB answer`).toBeLessThan(
        GROWTH_BOUND_MIB,
      );
    },
    QUERY_TIMEOUT_MS,
  );
});
