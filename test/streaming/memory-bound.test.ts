import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, generatedChunks, graphqlUploadBody, MiB, readableOf } from '../../bench/support/payload.js';
import { readMemory, resetPeak, startEmulatorChild, startGatewayChild, type CliChild } from '../../bench/support/processes.js';
import { assertBuilt } from '../support/e2e.js';
import { ADMIN, basic } from '../support/stack.js';

/**
 * Every streamed path keeps the gateway's memory flat: a file several times larger than the
 * allowed growth goes through it while its RSS is watched. A gateway that held the file whole
 * grows by about the file's size and fails here: buffering a download before answering, or
 * collecting an upload before forwarding it (which may also leave its XNAT connection idle until
 * XNAT closes it, failing the upload).
 *
 * The gateway and the emulator are children of the built CLI (`xnat-graphql serve`, `xnat-graphql
 * emulator`), so the gateway's RSS is its own. Growth is the gateway's VmHWM (peak RSS, reset to the
 * current RSS just before each transfer) minus its RSS at that moment: no peak between samples is missed.
 */

const FILE_MIB = 320;
/** Generous: a streamed transfer grows the gateway by a few tens of MiB (docs/benchmarks.md, bench:transfer). */
const GROWTH_BOUND_MIB = 96;
const SIZE = FILE_MIB * MiB;
const AUTH = basic(ADMIN);
/** Per transfer, for a loaded machine (the zip's deflate runs at tens of MiB/s). */
const TRANSFER_TIMEOUT_MS = 180_000;

let emulator: CliChild;
let gateway: CliChild;
let storedMd5: string;

beforeAll(async () => {
  assertBuilt();
  emulator = await startEmulatorChild('demo');
  // The downloads' file, stored straight into XNAT before the gateway caches any listing, so they
  // do not depend on the gateway's upload path.
  const payload = generatedChunks(SIZE);
  const stored = await request(`${emulator.url}/data/projects/test/resources/served/files/down.bin?inbody=true`, {
    method: 'PUT',
    headers: { authorization: AUTH, 'content-type': 'application/octet-stream', 'content-length': String(SIZE) },
    body: readableOf(payload.chunks()),
  });
  await stored.body.dump();
  if (stored.statusCode >= 300) throw new Error(`storing down.bin: HTTP ${stored.statusCode}`);
  storedMd5 = payload.md5();
  gateway = await startGatewayChild(emulator.url);
}, TRANSFER_TIMEOUT_MS);

afterAll(async () => {
  await gateway?.stop();
  await emulator?.stop();
});

/** Runs `transfer` and returns how far the gateway's RSS rose above where it was when it began. */
async function gatewayGrowthMiB(transfer: () => Promise<void>): Promise<number> {
  await resetPeak(gateway.pid);
  const before = await readMemory(gateway.pid);
  await transfer();
  const after = await readMemory(gateway.pid);
  if (!before || !after) throw new Error('the gateway process is gone');
  return after.hwmMiB - before.rssMiB;
}

async function graphql<T>(query: string): Promise<T> {
  const response = await request(gateway.url, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.body.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** What XNAT stored for a file: its size in the resource's listing, or null. */
async function xnatSize(resource: string, name: string): Promise<number | null> {
  const response = await request(`${emulator.url}/data/projects/test/resources/${resource}/files?format=json`, {
    headers: { authorization: AUTH },
  });
  if (response.statusCode === 404) {
    await response.body.dump();
    return null;
  }
  const body = (await response.body.json()) as { ResultSet: { Result: { Name: string; Size: string }[] } };
  const row = body.ResultSet.Result.find((r) => r.Name === name);
  return row ? Number(row.Size) : null;
}

async function downloadGrowth(url: string): Promise<{ growth: number; bytes: number; md5: string; head: Buffer }> {
  let result = { bytes: 0, md5: '', head: Buffer.alloc(0) };
  const growth = await gatewayGrowthMiB(async () => {
    const response = await request(url, { headers: { authorization: AUTH } });
    expect(response.statusCode).toBe(200);
    let head = Buffer.alloc(0);
    async function* tap() {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4)]);
        yield chunk;
      }
    }
    result = { ...(await drain(tap())), head };
  });
  return { growth, ...result };
}

describe(`the gateway's memory stays flat while ${FILE_MIB} MiB stream through it`, () => {
  it(
    'uploadFile (GraphQL multipart) forwards the file to XNAT as it arrives',
    async () => {
      const { project } = await graphql<{ project: { id: string } }>('{ project(id: "test") { id } }');
      const payload = generatedChunks(SIZE);
      const boundary = `memory-bound-${randomUUID()}`;
      let answer: { data?: { uploadFile: { size: number } }; errors?: unknown[] } = {};
      const growth = await gatewayGrowthMiB(async () => {
        const response = await request(gateway.url, {
          method: 'POST',
          headers: { authorization: AUTH, 'graphql-preflight': '1', 'content-type': `multipart/form-data; boundary=${boundary}` },
          body: readableOf(
            graphqlUploadBody(
              boundary,
              {
                query: 'mutation($f: Upload!, $p: ID!) { uploadFile(parent: $p, resource: "streamed", file: $f, name: "up.bin") { size } }',
                variables: { f: null, p: project.id },
              },
              'f',
              'up.bin',
              payload.chunks(),
            ),
          ),
        });
        answer = (await response.body.json()) as typeof answer;
      });
      expect(growth, `gateway RSS grew ${growth.toFixed(1)} MiB during a ${FILE_MIB} MiB upload`).toBeLessThan(GROWTH_BOUND_MIB);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.uploadFile.size).toBe(SIZE);
      expect(await xnatSize('streamed', 'up.bin')).toBe(SIZE);
    },
    TRANSFER_TIMEOUT_MS,
  );

  describe('downloads', () => {
    let file: { downloadUrl: string };
    let resource: { downloadUrl: string };

    beforeAll(async () => {
      const { project } = await graphql<{ project: { resource: { downloadUrl: string; file: { downloadUrl: string } } } }>(
        '{ project(id: "test") { resource(label: "served") { downloadUrl file(name: "down.bin") { downloadUrl } } } }',
      );
      resource = project.resource;
      file = project.resource.file;
    });

    it(
      "a file's downloadUrl streams XNAT's bytes through",
      async () => {
        const { growth, bytes, md5: received } = await downloadGrowth(file.downloadUrl);
        expect(bytes).toBe(SIZE);
        expect(received).toBe(storedMd5);
        expect(growth, `gateway RSS grew ${growth.toFixed(1)} MiB during a ${FILE_MIB} MiB download`).toBeLessThan(GROWTH_BOUND_MIB);
      },
      TRANSFER_TIMEOUT_MS,
    );

    it(
      "a resource's downloadUrl streams XNAT's zip through",
      async () => {
        const { growth, bytes, head } = await downloadGrowth(resource.downloadUrl);
        // Incompressible bytes: the zip is at least as large as the file.
        expect(bytes).toBeGreaterThan(SIZE);
        expect(head.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
        expect(growth, `gateway RSS grew ${growth.toFixed(1)} MiB during a ${FILE_MIB} MiB zip download`).toBeLessThan(GROWTH_BOUND_MIB);
      },
      TRANSFER_TIMEOUT_MS,
    );
  });
});
