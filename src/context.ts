import type { XnatAuth } from './xnat/auth.js';
import type { XnatClient } from './xnat/client.js';
import type { TableCache } from './cache/table-cache.js';
import { defaultBudget, RequestStats, RowAllowance, XnatArchive } from './xnat/archive.js';
import { ArchiveLoaders } from './loaders/index.js';
import type { BatchObserver } from './loaders/options.js';

/** Everything one GraphQL request needs: its XNAT identity, its loaders and its request counters. */
export interface GatewayContext {
  auth: XnatAuth;
  /** The gateway's public origin, for download URLs. */
  baseUrl: string;
  archive: XnatArchive;
  loaders: ArchiveLoaders;
  /** XNAT requests made for this GraphQL request, by named query. */
  stats: RequestStats;
  /** Largest query cost allowed (schema/builder.ts defines the cost). */
  maxCost: number;
  /** Starts new loaders, so objects a mutation changed are read from XNAT again, not from this request's loads. */
  forgetLoaded(this: GatewayContext): void;
}

export interface ContextDeps {
  xnat: XnatClient;
  auth: XnatAuth;
  baseUrl: string;
  /** false: one XNAT request per parent object instead of one per level (benchmark baseline). */
  batching?: boolean;
  maxCost?: number;
  /** Cross-request cache of XNAT listings (src/cache); absent: every listing goes to XNAT. */
  cache?: TableCache;
  /** Most file rows one XNAT files listing may return. */
  xnatRowBudget?: number;
  /** Most rows the request may read from XNAT (QUERY_TOO_LARGE past it); default unbounded. */
  maxAnswerRows?: number;
  /** The oldest cached listing the request accepts (from its Cache-Control header). */
  cacheMaxAgeMs?: number;
  /** The allowance to draw rows from, when shared with other operations (a multipart batch); wins over maxAnswerRows. */
  rows?: RowAllowance;
  /** Watches every loader batch (tracing's per-level spans); absent: nothing in between. */
  observeBatch?: BatchObserver;
}

export function createContext(deps: ContextDeps): GatewayContext {
  const stats = new RequestStats(deps.rows ?? new RowAllowance(deps.maxAnswerRows));
  const archive = new XnatArchive(
    deps.xnat,
    deps.auth,
    stats,
    deps.cache,
    { ...defaultBudget, ...(deps.xnatRowBudget ? { maxRows: deps.xnatRowBudget } : {}) },
    deps.cacheMaxAgeMs,
  );
  const options = { batching: deps.batching ?? true, ...(deps.observeBatch ? { observe: deps.observeBatch } : {}) };
  return {
    auth: deps.auth,
    baseUrl: deps.baseUrl.replace(/\/+$/, ''),
    archive,
    loaders: new ArchiveLoaders(archive, options),
    stats,
    maxCost: deps.maxCost ?? Number.MAX_SAFE_INTEGER,
    // `this`: yoga hands resolvers a copy of the context object createContext returns.
    forgetLoaded() {
      this.loaders = new ArchiveLoaders(archive, options);
    },
  };
}
