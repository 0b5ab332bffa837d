import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import type { GraphQLError } from 'graphql';
import { authorizationHeader, type XnatAuth } from './auth.js';
import { gatewayError, upstreamError } from '../errors.js';
import { errorForStatus, upstreamTimeout } from './errors.js';
import { encodeQuery, routeOf } from './paths.js';
import type { RawRow } from './resultset.js';
import { HtmlAnswer, readResultSet } from './resultset-stream.js';
import { LoginGuard, type LoginGuardOptions } from './login-guard.js';
import { SessionStore } from './sessions.js';
import { XnatVersionSource, type XnatVersion } from './version.js';
import { serveDefaults } from '../config/defaults.js';
import {
  defaultRetryPolicy,
  isDroppedConnection,
  isRetriableMethod,
  isTransientStatus,
  parseRetryAfter,
  retryDelayMs,
  type RetryPolicy,
} from './retry.js';

/** How the gateway trusts XNAT's TLS certificate, beyond Node's CA store (and NODE_EXTRA_CA_CERTS). */
export interface XnatTls {
  /** PEM certificates (a site CA, or XNAT's own self-signed one) to trust. */
  ca?: string;
  /** Accept any certificate (--insecure): the connection is encrypted but not authenticated. */
  insecure?: boolean;
}

export interface XnatClientOptions {
  /** XNAT's root URL, possibly with a context path (https://host/xnat). */
  baseUrl: string;
  /** Bound on each request: whole request for tables, time-to-headers and body idle time for streams. */
  timeoutMs: number;
  maxConnections?: number;
  /** Connections for streamed uploads, apart from `maxConnections`: slow uploads never take a read's connection. */
  maxUploadConnections?: number;
  tls?: XnatTls;
  retry?: RetryPolicy;
  /** Absolute age of an XNAT session held for a credential (default 5 minutes), then it logs in again. */
  sessionMaxAgeMs?: number;
  /** When the gateway stops sending XNAT logins XNAT keeps refusing (login-guard.ts). */
  loginGuard?: LoginGuardOptions;
  /** The XNAT release (e.g. 1.7.6) when known; otherwise asked of XNAT (version.ts). */
  xnatVersion?: string;
  onXnatVersion?: (version: XnatVersion, how: 'configured' | 'reported' | 'assumed') => void;
  onResponse?: (e: { method: string; route: string; status: number; durationMs: number }) => void;
}

export interface XnatRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  /** Path from the XNAT root, starting with /data (build it with paths.ts). */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: Readable | Buffer | string | null;
  signal?: AbortSignal;
  /** `probe`: the readiness check's own connection, never queued behind user requests. */
  lane?: 'probe';
}

/** Node's codes for a certificate it would not accept (self-signed, unknown CA, wrong name, expired). */
function isCertificateError(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code);
}

type BasicAuth = Extract<XnatAuth, { kind: 'basic' }>;

const sessionPath = '/data/JSESSION';

/** The JSESSIONID a response sets, if any. */
function sessionSetBy(response: Dispatcher.ResponseData): string | undefined {
  const cookies = [response.headers['set-cookie'] ?? []].flat();
  for (const cookie of cookies) {
    const id = /^\s*JSESSIONID=([^;\s]+)/.exec(cookie)?.[1];
    if (id) return id;
  }
  return undefined;
}

/**
 * XNAT answers a login refused at its per-user session cap like one with a wrong password (401,
 * the same message), but it opened a session first and sends its cookie; a wrong password opens none.
 */
function sessionCapReached(): GraphQLError {
  return gatewayError(
    'UNAUTHENTICATED',
    "XNAT accepted the credentials but refused to open another session: this user already holds XNAT's maximum number of " +
      'concurrent sessions (its concurrentMaxSessions setting, 1000 by default). Logins work again as some of those sessions end ' +
      "or expire (XNAT's session timeout, 15 minutes unused by default); an XNAT administrator can end them sooner.",
  );
}

const credentialsRefused = () =>
  gatewayError('UNAUTHENTICATED', 'XNAT refused the credentials (wrong user, password or token, or a disabled or locked account).');

/** XNAT behind a proxy answers an expired session with its login page, often with status 200. */
function isLoginPage(response: Dispatcher.ResponseData, text: string): boolean {
  const type = String(response.headers['content-type'] ?? '');
  return type.includes('text/html') || /^\s*<(!doctype|html)/i.test(text);
}

/**
 * HTTP to one XNAT server over a keep-alive pool. Knows transport, auth, sessions, retries and
 * envelopes; what to ask for is in archive.ts.
 */
export class XnatClient {
  private readonly pool: Pool;
  private readonly uploadPool: Pool;
  private readonly probePool: Pool;
  private readonly prefix: string;
  private readonly sessions: SessionStore;
  private readonly guard: LoginGuard;
  private readonly retry: RetryPolicy;
  /** The session each answer was sent with, so a login page drops that one and not a newer one. */
  private readonly sentWith = new WeakMap<Dispatcher.ResponseData, string>();
  /** Sessions being ended at XNAT, awaited by close(). */
  private readonly ending = new Set<Promise<void>>();
  /** Retired sessions waiting for the requests already sent with them; ended at once by close(). */
  private readonly retiring = new Map<string, NodeJS.Timeout>();
  /** Which XNAT release answers, for what it decodes in URLs. */
  readonly version: XnatVersionSource;

  constructor(private readonly options: XnatClientOptions) {
    const url = new URL(options.baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.sessions = new SessionStore({
      ...(options.sessionMaxAgeMs !== undefined ? { maxAgeMs: options.sessionMaxAgeMs } : {}),
      onRetire: (id) => this.retire(id),
    });
    this.guard = new LoginGuard(options.loginGuard);
    this.version = new XnatVersionSource(this, options.xnatVersion, options.onXnatVersion);
    this.retry = options.retry ?? defaultRetryPolicy;
    const connect = options.tls
      ? { connect: { ...(options.tls.ca ? { ca: options.tls.ca } : {}), ...(options.tls.insecure ? { rejectUnauthorized: false } : {}) } }
      : {};
    const pool = (connections: number) =>
      new Pool(url.origin, {
        connections,
        keepAliveTimeout: 30_000,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        ...connect,
      });
    this.pool = pool(options.maxConnections ?? serveDefaults.maxUpstreamConnections);
    this.uploadPool = pool(options.maxUploadConnections ?? serveDefaults.maxUploadConnections);
    this.probePool = pool(1);
  }

  /** Streamed bodies (uploads) and the readiness probe each have connections of their own. */
  private dispatcherFor(request: XnatRequest): Pool {
    if (request.lane === 'probe') return this.probePool;
    const streamed = request.body != null && typeof request.body !== 'string' && !Buffer.isBuffer(request.body);
    return streamed ? this.uploadPool : this.pool;
  }

  /**
   * A listing, each row of XNAT's ResultSet JSON handed to `toRow` as it arrives (rows of strings
   * by default); only what `toRow` returns is kept (resultset-stream.ts). Non-2xx and non-JSON
   * answers throw GraphQLErrors.
   */
  async table<T = RawRow>(
    auth: XnatAuth,
    path: string,
    query: Record<string, string | undefined> = {},
    toRow?: (raw: RawRow, index: number) => T,
  ): Promise<T[]> {
    const route = routeOf(path);
    const convert = toRow ?? ((raw: RawRow) => raw as T);
    for (let relogin = 0; ; relogin++) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
      try {
        const response = await this.request(auth, { method: 'GET', path, query: { ...query, format: 'json' }, signal: controller.signal });
        if (response.statusCode < 200 || response.statusCode >= 300)
          throw errorForStatus(response.statusCode, 'GET', route, await response.body.text());
        if (!String(response.headers['content-type'] ?? '').includes('text/html')) {
          try {
            return await readResultSet(response.body, route, convert);
          } catch (error) {
            if (!(error instanceof HtmlAnswer)) throw error;
          }
        } else {
          await response.body.dump();
        }
        // XNAT behind a proxy answers an expired session with its login page, often with status 200.
        const session = this.sentWith.get(response);
        if (auth.kind === 'basic' && relogin === 0 && session) {
          this.sessions.drop(this.sessions.keyOf(auth), session);
          continue;
        }
        throw upstreamError(`XNAT answered GET ${route} with an HTML page instead of data (login required or session expired)`);
      } catch (error) {
        if (controller.signal.aborted) throw upstreamTimeout('GET', route, this.options.timeoutMs);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** A small non-table answer (an XAPI JSON value or text) as text. Non-2xx answers throw GraphQLErrors. */
  async text(auth: XnatAuth, path: string): Promise<string> {
    const route = routeOf(path);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await this.request(auth, { method: 'GET', path, signal: controller.signal });
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300) throw errorForStatus(response.statusCode, 'GET', route, text);
      return text;
    } catch (error) {
      if (controller.signal.aborted) throw upstreamTimeout('GET', route, this.options.timeoutMs);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One request, with the credential's XNAT session. The caller reads (or dumps) the body and
   * judges the status. A 401 on a session logs in again once; safe reads are retried after a
   * dropped connection or a proxy's 502/503/504. Transport failures become UPSTREAM_TIMEOUT /
   * UPSTREAM_ERROR GraphQLErrors.
   */
  async request(auth: XnatAuth, request: XnatRequest): Promise<Dispatcher.ResponseData> {
    const retriable = isRetriableMethod(request.method);
    const replayable = retriable || request.body == null || typeof request.body === 'string' || Buffer.isBuffer(request.body);
    const wait = (ms: number) => sleep(ms, undefined, request.signal ? { signal: request.signal } : {});
    let retries = 0;
    let relogged = false;
    for (;;) {
      const session = auth.kind === 'basic' ? await this.sessionOf(auth) : undefined;
      let response: Dispatcher.ResponseData;
      try {
        response = await this.send(auth, request, session);
      } catch (error) {
        if (retriable && retries < this.retry.retries && isDroppedConnection(error) && !request.signal?.aborted) {
          await wait(retryDelayMs(this.retry, retries++));
          continue;
        }
        throw this.transportError(request, error);
      }
      if (auth.kind === 'basic') await this.adoptSession(auth, session, response);
      if (response.statusCode === 401 && auth.kind === 'basic' && session && !relogged && replayable) {
        relogged = true;
        await response.body.dump();
        this.sessions.drop(this.sessions.keyOf(auth), session);
        continue;
      }
      if (retriable && retries < this.retry.retries && isTransientStatus(response.statusCode)) {
        const delay = retryDelayMs(this.retry, retries++, parseRetryAfter(response.headers['retry-after']));
        await response.body.dump();
        await wait(delay);
        continue;
      }
      if (session) this.sentWith.set(response, session);
      return response;
    }
  }

  /**
   * Opens (or reuses) the XNAT session of a credential: UNAUTHENTICATED when XNAT refuses it.
   * A browser sign-in checks the password this way, once, before the gateway remembers it.
   */
  async openSession(auth: BasicAuth): Promise<void> {
    await this.sessionOf(auth);
  }

  /** Ends the credential's XNAT session, if it has one (a browser signing out). */
  async endSession(auth: BasicAuth): Promise<void> {
    const key = this.sessions.keyOf(auth);
    const id = this.sessions.get(key);
    if (!id) return;
    this.sessions.drop(key, id);
    await this.deleteSession(id).catch(() => undefined);
  }

  private async deleteSession(id: string): Promise<void> {
    const response = await this.pool.request({
      method: 'DELETE',
      path: `${this.prefix}${sessionPath}`,
      headers: { cookie: `JSESSIONID=${id}` },
      signal: AbortSignal.timeout(2_000),
    });
    await response.body.dump();
  }

  /**
   * Resolves once XNAT accepted the credential within the session max age, logging in when it has
   * not; rejects with UNAUTHENTICATED when XNAT refuses it. Anonymous requests have nothing to prove.
   */
  async prove(auth: XnatAuth): Promise<void> {
    if (auth.kind === 'basic') await this.sessionOf(auth);
  }

  /**
   * Whether XNAT accepted the credential within the session max age, without asking it again
   * (anonymous requests have nothing to prove). False means the next request logs in.
   */
  proven(auth: XnatAuth): boolean {
    return auth.kind !== 'basic' || this.sessions.get(this.sessions.keyOf(auth)) !== undefined;
  }

  /** Ends every XNAT session the gateway opened, then closes the connections. */
  async close(): Promise<void> {
    for (const [id, timer] of this.retiring) {
      clearTimeout(timer);
      this.endInBackground(id);
    }
    this.retiring.clear();
    for (const id of this.sessions.drain()) this.endInBackground(id);
    await Promise.allSettled([...this.ending]);
    await Promise.all([this.pool.close(), this.uploadPool.close(), this.probePool.close()]);
  }

  /**
   * XNAT sets a JSESSIONID when it opened a session for the request: the one sent had ended
   * (timeout, restart) and the Basic credentials beside it logged in again. That session replaces
   * the stored one, so XNAT opens one per credential and not one per request. On a 401 the
   * session is one a login refused at XNAT's session cap opened.
   */
  private async adoptSession(auth: BasicAuth, sent: string | undefined, response: Dispatcher.ResponseData): Promise<void> {
    const fresh = sessionSetBy(response);
    if (!fresh || fresh === sent) return;
    const key = this.sessions.keyOf(auth);
    if (response.statusCode === 401) {
      await response.body.dump();
      if (sent) this.sessions.drop(key, sent);
      this.sessions.noteRefused(key, fresh);
      throw sessionCapReached();
    }
    if (!this.sessions.adopt(key, sent, fresh)) this.endInBackground(fresh);
  }

  /** Ends a session at XNAT in the background (DELETE /data/JSESSION with its cookie alone). */
  private endInBackground(id: string): void {
    const ended = this.pool
      .request({
        method: 'DELETE',
        path: `${this.prefix}${sessionPath}`,
        headers: { cookie: `JSESSIONID=${id}` },
        signal: AbortSignal.timeout(2_000),
      })
      .then((response) => response.body.dump())
      .catch(() => {})
      .finally(() => this.ending.delete(ended));
    this.ending.add(ended);
  }

  /** Ends a session the store stopped using once requests already sent with it had their time. */
  private retire(id: string): void {
    const timer = setTimeout(() => {
      this.retiring.delete(id);
      this.endInBackground(id);
    }, this.options.timeoutMs);
    timer.unref();
    this.retiring.set(id, timer);
  }

  private async send(auth: XnatAuth, request: XnatRequest, session: string | undefined): Promise<Dispatcher.ResponseData> {
    const route = routeOf(request.path);
    const query = request.query ? encodeQuery(request.query) : '';
    const headers: Record<string, string> = { accept: 'application/json, */*', ...request.headers };
    const authorization = authorizationHeader(auth);
    // Basic rides along with the session (as pyxnat does): XNAT skips it while the session lives.
    if (authorization) headers['authorization'] = authorization;
    if (session) headers['cookie'] = `JSESSIONID=${session}`;
    const started = performance.now();
    let status = 0;
    // Waiting for a free connection counts against the request's own bound (undici starts its
    // headers timeout only once a request is on a socket). A streamed upload's answer comes only
    // after its whole body, so its deadline ends when undici starts reading the body; from there
    // undici's headers timeout (which runs while not sending) and body timeout bound it.
    const dispatcher = this.dispatcherFor(request);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.timeoutMs);
    if (dispatcher === this.uploadPool) (request.body as Readable).once('resume', () => clearTimeout(timer));
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    try {
      const response = await dispatcher.request({
        method: request.method,
        path: `${this.prefix}${request.path}${query ? `?${query}` : ''}`,
        headers,
        body: request.body ?? null,
        signal,
      });
      status = response.statusCode;
      return response;
    } catch (error) {
      if (deadline.signal.aborted && !request.signal?.aborted)
        throw Object.assign(new Error('XNAT gave no answer within the bound'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
      throw error;
    } finally {
      clearTimeout(timer);
      this.options.onResponse?.({ method: request.method, route, status, durationMs: performance.now() - started });
    }
  }

  private transportError(request: XnatRequest, error: unknown): unknown {
    if (request.signal?.aborted) return error;
    const route = routeOf(request.path);
    const code = (error as { code?: string }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return upstreamTimeout(request.method, route, this.options.timeoutMs);
    }
    if (code && isCertificateError(code)) {
      return upstreamError(
        `XNAT's TLS certificate is not trusted for ${request.method} ${route} (${code}): give its CA with --ca-file, or --insecure`,
      );
    }
    return upstreamError(`XNAT could not be reached for ${request.method} ${route} (${code ?? (error as Error).name})`);
  }

  /** The credential's JSESSIONID, logging in (`GET /data/JSESSION`) when it has none. */
  private sessionOf(auth: BasicAuth): Promise<string> {
    return this.sessions.obtain(this.sessions.keyOf(auth), () => this.login(auth));
  }

  private async login(auth: BasicAuth): Promise<string> {
    const key = this.sessions.keyOf(auth);
    const userKey = this.sessions.userKeyOf(auth);
    this.guard.check(userKey, key);
    const refused = this.sessions.refusedSession(key);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.send(auth, { method: 'GET', path: sessionPath, signal: AbortSignal.timeout(this.options.timeoutMs) }, refused);
    } catch (error) {
      throw this.transportError({ method: 'GET', path: sessionPath }, error);
    }
    const text = await response.body.text();
    const cookie = sessionSetBy(response);
    if (response.statusCode === 401) {
      if (!cookie) {
        this.guard.refused(userKey, key);
        throw credentialsRefused();
      }
      this.sessions.noteRefused(key, cookie);
      throw sessionCapReached();
    }
    if (response.statusCode < 200 || response.statusCode >= 300) throw errorForStatus(response.statusCode, 'GET', sessionPath, text);
    const id = cookie ?? text.trim();
    if (!id || isLoginPage(response, text)) throw upstreamError('XNAT did not open a session (GET /data/JSESSION answered no session id)');
    this.guard.accepted(userKey, key);
    return id;
  }
}
