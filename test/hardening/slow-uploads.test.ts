import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, GUEST, postGraphQL, startStack, type Stack } from '../support/stack.js';

/** A multipart upload whose file part drips one byte every `everyMs` until stopped. */
function drippingUpload(url: string, parent: string, name: string, everyMs: number) {
  const boundary = 'DRIP';
  const operations = JSON.stringify({
    query: 'mutation ($p: ID!, $f: Upload!, $n: String) { uploadFile(parent: $p, resource: "drip", file: $f, name: $n) { name size } }',
    variables: { p: parent, f: null, n: name },
  });
  const target = new URL(url);
  let status: Promise<{ status: number; body: string }>;
  const req: ClientRequest = request({
    host: target.hostname,
    port: target.port,
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'graphql-preflight': '1', authorization: basic(ADMIN) },
  });
  status = new Promise((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (chunk: string) => (text += chunk))
        .on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
  req.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const timer = setInterval(() => req.write('x'), everyMs);
  return {
    answer: () => status,
    finish() {
      clearInterval(timer);
      req.end(`\r\n--${boundary}--\r\n`);
    },
    stop() {
      clearInterval(timer);
      req.destroy();
    },
  };
}

describe('slow uploads do not starve other callers', () => {
  let stack: Stack;
  let parent: string;
  beforeAll(async () => {
    stack = await startStack({
      gateway: {
        upstreamTimeoutMs: 3_000,
        maxUpstreamConnections: 2,
        maxUploadConnections: 1,
        maxUploadsPerCaller: 2,
        bodyIdleTimeoutMs: 2_000,
      },
    });
    parent = (await stack.graphql('{ project(id: "test") { id } }')).data.project.id;
  });
  afterAll(() => stack?.close());

  it('refuses dripping uploads past the per-caller cap, while a query and /readyz answer within their bounds', async () => {
    const drips = [0, 1, 2].map((i) => drippingUpload(stack.gateway.graphqlUrl, parent, `drip${i}.bin`, 150));
    try {
      const third = await Promise.race([drips[2]!.answer(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 3_000))]);
      expect(third?.status).toBe(429);
      await new Promise((resolve) => setTimeout(resolve, 500));
      let started = Date.now();
      const query = await postGraphQL(stack.gateway.graphqlUrl, '{ projects { totalCount } }', {}, GUEST);
      expect(query.errors).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2_500);
      started = Date.now();
      const ready = await fetch(`${stack.gateway.url}/readyz`, { signal: AbortSignal.timeout(5_000) });
      expect(ready.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_500);
      // The first upload, longer than the upstream timeout but never silent, is stored whole.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      drips[0]!.finish();
      const first = await drips[0]!.answer();
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body).data.uploadFile.name).toBe('drip0.bin');
    } finally {
      for (const drip of drips) drip.stop();
    }
  });

  it('cuts off an upload that goes silent', async () => {
    const silent = drippingUpload(stack.gateway.graphqlUrl, parent, 'silent.bin', 60_000);
    const started = Date.now();
    const answer = await silent.answer();
    silent.stop();
    expect(Date.now() - started).toBeLessThan(6_000);
    expect([0, 408, 400]).toContain(answer.status);
  });
});
