import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { ADMIN, basic, startStack, type Stack } from '../support/stack.js';

const logs: { level: number; msg: string }[] = [];
let stack: Stack;

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  stack = await startStack({
    gateway: { credentials: ADMIN, logger: createLogger({ level: 'info', destination: destination as never }) },
  });
});
afterAll(() => stack?.close());

describe('a client that hangs up mid-upload', () => {
  it('is logged at info, not as a gateway error', async () => {
    const { data } = await stack.graphql('{ project(id: "test") { id } }');
    const boundary = 'XBOUNDARY';
    const operations = JSON.stringify({
      query: 'mutation ($p: ID!, $f: Upload!) { uploadFile(parent: $p, resource: "partial", file: $f) { id } }',
      variables: { p: data.project.id, f: null },
    });
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const url = new URL(stack.gateway.graphqlUrl);
    logs.length = 0;
    const req = request({
      host: url.hostname,
      port: url.port,
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'graphql-preflight': '1', authorization: basic(ADMIN) },
    });
    req.on('error', () => {});
    req.write(head);
    req.write(Buffer.alloc(100_000));
    await new Promise((resolve) => setTimeout(resolve, 300));
    req.destroy();
    for (let i = 0; i < 50 && !logs.some((l) => /closed the connection/.test(l.msg)); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(logs.find((l) => /closed the connection/.test(l.msg))?.level).toBe(30);
  });
});
