import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTableCache, TableCache } from '../cache/table-cache.js';
import { serveDefaults } from '../config/defaults.js';
import type { TrustedDocuments } from '../config/trusted-documents-file.js';
import { sendError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { packageVersion } from '../package-version.js';
import { XnatClient, type XnatTls } from '../xnat/client.js';
import { checkXnatReachable } from '../xnat/readiness.js';
import { BrowserSessions } from './browser-sessions.js';
import { useCompressedPages } from './compressed-pages.js';
import { corsAllows } from './cors.js';
import { resolveAuth } from './credentials.js';
import { serveDashboard } from './dashboard-page.js';
import { serveDownload } from './downloads.js';
import { useETags } from './etag.js';
import { graphqlRoute } from './graphql-route.js';
import { hostAllowlist } from './host-allowlist.js';
import { applyServerTimeouts, boundRequestBody, type IncomingTimeouts } from './incoming-timeouts.js';
import type { QueryLimits } from './limits.js';
import { serveLogin } from './login.js';
import { GatewayMetrics } from './metrics.js';
import { useOperationObservability } from './operations.js';
import { serveRawUpload } from './raw-upload.js';
import { requestIdFrom, withRequestId } from './request-id.js';
import { createResponseCache } from './response-cache.js';
import { startTracing } from './tracing.js';
import { UploadAdmission } from './upload-admission.js';
import { isMultipart, SpoolBudget } from './uploads.js';
import { createGatewayYoga } from './yoga.js';

/**
 * Everything `startGateway` takes; what is left out takes its default from `serveDefaults`
 * (src/config/defaults.ts), except the listing cache, which is off unless `cacheTtlMs` asks for it.
 * `serve` resolves every one of these (src/config/gateway-config.ts).
 */
export interface GatewayOptions extends Partial<QueryLimits> {
  xnatUrl: string;
  credentials?: { user: string; password: string };
  port?: number;
  host?: string;
  upstreamTimeoutMs?: number;
  maxUpstreamConnections?: number;
  /** XNAT connections for streamed uploads, apart from `maxUpstreamConnections`. */
  maxUploadConnections?: number;
  maxUploadBytes?: number;
  maxUploadFiles?: number;
  /** Uploads one caller (credential, or all anonymous callers together) may have in flight. */
  maxUploadsPerCaller?: number;
  /** Bytes of out-of-order file parts held on disk for one request. */
  maxSpoolBytesPerRequest?: number;
  /** The same over all requests of one caller in flight. */
  maxSpoolBytesPerCaller?: number;
  /** Open client connections at once; more are refused. */
  maxConnections?: number;
  headersTimeoutMs?: number;
  /** Until a request body other than an upload is complete. */
  requestTimeoutMs?: number;
  /** Longest silence while an upload arrives. */
  bodyIdleTimeoutMs?: number;
  corsOrigins?: string[];
  /** false: one XNAT request per parent object instead of one per level (benchmark baseline). */
  batching?: boolean;
  /** The URL clients reach the gateway at, for `downloadUrl` behind a proxy. */
  publicUrl?: string;
  logger?: Logger;
  /** Cache XNAT listings this long across requests (per user, dropped by any write); 0 or absent: no cache. */
  cacheTtlMs?: number;
  /** `memory` (default) or `redis://HOST:PORT` to share the cache between replicas. */
  cacheUrl?: string;
  /** Absolute age of the XNAT session held for a credential before it logs in again. */
  sessionMaxAgeMs?: number;
  /** Refused logins of one XNAT user in a row after which the gateway stops asking XNAT for a while (0: never). */
  loginFailureLimit?: number;
  /** Serve examples/dashboard at /dashboard. */
  dashboard?: boolean;
  /** The XNAT release behind the gateway (e.g. 1.7.6); absent: asked of XNAT (src/xnat/version.ts). */
  xnatVersion?: string;
  /** Host names answered besides loopback, the public URL's and the listen address (`*`: any). */
  allowedHosts?: string[];
  /** GraphiQL for browsers on GET /graphql (default on). */
  graphiql?: boolean;
  /** Introspection queries (default on). */
  introspection?: boolean;
  /** Run only these documents, by id; absent: any. */
  trustedDocuments?: TrustedDocuments;
  /** How to trust XNAT's certificate: a CA bundle (PEM), or none at all (insecure). */
  tls?: XnatTls;
}

export interface Gateway {
  /** http://HOST:PORT */
  url: string;
  graphqlUrl: string;
  metrics: GatewayMetrics;
  /** Asks XNAT once, as /readyz does but with the configured credentials: undefined when it answers like XNAT, else what is wrong. */
  checkXnat(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Whether browsers reach the gateway over https (directly behind a TLS proxy), so cookies must be Secure. */
function isHttps(req: IncomingMessage, publicUrl: string | undefined): boolean {
  return publicUrl?.startsWith('https:') === true || req.headers['x-forwarded-proto'] === 'https';
}

type Handler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> | void;

function notFound(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
}

/** Routes by exact path, then by prefix (in order); anything else is 404. */
function router(exact: Record<string, Handler>, prefixes: [string, Handler][]): Handler {
  return (req, res, path) => {
    const handle = Object.hasOwn(exact, path) ? exact[path] : prefixes.find(([prefix]) => path.startsWith(prefix))?.[1];
    return (handle ?? notFound)(req, res, path);
  };
}

/** The options with every default filled in (an option given as undefined takes its default too). */
function withDefaults(options: GatewayOptions) {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as GatewayOptions;
  return {
    ...serveDefaults,
    cacheTtlMs: 0,
    corsOrigins: [] as string[],
    batching: true,
    graphiql: true,
    introspection: true,
    dashboard: false,
    ...given,
  };
}

export async function startGateway(given: GatewayOptions): Promise<Gateway> {
  const options = withDefaults(given);
  const logger = options.logger ?? createLogger();
  const metrics = new GatewayMetrics();
  const tracer = await startTracing(logger, packageVersion());
  const xnat = new XnatClient({
    baseUrl: options.xnatUrl,
    timeoutMs: options.upstreamTimeoutMs,
    maxConnections: options.maxUpstreamConnections,
    maxUploadConnections: options.maxUploadConnections,
    sessionMaxAgeMs: options.sessionMaxAgeMs,
    loginGuard: { maxFailures: options.loginFailureLimit },
    ...(options.xnatVersion ? { xnatVersion: options.xnatVersion } : {}),
    onXnatVersion: (version, how) => logger.info({ xnatVersion: version.version, filePaths: version.filePaths, how }, 'XNAT version'),
    ...(options.tls ? { tls: options.tls } : {}),
    onResponse: (e) => {
      metrics.recordUpstream(e);
      logger.debug(
        { xnat: { method: e.method, route: e.route, status: e.status, durationMs: Math.round(e.durationMs * 10) / 10 } },
        'xnat request',
      );
    },
  });
  // With configured credentials the version is learnt now; otherwise by the first caller that needs it.
  if (options.credentials) void xnat.version.of({ kind: 'basic', ...options.credentials });
  const cache = await createTableCache({
    ttlMs: options.cacheTtlMs,
    ...(options.cacheUrl ? { url: options.cacheUrl } : {}),
    ...(process.env.XNAT_GRAPHQL_CACHE_SECRET ? { secret: process.env.XNAT_GRAPHQL_CACHE_SECRET } : {}),
    prove: (auth) => xnat.prove(auth),
    onLookup: (hit) => metrics.recordCacheLookup(hit),
    onError: (error) => logger.warn({ err: error }, 'listing cache unavailable; asking XNAT'),
  });
  // The identity ETags and upload allowances are scoped to: the cache's credential HMAC (or one of its own when caching is off).
  const identities = cache ?? TableCache.identitiesOnly();
  const browsers = new BrowserSessions();
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  const authOf = (headers: IncomingHttpHeaders | Headers) => resolveAuth(headers, options.credentials, browsers);
  const answers =
    cache &&
    createResponseCache({
      tables: cache,
      authOf: (request) => authOf(request.headers),
      proven: (auth) => xnat.proven(auth),
      onLookup: (hit) => metrics.recordAnswerLookup(hit),
    });
  const yoga = createGatewayYoga({
    xnat,
    credentials: options.credentials,
    browsers,
    logger,
    limits: {
      maxDepth: options.maxDepth,
      maxAliases: options.maxAliases,
      maxTokens: options.maxTokens,
      maxDirectives: options.maxDirectives,
      maxCost: options.maxCost,
      maxAnswerRows: options.maxAnswerRows,
      xnatRowBudget: options.xnatRowBudget,
    },
    corsOrigins: options.corsOrigins,
    batching: options.batching,
    ...(publicUrl ? { publicUrl } : {}),
    ...(cache ? { cache } : {}),
    ...(answers ? { answers } : {}),
    graphiql: options.graphiql,
    introspection: options.introspection,
    ...(options.trustedDocuments ? { trustedDocuments: options.trustedDocuments } : {}),
    ...(tracer ? { observeBatch: tracer.traceLoad } : {}),
    plugins: [
      useOperationObservability({ logger, metrics, ...(tracer ? { tracer } : {}) }),
      useCompressedPages(),
      useETags((request) => {
        const auth = resolveAuth(request.headers, options.credentials, browsers);
        return auth ? identities.identity(auth) : 'invalid';
      }),
    ],
  });
  const readinessTimeoutMs = Math.min(options.upstreamTimeoutMs, 5_000);
  const admission = new UploadAdmission(options.maxUploadsPerCaller);
  const timeouts: IncomingTimeouts = {
    headersTimeoutMs: options.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    bodyIdleTimeoutMs: options.bodyIdleTimeoutMs,
  };
  /** Probes come every few seconds: no traces of them. */
  const untraced = <T>(probe: () => Promise<T>) => (tracer ? tracer.untraced(probe) : probe());
  const login = { xnat, browsers, credentials: options.credentials, secure: (r: IncomingMessage) => isHttps(r, options.publicUrl) };
  const paramsOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://gateway').searchParams;

  const dashboard: Handler = async (req, res, path) => {
    if (!(await serveDashboard(path, res))) notFound(req, res);
  };
  const authOfRequest = (req: IncomingMessage) => authOf(req.headers);
  const route = router(
    {
      '/graphql': graphqlRoute({
        yoga,
        authOf: authOfRequest,
        callerOf: (auth) => identities.identity(auth),
        admission,
        limits: { maxFileSize: options.maxUploadBytes, maxFiles: options.maxUploadFiles },
        spoolBudget: new SpoolBudget(options.maxSpoolBytesPerRequest, options.maxSpoolBytesPerCaller),
        logger,
        // Hits answered in front of yoga, unless yoga must see every request: to trace it, or to
        // turn a trusted document's id into its text.
        ...(answers && !tracer && !options.trustedDocuments
          ? { keptAnswers: { answers, authOf: authOfRequest, corsAllows: corsAllows(options.corsOrigins) } }
          : {}),
      }),
      '/login': (req, res, path) => serveLogin(req, res, path, login),
      '/logout': (req, res, path) => serveLogin(req, res, path, login),
      '/session': (req, res, path) => serveLogin(req, res, path, login),
      '/healthz': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      },
      '/readyz': async (_req, res) => {
        const check = await untraced(() => checkXnatReachable(xnat, readinessTimeoutMs));
        res.writeHead(check.ready ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(check)}\n`);
      },
      '/metrics': async (_req, res) => {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      },
      ...(options.dashboard ? { '/dashboard': dashboard } : {}),
    },
    [
      [
        '/download/',
        (req, res, path) =>
          serveDownload(req, res, { xnat, auth: resolveAuth(req.headers, options.credentials, browsers), path, params: paramsOf(req) }),
      ],
      [
        '/upload/',
        (req, res, path) =>
          serveRawUpload(req, res, path, paramsOf(req), {
            yoga,
            admission,
            callerOf: (r) => {
              const auth = resolveAuth(r.headers, options.credentials, browsers);
              return auth ? identities.identity(auth) : undefined;
            },
            maxFileSize: options.maxUploadBytes,
            corsOrigins: options.corsOrigins,
            ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
          }),
      ],
      ...(options.dashboard ? [['/dashboard/', dashboard] as [string, Handler]] : []),
    ],
  );

  const hostAllowed = hostAllowlist({
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    listenHost: options.host,
  });

  // Node checks header and request timeouts on this interval (30 s by default).
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    const requestId = requestIdFrom(req.headers);
    res.setHeader('x-request-id', requestId);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // Probes carry whatever Host their platform sets, and answer no user data.
    if (!hostAllowed(req) && path !== '/healthz' && path !== '/readyz') {
      sendError(res, 'FORBIDDEN', 'This gateway does not answer for that Host; add it with --allowed-hosts.', {
        status: 421,
        headers: { connection: 'close' },
      });
      return;
    }
    const upload = (req.method === 'POST' && isMultipart(req)) || (req.method === 'PUT' && path.startsWith('/upload/'));
    boundRequestBody(req, res, upload, timeouts, (reason) => logger.info({ path, reason }, 'request body cut off'));
    withRequestId(requestId, async () => route(req, res, path)).catch((error: unknown) => {
      if (res.destroyed && !res.writableFinished) {
        // The client hung up before its answer was out: routine for a network, not a gateway fault.
        logger.info(
          { path, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message },
          'client closed the connection early',
        );
        return;
      }
      logger.error({ err: error, path }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  applyServerTimeouts(server, timeouts, options.maxConnections);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    metrics,
    async checkXnat() {
      const auth = options.credentials ? ({ kind: 'basic', ...options.credentials } as const) : undefined;
      const probe = () => checkXnatReachable(xnat, readinessTimeoutMs, auth);
      const check = await (tracer ? tracer.untraced(probe) : probe());
      return check.ready ? undefined : check.reason;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await xnat.close();
      await cache?.close();
      await tracer?.shutdown();
    },
  };
}
