import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { ADMIN, basic, GUEST, type Credentials, multipartRequest, startStack, type Stack } from '../support/stack.js';
import { codes, xnatFiles } from '../support/e2e.js';

const logs: { level: number; msg: string; bytes?: number }[] = [];
let stack: Stack;
let project: string;
const MiB = 1024 * 1024;

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as (typeof logs)[number]);
      done();
    },
  });
  stack = await startStack({
    gateway: {
      xnatVersion: '1.8.10',
      maxSpoolBytesPerRequest: 2 * MiB,
      maxSpoolBytesPerCaller: 3 * MiB,
      logger: createLogger({ level: 'info', destination: destination as never }),
    },
  });
  project = (await stack.graphql('{ project(id: "test") { id } }')).data.project.id;
});
afterAll(() => stack?.close());

const spoolDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('xnat-graphql-upload-'));
const spooled = () => logs.filter((l) => /spool/.test(l.msg));

/** Two uploads whose parts come in the opposite order to the mutations reading them: the first part waits on disk. */
function outOfOrder(resource: string, early: Buffer, auth: Credentials) {
  return multipartRequest(
    stack.gateway.graphqlUrl,
    {
      query: `mutation ($p: ID!, $a: Upload!, $b: Upload!) {
        a: uploadFile(parent: $p, resource: "${resource}", file: $a) { size }
        b: uploadFile(parent: $p, resource: "${resource}", file: $b) { size }
      }`,
      variables: { p: project, a: null, b: null },
    },
    { '0': ['variables.a'], '1': ['variables.b'] },
    [
      { field: '1', bytes: early, filename: 'early.bin' },
      { field: '0', bytes: 'read first', filename: 'late.txt' },
    ],
    { auth },
  );
}

describe('out-of-order upload parts held on disk', () => {
  it('are held up to the per-request bound, and the request succeeds', async () => {
    logs.length = 0;
    const response = await outOfOrder('spool_ok', randomBytes(MiB), ADMIN);
    expect(response.errors, response.raw).toBeUndefined();
    expect(response.data.b.size).toBe(MiB);
    expect(spooled().map((l) => l.bytes)).toEqual([MiB]);
  });

  it('past the bound, the part is refused (and dropped from disk) while the rest of the request is answered', async () => {
    const before = new Set(spoolDirs());
    logs.length = 0;
    const response = await outOfOrder('spool_over', randomBytes(5 * MiB), ADMIN);
    // uploadFile is non-null, so b's failure takes the whole answer; a had stored its file by then.
    expect(codes(response), response.raw).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.path).toEqual(['b']);
    expect(response.errors?.[0]?.message).toMatch(/in the order the operations use them/);
    expect(spooled()).toHaveLength(1);
    expect(spooled()[0]!.bytes).toBeLessThanOrEqual(2 * MiB);
    expect((await xnatFiles(stack.emulator, '/data/projects/test/resources/spool_over'))?.map((f) => f.Name)).toEqual(['late.txt']);
    await expect.poll(() => spoolDirs().filter((name) => !before.has(name)), { timeout: 5_000 }).toEqual([]);
  });

  it('are never held for a caller XNAT would not let write: refused before any part is read', async () => {
    logs.length = 0;
    const response = await outOfOrder('spool_guest', randomBytes(MiB), GUEST);
    // The first mutation fails, and (uploadFile being non-null) the second never runs.
    expect(codes(response), response.raw).toEqual(['FORBIDDEN']);
    expect(response.errors?.[0]?.message).toMatch(/may not write/);
    expect(spooled()).toEqual([]);
    expect(await xnatFiles(stack.emulator, '/data/projects/test/resources/spool_guest')).toBeNull();
  });

  it('count against one bound per caller over its requests in flight, given back when a request ends', async () => {
    const before = new Set(spoolDirs());
    // A request that sends its early part and then holds on, never sending the part read first.
    const boundary = 'SPOOLBOUNDARY';
    const operations = JSON.stringify({
      query:
        'mutation ($p: ID!, $a: Upload!, $b: Upload!) { a: uploadFile(parent: $p, resource: "spool_held", file: $a) { size } b: uploadFile(parent: $p, resource: "spool_held", file: $b) { size } }',
      variables: { p: project, a: null, b: null },
    });
    const url = new URL(stack.gateway.graphqlUrl);
    const held = request({
      host: url.hostname,
      port: url.port,
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'graphql-preflight': '1', authorization: basic(ADMIN) },
    });
    held.on('error', () => {});
    logs.length = 0;
    held.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.a"],"1":["variables.b"]}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="1"; filename="early.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    held.write(randomBytes(2 * MiB - 1024));
    // The early part ends; the part read first never starts.
    held.write(`\r\n--${boundary}\r\n`);
    await expect.poll(() => spooled().length, { timeout: 10_000 }).toBe(1);
    // Held parts are readable by the gateway's user alone.
    const fresh = spoolDirs().filter((name) => !before.has(name));
    expect(fresh.length).toBeGreaterThan(0);
    for (const dir of fresh) {
      expect(statSync(join(tmpdir(), dir)).mode & 0o077).toBe(0);
      for (const file of readdirSync(join(tmpdir(), dir))) expect(statSync(join(tmpdir(), dir, file)).mode & 0o077).toBe(0);
    }

    // 2 MiB held by the first request: another 1.5 MiB of the same caller passes 3 MiB.
    const refused = await outOfOrder('spool_second', randomBytes(1.5 * MiB), ADMIN);
    expect(codes(refused), refused.raw).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.message).toMatch(/per caller/);

    held.destroy();
    // Once the first request is gone, its bytes are the caller's again.
    let again: (string | undefined)[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      again = codes(await outOfOrder(`spool_again_${attempt}`, randomBytes(1.5 * MiB), ADMIN)) ?? [];
      if (again.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(again).toEqual([]);
  });
});
