import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XnatClient } from '../../src/xnat/client.js';

/** The client against a scripted HTTP server: what goes on the wire, and how answers are judged. */
describe('XnatClient', () => {
  let server: Server;
  let origin: string;
  const seen: { url: string; authorization: string | undefined }[] = [];
  let answer: (req: IncomingMessage) => { status: number; body: string; delayMs?: number } = () => ({ status: 200, body: '' });

  beforeAll(async () => {
    server = createServer((req, res) => {
      // A client may open an XNAT session first (GET /data/JSESSION) and end it on close.
      if (req.url?.split('?')[0]?.endsWith('/data/JSESSION')) {
        res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': 'JSESSIONID=S1; Path=/' }).end('S1');
        return;
      }
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      const { status, body, delayMs } = answer(req);
      setTimeout(
        () => res.writeHead(status, { 'content-type': body.startsWith('<') ? 'text/html' : 'application/json' }).end(body),
        delayMs ?? 0,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function codeOf(run: Promise<unknown>): Promise<unknown> {
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions['code'];
  }

  it('prefixes the XNAT context path, asks for JSON, sends Basic auth and reports a route template', async () => {
    const events: { method: string; route: string; status: number }[] = [];
    const client = new XnatClient({ baseUrl: `${origin}/xnat/`, timeoutMs: 2000, onResponse: (e) => events.push(e) });
    answer = () => ({
      status: 200,
      body: JSON.stringify({ ResultSet: { Result: [{ ID: 'p1', size: 3, empty: null }], totalRecords: '1' } }),
    });
    seen.length = 0;
    const rows = await client.table({ kind: 'basic', user: 'alice', password: 's3cret' }, '/data/experiments/E1,E2/scans/ALL/resources', {
      columns: 'ID,label',
    });
    expect(rows).toEqual([{ ID: 'p1', size: '3', empty: '' }]);
    expect(seen[0]!.url).toBe('/xnat/data/experiments/E1,E2/scans/ALL/resources?columns=ID,label&format=json');
    expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(events.filter((e) => e.route !== '/data/JSESSION')).toEqual([
      expect.objectContaining({ method: 'GET', route: '/data/experiments/{ids}/scans/ALL/resources', status: 200 }),
    ]);

    await client.table({ kind: 'anonymous' }, '/data/projects');
    expect(seen[1]!.authorization).toBeUndefined();
    await client.close();
  });

  it('maps statuses, HTML pages and slow answers to contract codes, never echoing credentials', async () => {
    const client = new XnatClient({ baseUrl: origin, timeoutMs: 300 });
    const auth = { kind: 'basic' as const, user: 'bob', password: 'hunter2' };
    answer = () => ({ status: 403, body: '<html><body><h3>Unable to read subjects for Project: p</h3></body></html>' });
    const forbidden = (await client.table(auth, '/data/projects/p/subjects').then(
      () => null,
      (e: unknown) => e,
    )) as GraphQLError;
    expect(forbidden.extensions['code']).toBe('FORBIDDEN');
    expect(forbidden.message).toBe('XNAT answered 403 to GET /data/projects/{id}/subjects: Unable to read subjects for Project: p');
    expect(forbidden.message).not.toContain('hunter2');

    answer = () => ({ status: 200, body: '<!DOCTYPE html><html><title>XNAT Login</title></html>' });
    expect(await codeOf(client.table(auth, '/data/projects'))).toBe('UPSTREAM_ERROR');
    answer = () => ({ status: 502, body: 'Bad gateway' });
    expect(await codeOf(client.table(auth, '/data/projects'))).toBe('UPSTREAM_ERROR');
    answer = () => ({ status: 200, body: '{"ResultSet":{"Result":[]}}', delayMs: 1000 });
    expect(await codeOf(client.table(auth, '/data/projects'))).toBe('UPSTREAM_TIMEOUT');
    await client.close();

    const unreachable = new XnatClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 500 });
    expect(await codeOf(unreachable.table(auth, '/data/projects'))).toBe('UPSTREAM_ERROR');
    await unreachable.close();
  });
});
