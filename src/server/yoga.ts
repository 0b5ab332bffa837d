import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { requestError } from '../errors.js';
import { schema } from '../schema/index.js';
import { createContext, type GatewayContext } from '../context.js';
import type { XnatClient } from '../xnat/client.js';
import type { TableCache } from '../cache/table-cache.js';
import { resolveAuth } from './credentials.js';
import type { BrowserSessions } from './browser-sessions.js';
import { acceptedAgeMs } from '../cache/freshness.js';
import { defaultQuery, renderGraphiQL } from './graphiql.js';
import type { Logger } from '../logger.js';
import { checkBatchLimits, queryLimitPlugins, type QueryLimits } from './limits.js';
import { RowAllowance } from '../xnat/archive.js';
import { useContractErrorCodes } from './error-codes.js';
import { corsFor, useVaryOnOrigin } from './cors.js';
import { useCheckedGetParams } from './get-params.js';
import { hideSchemaPlugins } from './schema-exposure.js';
import { useTrustedDocuments } from './trusted-documents.js';
import type { TrustedDocuments } from '../config/trusted-documents-file.js';
import type { GatewayResponseCache } from './response-cache.js';
import type { BatchObserver } from '../loaders/options.js';

export interface ServerContext {
  /** GraphQL parameters already parsed by the streaming multipart front (see uploads.ts). */
  uploadParams?: unknown;
}

export interface YogaOptions {
  xnat: XnatClient;
  credentials: { user: string; password: string } | undefined;
  /** Browsers signed in at /login. */
  browsers?: BrowserSessions;
  logger: Logger;
  limits: QueryLimits;
  /** Origins allowed to call from a browser; none (same origin only) by default. */
  corsOrigins: string[];
  /** false: one XNAT request per parent object (the benchmark's baseline). */
  batching: boolean;
  /** The origin clients reach the gateway at (behind a TLS proxy); default: the request's own. */
  publicUrl?: string;
  /** Cross-request cache of XNAT listings; absent: every listing goes to XNAT. */
  cache?: TableCache;
  /** Whole answers kept beside the listings (response-cache.ts); absent: none. */
  answers?: GatewayResponseCache;
  /** Serve GraphiQL to browsers on GET /graphql (off: --no-graphiql). */
  graphiql: boolean;
  /** Answer introspection queries (off: --no-introspection). */
  introspection: boolean;
  /** Run only these documents, by id (--trusted-documents); absent: any document. */
  trustedDocuments?: TrustedDocuments;
  /** Watches every loader batch (tracing's per-level spans, src/server/tracing.ts); absent: nothing in between. */
  observeBatch?: BatchObserver;
  /** More yoga plugins (operation logs and metrics, ETags: src/server/operations.ts, etag.ts). */
  plugins?: Plugin<ServerContext>[];
}

/**
 * Lets the multipart front hand yoga parameters whose files are still streaming in. Batches
 * (operations as a JSON array) come only that way, as the multipart request spec allows: a JSON
 * batch would get the query limits once per operation.
 */
function useStreamedUploads(limits: QueryLimits): Plugin<ServerContext> {
  return {
    onRequestParse({ serverContext, setRequestParser }) {
      const params = (serverContext as ServerContext | undefined)?.uploadParams;
      if (params) {
        setRequestParser(() => {
          if (Array.isArray(params) && params.length > 1) checkBatchLimits(params, limits);
          return params as never;
        });
        return undefined;
      }
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult)) {
            throw requestError('BAD_USER_INPUT', 'Batched operations are accepted only in multipart upload requests.');
          }
        },
      };
    },
  };
}

/** One answer-row allowance per multipart request (its parsed parameters), shared by a batch's operations. */
const batchAllowances = new WeakMap<object, RowAllowance>();

function rowAllowanceOf(uploadParams: unknown, maxRows: number): RowAllowance {
  if (!Array.isArray(uploadParams)) return new RowAllowance(maxRows);
  let allowance = batchAllowances.get(uploadParams);
  if (!allowance) batchAllowances.set(uploadParams, (allowance = new RowAllowance(maxRows)));
  return allowance;
}

export function createGatewayYoga(options: YogaOptions): YogaServerInstance<ServerContext, GatewayContext> {
  return createYoga<ServerContext, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // yoga's own multipart parser holds whole files in memory; uploads.ts streams them instead.
    multipart: false,
    // The multipart request spec's batched form (operations as a JSON array) needs batching on.
    batching: { limit: 10 },
    graphiql: options.graphiql ? { defaultQuery, title: 'xnat-graphql' } : false,
    renderGraphiQL,
    logging: {
      debug: (...args) => options.logger.debug(args.map(String).join(' ')),
      info: (...args) => options.logger.info(args.map(String).join(' ')),
      warn: (...args) => options.logger.warn(args.map(String).join(' ')),
      error: (...args) => options.logger.error(args.map(String).join(' ')),
    },
    cors: corsFor(options.corsOrigins),
    plugins: [
      // @defer and @stream: the first rows of a long list go out before the rest is resolved.
      useDeferStream(),
      useVaryOnOrigin(),
      useCheckedGetParams(),
      useContractErrorCodes(),
      useStreamedUploads(options.limits),
      ...(options.trustedDocuments ? [useTrustedDocuments(options.trustedDocuments)] : []),
      ...queryLimitPlugins(options.limits),
      ...(options.introspection ? [] : hideSchemaPlugins()),
      // After the trusted documents, which turn a document id into the document the key holds.
      ...(options.answers ? [options.answers.plugin] : []),
      ...(options.plugins ?? []),
    ],
    context: ({ request, uploadParams }) => {
      const auth = resolveAuth(request.headers, options.credentials, options.browsers);
      if (!auth) {
        throw requestError('UNAUTHENTICATED', 'The Authorization header is not valid HTTP Basic credentials.');
      }
      const cacheMaxAgeMs = acceptedAgeMs(request.headers.get('cache-control'));
      // The operations of a multipart batch share the request's limits: each gets its part of the
      // cost, and all of them draw answer rows from one allowance.
      const operations = Array.isArray(uploadParams) ? uploadParams.length : 1;
      return createContext({
        xnat: options.xnat,
        auth,
        baseUrl: options.publicUrl ?? new URL(request.url).origin,
        batching: options.batching,
        maxCost: Math.floor(options.limits.maxCost / operations),
        rows: rowAllowanceOf(uploadParams, options.limits.maxAnswerRows),
        xnatRowBudget: options.limits.xnatRowBudget,
        ...(options.cache ? { cache: options.cache } : {}),
        ...(cacheMaxAgeMs !== undefined ? { cacheMaxAgeMs } : {}),
        ...(options.observeBatch ? { observeBatch: options.observeBatch } : {}),
      });
    },
  });
}
