import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The id of the HTTP request being served, carried through everything it causes (log lines,
 * error extensions) without threading it by hand. A client's or proxy's `x-request-id` is kept
 * when it is a plain token, so one id follows the request across services; otherwise one is made.
 */
const current = new AsyncLocalStorage<string>();

const acceptable = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestIdFrom(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && acceptable.test(given) ? given : randomUUID();
}

export function withRequestId<T>(id: string, run: () => T): T {
  return current.run(id, run);
}

export function currentRequestId(): string | undefined {
  return current.getStore();
}
