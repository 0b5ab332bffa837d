import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XnatClient, type XnatTls } from '../xnat/client.js';
import type { TrustedDocuments } from '../config/trusted-documents-file.js';
import { createLogger, type Logger } from '../logger.js';
import { GatewayMetrics } from './metrics.js';
import { createGatewayYoga } from './yoga.js';
import { executeUpload, hasPreflightHeader, isFormEncoded, isMultipart, parseMultipart, SpoolBudget } from './uploads.js';
import { sendError } from '../errors.js';
import { serveDownload } from './downloads.js';
import { serveRawUpload } from './raw-upload.js';
import { resolveAuth } from './credentials.js';
import { BrowserSessions } from './browser-sessions.js';
import { serveLogin } from './login.js';
import { defaultQueryLimits, type QueryLimits } from './limits.js';
import { createTableCache, TableCache } from '../cache/table-cache.js';
import { useETags } from './etag.js';
import { useOperationObservability } from './operations.js';
import { checkXnatReachable } from '../xnat/readiness.js';
import { serveDashboard } from './dashboard-page.js';
import { startTracing } from './tracing.js';
import { useCompressedPages } from './compressed-pages.js';
import { packageVersion } from '../package-version.js';
import { hostAllowlist } from './host-allowlist.js';
import { UploadAdmission } from './upload-admission.js';
import { applyServerTimeouts, boundRequestBody, type IncomingTimeouts } from './incoming-timeouts.js';
import { serveDefaults } from '../config/defaults.js';
import { requestIdFrom, withRequestId } from './request-id.js';

export interface GatewayOptions {
  xnatUrl: string;
  credentials?: { user: string; password: string };
  port?: number;
  host?: string;
  upstreamTimeoutMs?: number;
  maxUpstreamConnections?: number;
  maxUploadBytes?: number;
  maxUploadFiles?: number;
  limits?: Partial<QueryLimits>;
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
  /** Absolute age of the XNAT session held for a credential before it logs in again (default 5 minutes). */
  sessionMaxAgeMs?: number;
  /** Refused logins of one XNAT user in a row after which the gateway stops asking XNAT for a while (default 5; 0: never). */
  loginFailureLimit?: number;
  /** Serve examples/dashboard at /dashboard. */
  dashboard?: boolean;
  /** The XNAT release behind the gateway (e.g. 1.7.6); absent: asked of XNAT (src/xnat/version.ts). */
  xnatVersion?: string;
  /** Host names answered besides loopback, the public URL's and the listen address (`*`: any). */
  allowedHosts?: string[];
  /** XNAT connections for streamed uploads, apart from `maxUpstreamConnections`. */
  maxUploadConnections?: number;
  /** Multipart uploads one caller (credential, or all anonymous callers together) may have in flight. */
  maxUploadsPerCaller?: number;
  /** Open client connections at once; more are closed at once. */
  maxConnections?: number;
  headersTimeoutMs?: number;
  /** Until a request body other than an upload is complete. */
  requestTimeoutMs?: number;
  /** Longest silence while an upload arrives. */
  bodyIdleTimeoutMs?: number;
  /** GraphiQL for browsers on GET /graphql (default on). */
  graphiql?: boolean;
  /** Introspection queries (default on). */
  introspection?: boolean;
  /** Run only these documents, by id; absent: any. */
  trustedDocuments?: TrustedDocuments;
  /** How to trust XNAT's certificate: a CA bundle (PEM), or none at all (insecure). */
  tls?: XnatTls;
  /** Bytes of out-of-order file parts held on disk for one request (default 256 MiB). */
  maxSpoolBytesPerRequest?: number;
  /** The same over all requests of one caller in flight (default 1 GiB). */
  maxSpoolBytesPerCaller?: number;
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

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger ?? createLogger();
  const metrics = new GatewayMetrics();
  const tracer = await startTracing(logger, packageVersion());
  const xnat = new XnatClient({
    baseUrl: options.xnatUrl,
    timeoutMs: options.upstreamTimeoutMs ?? serveDefaults.upstreamTimeoutMs,
    maxConnections: options.maxUpstreamConnections ?? serveDefaults.maxUpstreamConnections,
    sessionMaxAgeMs: options.sessionMaxAgeMs ?? serveDefaults.sessionMaxAgeMs,
    loginGuard: { maxFailures: options.loginFailureLimit ?? serveDefaults.loginFailureLimit },
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
    ttlMs: options.cacheTtlMs ?? 0,
    ...(options.cacheUrl ? { url: options.cacheUrl } : {}),
    ...(process.env.XNAT_GRAPHQL_CACHE_SECRET ? { secret: process.env.XNAT_GRAPHQL_CACHE_SECRET } : {}),
    prove: (auth) => xnat.prove(auth),
    onLookup: (hit) => metrics.recordCacheLookup(hit),
    onError: (error) => logger.warn({ err: error }, 'listing cache unavailable; asking XNAT'),
  });
  // The identity ETags are scoped to: the cache's credential HMAC (or one of its own when caching is off).
  const identities =
    cache ??
    new TableCache(
      {
        async get() {
          return undefined;
        },
        async set() {},
        async generation() {
          return 0;
        },
        async bump() {},
        async close() {},
      },
      { ttlMs: 0 },
    );
  const browsers = new BrowserSessions();
  const yoga = createGatewayYoga({
    xnat,
    credentials: options.credentials,
    browsers,
    logger,
    limits: { ...defaultQueryLimits, ...options.limits },
    corsOrigins: options.corsOrigins ?? [],
    batching: options.batching ?? true,
    ...(options.publicUrl ? { publicUrl: options.publicUrl.replace(/\/+$/, '') } : {}),
    ...(cache ? { cache } : {}),
    graphiql: options.graphiql ?? true,
    introspection: options.introspection ?? true,
    ...(options.trustedDocuments ? { trustedDocuments: options.trustedDocuments } : {}),
    plugins: [
      useOperationObservability({ logger, metrics, ...(tracer ? { tracer } : {}) }),
      useCompressedPages(),
      useETags((request) => {
        const auth = resolveAuth(request.headers, options.credentials, browsers);
        return auth ? identities.identity(auth) : 'invalid';
      }),
    ],
  });
  const readinessTimeoutMs = Math.min(options.upstreamTimeoutMs ?? serveDefaults.upstreamTimeoutMs, 5_000);
  const limits = {
    maxFileSize: options.maxUploadBytes ?? serveDefaults.maxUploadBytes,
    maxFiles: options.maxUploadFiles ?? serveDefaults.maxUploadFiles,
  };

  const spoolBudget = new SpoolBudget(options.maxSpoolBytesPerRequest ?? 256 * 1024 ** 2, options.maxSpoolBytesPerCaller ?? 1024 ** 3);
  const maxUploadsPerCaller = options.maxUploadsPerCaller ?? 8;
  const admission = new UploadAdmission(maxUploadsPerCaller);
  const timeouts: IncomingTimeouts = {
    headersTimeoutMs: options.headersTimeoutMs ?? 20_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    bodyIdleTimeoutMs: options.bodyIdleTimeoutMs ?? 60_000,
  };

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'POST' && isFormEncoded(req)) {
      // An HTML form on any site can send this without a CORS preflight, and the gateway would run the
      // mutation with the configured (or the browser's cached Basic) credentials.
      sendError(res, 'BAD_USER_INPUT', 'POST bodies must be application/json (or a multipart upload with a preflight header).', {
        status: 415,
        graphql: true,
      });
      return;
    }
    if (req.method === 'POST' && isMultipart(req)) {
      if (!hasPreflightHeader(req)) {
        sendError(
          res,
          'BAD_USER_INPUT',
          'Multipart requests need a non-empty apollo-require-preflight, x-apollo-operation-name or graphql-preflight header.',
          { graphql: true },
        );
        return;
      }
      const auth = resolveAuth(req.headers, options.credentials);
      if (!auth) {
        sendError(res, 'UNAUTHENTICATED', 'The Authorization header is not valid HTTP Basic credentials.', { graphql: true });
        return;
      }
      const caller = identities.identity(auth);
      const release = admission.admit(caller);
      if (!release) {
        // Refused before reading the body: the connection closes rather than drain a slow sender.
        res.setHeader('retry-after', '5');
        res.setHeader('connection', 'close');
        sendError(res, 'BAD_USER_INPUT', `This caller already has ${maxUploadsPerCaller} uploads in flight; retry when one has finished.`, {
          status: 429,
          graphql: true,
        });
        return;
      }
      res.once('close', release);
      let uploadParams: unknown;
      try {
        uploadParams = await parseMultipart(req, res, limits, {
          budget: spoolBudget,
          caller,
          onSpool: (bytes, refused) =>
            logger.info(
              { bytes, refused },
              refused
                ? 'upload part refused: out of order past the spool bound'
                : 'upload part spooled to disk (sent before the parts read first)',
            ),
        });
      } catch (error) {
        const status = (error as { status?: number }).status ?? 400;
        sendError(res, 'BAD_USER_INPUT', (error as Error).message, { status, graphql: true });
        return;
      }
      await executeUpload(yoga, req, res, uploadParams);
      return;
    }
    await yoga(req, res);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/graphql') return handleGraphQL(req, res);
    const login = { xnat, browsers, credentials: options.credentials, secure: (r: IncomingMessage) => isHttps(r, options.publicUrl) };
    if (await serveLogin(req, res, path, login)) return;
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path === '/readyz') {
      // Probes come every few seconds: no traces of them.
      const probe = () => checkXnatReachable(xnat, readinessTimeoutMs);
      const check = await (tracer ? tracer.untraced(probe) : probe());
      res.writeHead(check.ready ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(check)}\n`);
      return;
    }
    if (options.dashboard && path.startsWith('/dashboard') && (await serveDashboard(path, res))) return;
    if (path === '/metrics') {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      return;
    }
    if (path.startsWith('/download/')) {
      const auth = resolveAuth(req.headers, options.credentials, browsers);
      return serveDownload(req, res, { xnat, auth, path, params: new URL(req.url ?? '/', 'http://gateway').searchParams });
    }
    if (path.startsWith('/upload/')) {
      const params = new URL(req.url ?? '/', 'http://gateway').searchParams;
      return serveRawUpload(req, res, path, params, {
        yoga,
        admit: () => {
          const auth = resolveAuth(req.headers, options.credentials, browsers);
          // Bad credentials are answered (401) before the body is read.
          return auth ? admission.admit(identities.identity(auth)) : () => {};
        },
        maxUploadsPerCaller,
        maxFileSize: limits.maxFileSize,
        corsOrigins: options.corsOrigins ?? [],
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      });
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  const hostAllowed = hostAllowlist({
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.host ? { listenHost: options.host } : {}),
  });

  // Node checks header and request timeouts on this interval (30 s by default).
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    const requestId = requestIdFrom(req.headers);
    res.setHeader('x-request-id', requestId);
    const path = (req.url ?? '/').split('?')[0];
    // Probes carry whatever Host their platform sets, and answer no user data.
    if (!hostAllowed(req) && path !== '/healthz' && path !== '/readyz') {
      sendError(res, 'FORBIDDEN', 'This gateway does not answer for that Host; add it with --allowed-hosts.', {
        status: 421,
        headers: { connection: 'close' },
      });
      return;
    }
    const upload = (req.method === 'POST' && isMultipart(req)) || (req.method === 'PUT' && path?.startsWith('/upload/') === true);
    boundRequestBody(req, res, upload, timeouts, (reason) => logger.info({ path, reason }, 'request body cut off'));
    withRequestId(requestId, () => route(req, res)).catch((error: unknown) => {
      if (res.destroyed && !res.writableFinished) {
        // The client hung up before its answer was out: routine for a network, not a gateway fault.
        logger.info(
          { path: req.url?.split('?')[0], reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message },
          'client closed the connection early',
        );
        return;
      }
      logger.error({ err: error, path: req.url?.split('?')[0] }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  applyServerTimeouts(server, timeouts, options.maxConnections ?? 1024);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? serveDefaults.port, options.host ?? serveDefaults.host, () => {
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
