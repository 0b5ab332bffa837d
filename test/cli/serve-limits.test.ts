import { randomBytes } from 'node:crypto';
import { type ClientRequest, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { assertBuilt, type CliProcess, codes, runCli } from '../support/e2e.js';
import { ADMIN, basic, type Credentials, multipartRequest, postGraphQL } from '../support/stack.js';

/**
 * The limits that protect `serve` from slow, many or greedy clients, each set by its flag on the
 * command line (`node bin/xnat-graphql.js serve --…`) and seen to take effect over real sockets.
 */

const graphqlLine = /(http:\/\/127\.0\.0\.1:(\d+)\/graphql)\b/;
const running = new Set<CliProcess>();

afterAll(async () => {
  await Promise.all([...running].map((p) => p.stop()));
});

async function serve(xnatUrl: string, flags: string[]): Promise<{ graphqlUrl: string; origin: URL }> {
  const process = runCli(['serve', '--port', '0', '--xnat', xnatUrl, ...flags]);
  running.add(process);
  const graphqlUrl = (await process.waitForLine(graphqlLine))[1]!;
  return { graphqlUrl, origin: new URL(graphqlUrl) };
}

interface Answer {
  status: number;
  body: string;
}

/** A request whose body is written by the test, part by part; `answer` settles on the response or a closed connection (status 0). */
function openRequest(origin: URL, method: string, path: string, headers: Record<string, string>) {
  const req: ClientRequest = request({ host: origin.hostname, port: origin.port, method, path, headers });
  const answer = new Promise<Answer>((resolve) => {
    req.on('response', (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (chunk: string) => (body += chunk))
        .on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        .on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
  req.flushHeaders();
  return { req, answer };
}

/** Resolves with `promise`'s value, or `late` when it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'late'> {
  return Promise.race([promise, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms))]);
}

async function uploadUrl(graphqlUrl: string, name: string, auth: Credentials = ADMIN): Promise<string> {
  const answer = await postGraphQL<{ project: { uploadUrl: string } }>(
    graphqlUrl,
    `{ project(id: "test") { uploadUrl(resource: "limits", name: "${name}", overwrite: true) } }`,
    {},
    auth,
  );
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data!.project.uploadUrl;
}

/** A raw `PUT` to an uploadUrl announcing `length` bytes, of which the test writes what it likes. */
function rawUpload(url: string, length: number, auth: Credentials = ADMIN) {
  const target = new URL(url);
  return openRequest(target, 'PUT', `${target.pathname}${target.search}`, {
    authorization: basic(auth),
    'graphql-preflight': '1',
    'content-length': String(length),
  });
}

describe('serve limit flags', { timeout: 60_000 }, () => {
  let emulator: Emulator;
  beforeAll(async () => {
    assertBuilt();
    emulator = await startEmulator({ port: 0, dataset: 'demo' });
  });
  afterAll(() => emulator?.close());

  it('--max-uploads-per-caller refuses a caller past it with 429; --body-idle-timeout-ms cuts off a silent upload', async () => {
    const { graphqlUrl } = await serve(emulator.url, ['--max-uploads-per-caller', '1', '--body-idle-timeout-ms', '1500']);
    const first = rawUpload(await uploadUrl(graphqlUrl, 'first.bin'), 1000);
    first.req.write('x'.repeat(10));
    // The first upload holds the caller's one place once the gateway has its headers.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = rawUpload(await uploadUrl(graphqlUrl, 'second.bin'), 10);
    second.req.end('y'.repeat(10));
    const refused = await second.answer;
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).errors[0].message).toMatch(/already has 1 uploads in flight/);

    const started = Date.now();
    const cut = await within(first.answer, 10_000);
    first.req.destroy();
    expect(cut).not.toBe('late');
    expect(Date.now() - started).toBeLessThan(6_000);
    expect((cut as Answer).status).toBe(408);
    expect((cut as Answer).body).toMatch(/sent nothing for 1500 ms/);
  });

  it('--request-timeout-ms bounds the arrival of a request body; --headers-timeout-ms that of its headers', async () => {
    const { origin } = await serve(emulator.url, ['--request-timeout-ms', '1000', '--headers-timeout-ms', '1000']);
    const slowBody = openRequest(origin, 'POST', '/graphql', { 'content-type': 'application/json', 'content-length': '100' });
    slowBody.req.write('{"query":');
    const cut = await within(slowBody.answer, 6_000);
    slowBody.req.destroy();
    expect(cut).not.toBe('late');
    expect((cut as Answer).status).toBe(408);
    expect((cut as Answer).body).toMatch(/did not arrive within 1000 ms/);

    // Headers that never end: Node answers 408 and closes the connection.
    const socket = connect(Number(origin.port), origin.hostname);
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.write(`GET /healthz HTTP/1.1\r\nHost: ${origin.host}\r\n`);
    const started = Date.now();
    expect(await within(closed, 10_000)).not.toBe('late');
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('--max-connections closes connections past it at once, and serves again once some close', async () => {
    const { origin } = await serve(emulator.url, ['--max-connections', '2']);
    const open = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = connect(Number(origin.port), origin.hostname, () => resolve(socket));
        socket.once('error', reject);
      });
    const held = [await open(), await open()];
    const extra = await open();
    extra.on('error', () => {});
    extra.write(`GET /healthz HTTP/1.1\r\nHost: ${origin.host}\r\n\r\n`);
    let answered = '';
    extra.setEncoding('utf8').on('data', (chunk: string) => (answered += chunk));
    const closed = new Promise<void>((resolve) => extra.once('close', () => resolve()));
    expect(await within(closed, 5_000)).not.toBe('late');
    expect(answered).toBe('');

    for (const socket of held) socket.destroy();
    await expect
      .poll(
        async () =>
          (await fetch(`${origin.origin}/healthz`)
            .then((r) => r.status)
            .catch(() => 0)) === 200,
        { timeout: 5_000 },
      )
      .toBe(true);
  });

  it('--max-upload-connections keeps uploads to that many XNAT connections: a second upload waits for the first', async () => {
    const { graphqlUrl } = await serve(emulator.url, ['--max-upload-connections', '1']);
    const slowUrl = await uploadUrl(graphqlUrl, 'slow.bin');
    const quickUrl = await uploadUrl(graphqlUrl, 'quick.bin');
    const slow = rawUpload(slowUrl, 20);
    slow.req.write('s'.repeat(10));
    // The slow upload's body is on its way to XNAT over the one upload connection.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const quick = rawUpload(quickUrl, 5);
    quick.req.end('quick');
    expect(await within(quick.answer, 1_500)).toBe('late');

    slow.req.end('s'.repeat(10));
    const stored = await slow.answer;
    expect(stored.status, stored.body).toBe(200);
    const after = await within(quick.answer, 10_000);
    expect(after).not.toBe('late');
    expect((after as Answer).status, (after as Answer).body).toBe(200);
    expect(JSON.parse((after as Answer).body).data.uploadFile.size).toBe(5);
  });

  it('--max-spool-bytes-per-request bounds the upload parts held on disk for one request', async () => {
    const { graphqlUrl } = await serve(emulator.url, ['--max-spool-bytes-per-request', '1000']);
    const project = (await postGraphQL<{ project: { id: string } }>(graphqlUrl, '{ project(id: "test") { id } }')).data!.project.id;
    // Two uploads whose parts come in the opposite order to the mutations reading them: the first part must wait on disk.
    const outOfOrder = (early: Buffer) =>
      multipartRequest(
        graphqlUrl,
        {
          query: `mutation ($p: ID!, $a: Upload!, $b: Upload!) {
            a: uploadFile(parent: $p, resource: "limits_spool", file: $a, overwrite: true) { size }
            b: uploadFile(parent: $p, resource: "limits_spool", file: $b, overwrite: true) { size }
          }`,
          variables: { p: project, a: null, b: null },
        },
        { '0': ['variables.a'], '1': ['variables.b'] },
        [
          { field: '1', bytes: early, filename: 'early.bin' },
          { field: '0', bytes: 'read first', filename: 'late.txt' },
        ],
      );
    const small = await outOfOrder(randomBytes(500));
    expect(small.errors, small.raw).toBeUndefined();
    expect(small.data.b.size).toBe(500);
    const large = await outOfOrder(randomBytes(100_000));
    expect(codes(large), large.raw).toEqual(['BAD_USER_INPUT']);
    expect(large.errors?.[0]?.path).toEqual(['b']);
    expect(large.errors?.[0]?.message).toMatch(/in the order the operations use them/);
  });
});
