import type { IncomingMessage, ServerResponse } from 'node:http';
import type { User } from '../auth.js';
import type { Query } from '../query.js';
import type { Archive } from '../store.js';
import type { Resolver } from './resolve.js';

/** Everything a route handler needs about one authenticated request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  archive: Archive;
  user: User;
  query: Query;
  resolver: Resolver;
}

export function isRead(ctx: RequestContext): boolean {
  return ctx.req.method === 'GET' || ctx.req.method === 'HEAD';
}
