import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { checksCsrfToken, isInteractiveAgent, LOGIN_URL } from './agents.js';
import { type Accounts, authenticate, LOGIN_FAILURE_MESSAGE, REALM } from './auth.js';
import { CostMeter, type CostModel } from './cost-model.js';
import type { FaultInjector, FaultRule } from './faults.js';
import { Query } from './query.js';
import type { RequestLog } from './request-log.js';
import { HttpError, sendStatusPage, sendText } from './responses.js';
import { handleArchive } from './routes/archive-routes.js';
import { handleTokenService, isTokenServicePath } from './routes/alias-token-routes.js';
import { parseRoute } from './routes/path.js';
import { Resolver } from './routes/resolve.js';
import { handleXapi } from './routes/xapi-routes.js';
import type { Sessions } from './sessions.js';
import type { Archive } from './store.js';
import type { VersionProfile } from './versions.js';

export interface ServerState {
  archive: Archive;
  accounts: Accounts;
  sessions: Sessions;
  requests: RequestLog;
  faults: FaultInjector;
  latencyMs: number;
  /** Waits as long as a real XNAT works on each request (off when absent). */
  cost?: CostModel;
  profile: VersionProfile;
}

/** What an expired session behind a proxy answers instead of data: XNAT's login page, as 200. */
const LOGIN_PAGE =
  '<!DOCTYPE html>\n<html><head><title>XNAT -- Login</title></head><body>' +
  '<form name="form1" method="post" action="/login"><input type="text" name="username"/>' +
  '<input type="password" name="password"/><input type="submit" value="Login"/></form></body></html>';

/** Answers a fault rule's canned failure; false when the rule only delays the real answer. */
async function answerFault(req: IncomingMessage, res: ServerResponse, fault: FaultRule): Promise<boolean> {
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.body === 'drop') {
    req.socket.destroy();
    return true;
  }
  if (fault.body === 'lose-answer') {
    // The work is done as usual; the connection closes the moment the answer would start.
    res.writeHead = (() => {
      req.socket.destroy();
      return res;
    }) as typeof res.writeHead;
    return false;
  }
  if (fault.body === 'html-login') {
    sendText(res, 200, LOGIN_PAGE, 'text/html');
    return true;
  }
  if (fault.body === 'malformed-json') {
    sendText(res, 200, '{"ResultSet":{"Result":[{"ID":"', 'application/json');
    return true;
  }
  if (fault.status) {
    const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
    sendStatusPage(res, fault.status, `Injected fault ${fault.status}`, headers);
    return true;
  }
  return false;
}

function sessionCookie(id: string): string {
  return `JSESSIONID=${id}; Path=/; HttpOnly`;
}

/**
 * No credentials (or a dead session without them): XnatAuthenticationEntryPoint's challenge.
 * Refused credentials: XnatBasicAuthenticationFilter's `sendError(401, loginFailureMessage)`,
 * with no challenge — and with the cookie of the session a login refused at the session cap
 * opened, as the servlet container sets it when the session is created.
 */
function unauthorized(res: ServerResponse, reason: 'no-credentials' | 'refused', newSession?: string): void {
  if (reason === 'no-credentials') return sendStatusPage(res, 401, 'Login required', { 'WWW-Authenticate': `Basic realm="${REALM}"` });
  sendStatusPage(res, 401, LOGIN_FAILURE_MESSAGE, newSession ? { 'Set-Cookie': sessionCookie(newSession) } : {});
}

/**
 * GET|POST /data/JSESSION answers the request's session id (authentication opened one if needed),
 * followed by `; XNAT_CSRF=<token>` when asked with `CSRF=true` (`UserSession.represent`); DELETE
 * ends it.
 */
function handleSession(state: ServerState, req: IncomingMessage, res: ServerResponse, sessionId: string, rawQuery: string) {
  if (req.method === 'DELETE') {
    state.sessions.close(sessionId);
    return sendText(res, 200, '');
  }
  if (req.method !== 'GET' && req.method !== 'POST') throw new HttpError(405, 'Method not allowed');
  const withToken = new URLSearchParams(rawQuery).get('CSRF') === 'true';
  sendText(res, 200, withToken ? `${sessionId}; XNAT_CSRF=${state.sessions.csrfToken(sessionId)}` : sessionId, 'text/plain');
}

/**
 * `XnatSecureGuard.authenticate` → `SecureAction.isCsrfTokenOk(request, false)`: a browser's
 * POST, PUT or DELETE to the REST API must carry its session's token as the `XNAT_CSRF`
 * parameter. A Basic-authenticated browser request has a new session whose token it cannot know,
 * so its writes always fail. The guard wraps the `InvalidCsrfException` in a RuntimeException,
 * which Restlet's status filter answers with 500.
 */
function csrfTokenOk(state: ServerState, req: IncomingMessage, sessionId: string, rawQuery: string): boolean {
  if (!['POST', 'PUT', 'DELETE'].includes(req.method ?? 'GET') || !checksCsrfToken(req.headers['user-agent'])) return true;
  const token = state.sessions.csrfToken(sessionId);
  const sent = new URLSearchParams(rawQuery).get('XNAT_CSRF');
  return token !== undefined && sent !== null && sent.toLowerCase() === token.toLowerCase();
}

/**
 * SiteConfigApi.getBuildInfo, XnatAppInfo's build properties (1.7 on;
 * `/data/version` was removed before 1.7.0 and answers 404).
 */
function handleBuildInfo(state: ServerState, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET') throw new HttpError(405, 'Method not allowed');
  const { version, buildNumber, buildDate } = state.profile;
  const info = { version, buildNumber, buildDate, timestamp: String(Date.parse(buildDate) || 0), sha: 'emulator', dirty: 'false' };
  sendText(res, 200, JSON.stringify(info), 'application/json');
}

async function route(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  rawQuery: string,
  setUser: (login: string) => void,
  cost: CostMeter,
) {
  if (!/^\/(data|REST|xapi)(\/|$)/.test(pathname)) throw new HttpError(404, 'Not Found');
  // XNAT's security filter runs before any REST route: an unauthenticated request gets 401 even
  // when its path is malformed or unknown.
  const auth = authenticate(req, state.accounts, state.sessions);
  if (
    !auth.ok &&
    auth.reason === 'no-credentials' &&
    /^\/(data|REST)(\/|$)/.test(pathname) &&
    isInteractiveAgent(req.headers['user-agent'])
  ) {
    res.writeHead(302, { location: LOGIN_URL }).end();
    return;
  }
  if (!auth.ok) return unauthorized(res, auth.reason, auth.newSession);
  if (auth.newSession) res.setHeader('Set-Cookie', sessionCookie(auth.sessionId));
  setUser(auth.user.login);
  if (pathname === '/xapi/siteConfig/buildInfo') return handleBuildInfo(state, req, res);
  if (pathname.startsWith('/xapi/')) {
    return handleXapi(
      { req, res, user: auth.user, sessionId: auth.sessionId, accounts: state.accounts, sessions: state.sessions },
      pathname,
    );
  }
  if (!csrfTokenOk(state, req, auth.sessionId, rawQuery)) throw new HttpError(500, 'Internal Server Error');
  if (isTokenServicePath(pathname)) return handleTokenService(res, req.method ?? 'GET', pathname, auth.user, state.accounts);
  const target = parseRoute(pathname, state.profile.filePaths);
  if (target.kind === 'unknown') throw new HttpError(404, 'Not Found');
  if (target.kind === 'jsession') return handleSession(state, req, res, auth.sessionId, rawQuery);
  const query = new Query(rawQuery);
  const resolver = new Resolver(state.archive, auth.user);
  if (target.kind === 'accessibility') {
    // ProjectAccessibilityResource: the project's level as text, for any user who can see it.
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Method not allowed');
    return sendText(res, 200, resolver.project(target.project).accessibility);
  }
  await handleArchive({ req, res, archive: state.archive, user: auth.user, query, resolver, cost }, target.path);
}

/** The emulator's request listener: log, latency, faults, authentication, then the REST routes. */
export function createRequestListener(state: ServerState): RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const pathname = mark < 0 ? url : url.slice(0, mark);
    const rawQuery = mark < 0 ? '' : url.slice(mark + 1);
    const method = req.method ?? 'GET';
    const userAgent = req.headers['user-agent'];
    const entry = state.requests.open({ method, path: pathname, query: rawQuery, ...(userAgent !== undefined ? { userAgent } : {}) }, () =>
      res.headersSent ? res.statusCode : 0,
    );
    res.once('close', () => entry.settle());
    const handle = async () => {
      if (state.latencyMs > 0) await sleep(state.latencyMs);
      const fault = state.faults.take(method, pathname);
      if (fault && (await answerFault(req, res, fault))) return;
      const cost = new CostMeter(state.cost, res);
      await cost.arrive();
      await route(state, req, res, pathname, rawQuery, entry.setUser, cost);
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) return sendStatusPage(res, error.status, error.message, error.headers);
      process.stderr.write(`xnat emulator: ${method} ${url} failed: ${(error as Error)?.stack ?? String(error)}\n`);
      sendStatusPage(res, 500, 'Internal Server Error');
    });
  };
}
