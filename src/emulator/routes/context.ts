import type { IncomingMessage, ServerResponse } from 'node:http';
import type { User } from '../auth.js';
import type { Query } from '../query.js';
import type { CostMeter } from '../cost-model.js';
import type { Archive } from '../store.js';
import type { Owner } from '../owners.js';
import type { Resolver } from './resolve.js';

/** Everything a route handler needs about one authenticated request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  archive: Archive;
  user: User;
  query: Query;
  resolver: Resolver;
  /** What the request costs under the configured XNAT cost model (cost-model.ts). */
  cost: CostMeter;
}

/** Sessions and scans a `/experiments/{ids}[/scans/{ids}]/…` request makes XNAT load (XNATTemplate). */
export function ownerWork(owners: readonly Owner[]): { sessions: number; scans: number } {
  const sessions = new Set(owners.map((o) => o.experiment?.id).filter((id) => id !== undefined));
  return { sessions: sessions.size, scans: owners.filter((o) => o.kind === 'scan').length };
}

export function isRead(ctx: RequestContext): boolean {
  return ctx.req.method === 'GET' || ctx.req.method === 'HEAD';
}
