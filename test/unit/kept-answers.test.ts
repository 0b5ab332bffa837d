import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerKept, type KeptAnswerDeps } from '../../src/server/kept-answers.js';
import type { GatewayResponseCache } from '../../src/server/response-cache.js';

/**
 * The path in front of yoga, apart from yoga: the gateway tests see the same bytes whichever path
 * answers a hit (that is the point), so here it is checked that this one answers it, and what it
 * leaves to yoga.
 */
const KEPT = '{"data":{"projects":{"totalCount":4}}}';
const BODY = JSON.stringify({ query: '{ projects { totalCount } }' });

function request(headers: Record<string, string>, body = BODY): IncomingMessage {
  const req = new PassThrough() as unknown as IncomingMessage & PassThrough;
  Object.assign(req, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), host: 'gw.example', ...headers },
    socket: {},
  });
  req.end(body);
  return req;
}

function response() {
  const sent: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      Object.assign(sent, { status, headers });
      return res;
    },
    end(body: string) {
      sent.body = body;
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, sent };
}

function deps(kept: string | undefined, asked: unknown[] = []): KeptAnswerDeps {
  return {
    answers: {
      keptAnswer: async (req: unknown, params: unknown) => {
        asked.push({ req, params });
        return kept;
      },
    } as unknown as GatewayResponseCache,
    authOf: () => ({ kind: 'anonymous' }) as never,
    corsAllows: (origin) => origin === 'https://dash.example',
  };
}

describe('answers kept in front of yoga', () => {
  it('writes a kept answer with the content type yoga would negotiate, and Vary: Origin', async () => {
    for (const [accept, type] of [
      ['application/json', 'application/json'],
      ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json'],
      ['*/*', 'application/json'],
    ] as const) {
      const { res, sent } = response();
      const asked: unknown[] = [];
      expect(await answerKept(request({ accept }), res, deps(KEPT, asked))).toBe(true);
      expect(sent).toEqual({
        status: 200,
        headers: { 'Content-Type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(KEPT), vary: 'Origin' },
        body: KEPT,
      });
      expect(asked).toEqual([
        {
          req: { auth: { kind: 'anonymous' }, origin: 'http://gw.example', cacheControl: undefined },
          params: { query: '{ projects { totalCount } }', operationName: undefined, variables: undefined },
        },
      ]);
    }
  });

  it('leaves a miss to yoga with the body it read', async () => {
    const { res, sent } = response();
    const req = request({ accept: 'application/json' });
    expect(await answerKept(req, res, deps(undefined))).toBe(false);
    expect(sent).toEqual({});
    expect(String((req as IncomingMessage & { body?: Buffer }).body)).toBe(BODY);
  });

  it('leaves to yoga, unread, what yoga must judge: an Accept it answers otherwise, a CORS origin', async () => {
    for (const headers of [{ accept: 'text/html' }, { accept: 'application/json', origin: 'https://dash.example' }] as Record<
      string,
      string
    >[]) {
      const asked: unknown[] = [];
      const req = request(headers);
      expect(await answerKept(req, response().res, deps(KEPT, asked))).toBe(false);
      expect(asked).toEqual([]);
      expect((req as IncomingMessage & { body?: Buffer }).body).toBeUndefined();
    }
  });

  it('leaves to yoga parameters it may refuse', async () => {
    const asked: unknown[] = [];
    const req = request({ accept: 'application/json' }, JSON.stringify({ query: '{ a }', extra: 1 }));
    expect(await answerKept(req, response().res, deps(KEPT, asked))).toBe(false);
    expect(asked).toEqual([]);
  });
});
