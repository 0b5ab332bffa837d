import { Pool, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { authorizationHeader, type XnatAuth } from './auth.js';
import { errorForStatus, upstreamError, upstreamTimeout } from './errors.js';
import { encodeQuery, routeOf } from './paths.js';
import { parseResultSet, type RawRow } from './resultset.js';

export interface XnatClientOptions {
  /** XNAT's root URL, possibly with a context path (https://host/xnat). */
  baseUrl: string;
  /** Bound on each request: whole request for tables, time-to-headers and body idle time for streams. */
  timeoutMs: number;
  maxConnections?: number;
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
}

/**
 * HTTP to one XNAT server over a keep-alive pool. Knows transport, auth and envelopes; what to
 * ask for is in archive.ts.
 */
export class XnatClient {
  readonly baseUrl: string;
  private readonly pool: Pool;
  private readonly prefix: string;

  constructor(private readonly options: XnatClientOptions) {
    const url = new URL(options.baseUrl);
    this.baseUrl = url.href.replace(/\/$/, '');
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.maxConnections ?? 32,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** A listing as rows of strings (XNAT's ResultSet JSON). Non-2xx and non-JSON answers throw GraphQLErrors. */
  async table(auth: XnatAuth, path: string, query: Record<string, string | undefined> = {}): Promise<RawRow[]> {
    const route = routeOf(path);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await this.request(auth, { method: 'GET', path, query: { ...query, format: 'json' }, signal: controller.signal });
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300) throw errorForStatus(response.statusCode, 'GET', route, text);
      return parseResultSet(text, route);
    } catch (error) {
      if (controller.signal.aborted) throw upstreamTimeout('GET', route, this.options.timeoutMs);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One raw request; the caller reads (or dumps) the body and judges the status. Transport
   * failures become UPSTREAM_TIMEOUT / UPSTREAM_ERROR GraphQLErrors.
   */
  async request(auth: XnatAuth, request: XnatRequest): Promise<Dispatcher.ResponseData> {
    const route = routeOf(request.path);
    const query = request.query ? encodeQuery(request.query) : '';
    const headers: Record<string, string> = { accept: 'application/json, */*', ...request.headers };
    const authorization = authorizationHeader(auth);
    if (authorization) headers['authorization'] = authorization;
    const started = performance.now();
    let status = 0;
    try {
      const response = await this.pool.request({
        method: request.method,
        path: `${this.prefix}${request.path}${query ? `?${query}` : ''}`,
        headers,
        body: request.body ?? null,
        signal: request.signal,
      });
      status = response.statusCode;
      return response;
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const code = (error as { code?: string }).code;
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
        throw upstreamTimeout(request.method, route, this.options.timeoutMs);
      }
      throw upstreamError(`XNAT could not be reached for ${request.method} ${route} (${code ?? (error as Error).name})`);
    } finally {
      this.options.onResponse?.({ method: request.method, route, status, durationMs: performance.now() - started });
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
