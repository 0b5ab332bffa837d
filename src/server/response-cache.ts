import { createHash } from 'node:crypto';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { acceptedAgeMs } from '../cache/freshness.js';
import type { CacheEpoch, TableCache } from '../cache/table-cache.js';
import type { GatewayContext } from '../context.js';
import type { XnatAuth } from '../xnat/auth.js';

export interface ResponseCacheOptions {
  /** The listing cache: its TTL, write generation and credential HMACs. */
  tables: TableCache;
  /** The request's XNAT identity (credentials.ts); null for a malformed Authorization header. */
  authOf(request: Request): XnatAuth | null;
  /** Whether XNAT accepted the credential within the session max age (XnatClient.proven). */
  proven(auth: XnatAuth): boolean;
  /** Most bytes of answers (as JSON) kept; least recently used dropped first. */
  maxBytes?: number;
  /** Told of every lookup (metrics). */
  onLookup?: (hit: boolean) => void;
}

/** The parameters of one GraphQL request that its answer is filed under. */
export interface AnswerParams {
  query: string;
  operationName?: string | null | undefined;
  variables?: unknown;
}

interface Filed {
  /** The answer as yoga writes it (JSON, without yoga's internal `extensions.http`). */
  text: string;
  /** When XNAT gave the oldest listing the answer was built from (epoch ms). */
  readAt: number;
}
function dropValidators(result: ExecutionResult): void {
  const http = (result.extensions as { http?: { headers?: Record<string, string> } } | undefined)?.http;
  if (!http?.headers) return;
  delete http.headers['ETag'];
  delete http.headers['Last-Modified'];
  if (Object.keys(http.headers).length === 0) delete http.headers;
  if (Object.keys(http).length === 0) delete (result.extensions as { http?: unknown }).http;
  if (Object.keys(result.extensions ?? {}).length === 0) delete (result as { extensions?: unknown }).extensions;
}

/**
 * `@defer` or `@stream` in a document, as GraphQL reads a directive: `@`, then its name after any
 * ignored tokens (white space, commas, comments), so `@ defer` and `@#…\n stream` count too. A
 * directive's name in a string or comment counts as well, which only leaves that answer unkept.
 */
const incremental = /@(?:[\s,\uFEFF]|#[^\n\r]*)*(?:defer|stream)\b/;

export interface GatewayResponseCache {
  /** The yoga plugin that keys, looks up and keeps the answers of the queries yoga runs. */
  plugin: Plugin;
  /**
   * The kept answer (its JSON text) for a request's parameters, when one may be served to this
   * caller now, found under the same key and with the same checks as the plugin's lookup but
   * without going through yoga; undefined when yoga must answer it (nothing kept, a credential not
   * proven lately, a `Cache-Control` header, an upload, `@defer`/`@stream`). `origin` is the
   * request's own (`downloadUrl`s are built on it).
   */
  keptAnswer(
    request: { auth: XnatAuth | null; origin: string; cacheControl: string | undefined },
    params: AnswerParams,
  ): Promise<string | undefined>;
}

/**
 * Whole answers of queries, kept in this process under the caller's credential HMAC, the document,
 * the operation name, the variables and the origin that `downloadUrl`s are built from, and the
 * listing cache's write generation: every write through the gateway (any mutation, the raw upload
 * route) starts a new generation before its caller hears back, so no answer read before it is
 * served after it, for any user. With a Redis listing cache the generation is the shared counter,
 * read on every request, so a write through another replica hides this replica's answers at once.
 *
 * An answer lives no longer than the oldest listing it was built from would (the listing cache's
 * TTL counted from that listing's fetch), and is served only while XNAT accepted the credential
 * within the session max age, as cached listings are. `Cache-Control: no-cache` (or `max-age=N`
 * with an older answer) drops the kept answer, so the request is answered from XNAT (listings
 * refreshed) and its answer kept in its place. Multipart requests, `@defer`/`@stream` and answers
 * with errors are never kept. Answers are kept as the JSON text yoga sends, so a hit costs no
 * serialisation.
 */
export function createResponseCache(options: ResponseCacheOptions): GatewayResponseCache {
  const { tables } = options;
  const answers = new LRUCache<string, Filed>({ maxSize: options.maxBytes ?? 64 * 1024 * 1024, ttlAutopurge: false });
  let generation: number | undefined;
  /** The epoch of each request whose answer may come from (and go into) the cache. */
  const epochs = new WeakMap<Request, CacheEpoch>();

  /** Who may be served kept answers: null when not proven lately (or never), or malformed. */
  const sessionOf = (auth: XnatAuth | null) => (auth && options.proven(auth) ? tables.identity(auth) : null);

  /** The key an answer is filed under in the current generation; undefined when it must not be cached. */
  async function keyOf(
    sessionId: string,
    origin: string,
    params: AnswerParams,
    acceptedMs: number | undefined,
  ): Promise<{ key: string; epoch: CacheEpoch } | undefined> {
    // No document text (an id the trusted documents did not turn into one): nothing to key on.
    if (!params.query || incremental.test(params.query)) return undefined;
    const epoch = await tables.epoch();
    if (!epoch) return undefined;
    if (epoch.generation !== generation) {
      // Answers of older generations can never be asked for again.
      answers.clear();
      generation = epoch.generation;
    }
    const key = createHash('sha256')
      .update(JSON.stringify([epoch.generation, sessionId, origin, params.operationName ?? '', params.query, params.variables ?? {}]))
      .digest('base64url');
    if (acceptedMs !== undefined) {
      const filed = answers.peek(key);
      if (filed && Date.now() - filed.readAt > acceptedMs) answers.delete(key);
    }
    return { key, epoch };
  }

  const store: Cache = {
    get(key) {
      const filed = answers.get(key);
      options.onLookup?.(filed !== undefined);
      return filed ? (JSON.parse(filed.text) as ExecutionResult<Record<string, unknown>>) : null;
    },
    set(key, result, _entities, ttl) {
      // yoga's wrapper has just put the key and the time into the answer's headers (ETag,
      // Last-Modified) for its If-None-Match handling, which `enabled` keeps off: useETags tags GETs.
      dropValidators(result);
      if (!(ttl > 0)) return;
      const text = JSON.stringify(result);
      answers.set(key, { text, readAt: Date.now() + ttl - tables.ttlMs }, { ttl, size: key.length + text.length });
    },
    // Writes start a new generation, which every key holds; nothing to find by entity.
    invalidate() {},
  };

  const responseCache = useResponseCache({
    cache: store,
    ttl: tables.ttlMs,
    // Only __typename is added to documents (to collect entities, which invalidation here does not use).
    idFields: [],
    includeExtensionMetadata: false,
    // Not proven lately (or never): the request goes on uncached, and logs in on the way (once:
    // a refused credential must not cost XNAT two failed logins), or meets its refusal there.
    session: (request) => sessionOf(options.authOf(request)),
    async buildResponseCacheKey({ documentString, variableValues, operationName, sessionId, request, context }) {
      epochs.delete(request);
      if (sessionId == null || (context as { uploadParams?: unknown } | undefined)?.uploadParams !== undefined) return '';
      const filed = await keyOf(
        sessionId,
        new URL(request.url).origin,
        { query: documentString, operationName, variables: variableValues },
        acceptedAgeMs(request.headers.get('cache-control')),
      );
      if (!filed) return '';
      epochs.set(request, filed.epoch);
      return filed.key;
    },
    enabled: (request) => epochs.has(request),
    shouldCacheResult: ({ result }) => !result.errors?.length,
    onTtl({ ttl, context }) {
      const epoch = epochs.get((context as { request: Request }).request);
      if (!epoch || !tables.holds(epoch)) return 0;
      const readAt = (context as unknown as GatewayContext).stats?.oldestReadAt ?? Date.now();
      return Math.max(0, Math.min(ttl, readAt + tables.ttlMs - Date.now()));
    },
  });
  return {
    plugin: {
      onPluginInit({ addPlugin }) {
        addPlugin(responseCache);
      },
      // An answer that was not kept (its TTL came out 0) still carries the wrapper's validators.
      onExecutionResult({ result }) {
        if (!Array.isArray(result) && !isAsyncIterable(result)) dropValidators(result as ExecutionResult);
      },
    },
    async keptAnswer(request, params) {
      // A bound on the answer's age: yoga's path drops an older one and refreshes it.
      if (request.cacheControl !== undefined || answers.size === 0) return undefined;
      const sessionId = sessionOf(request.auth);
      if (sessionId == null) return undefined;
      const filed = await keyOf(sessionId, request.origin, params, undefined);
      const text = filed ? answers.get(filed.key)?.text : undefined;
      // A miss goes on to yoga, whose lookup counts it.
      if (text !== undefined) options.onLookup?.(true);
      return text;
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === 'function';
}
