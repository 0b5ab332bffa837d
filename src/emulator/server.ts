import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate, REALM, type Sessions, type User } from './auth.js';
import { CostMeter, type CostModel } from './cost-model.js';
import type { FaultInjector, FaultRule } from './faults.js';
import { Query } from './query.js';
import type { RequestLog } from './request-log.js';
import { HttpError, sendStatusPage, sendText } from './responses.js';
import { handleArchive } from './routes/archive-routes.js';
import { parseRoute } from './routes/path.js';
import { Resolver } from './routes/resolve.js';
import type { Archive } from './store.js';
import type { VersionProfile } from './versions.js';

export interface ServerState {
  archive: Archive;
  users: readonly User[];
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

function unauthorized(res: ServerResponse): void {
  sendStatusPage(res, 401, 'Login required', { 'WWW-Authenticate': `Basic realm="${REALM}"` });
}

/** GET|POST /data/JSESSION opens (or reuses) a session; DELETE ends it. */
function handleSession(state: ServerState, req: IncomingMessage, res: ServerResponse, user: User, sessionId?: string) {
  if (req.method === 'DELETE') {
    if (sessionId) state.sessions.close(sessionId);
    return sendText(res, 200, '');
  }
  if (req.method !== 'GET' && req.method !== 'POST') throw new HttpError(405, 'Method not allowed');
  const id = sessionId ?? state.sessions.open(user);
  sendText(res, 200, id, 'text/plain', { 'Set-Cookie': `JSESSIONID=${id}; Path=/; HttpOnly` });
}

/**
 * The one XAPI call emulated: SiteConfigApi.getBuildInfo, XnatAppInfo's build properties (1.7 on;
 * `/data/version` was removed before 1.7.0 and answers 404).
 */
function handleXapi(state: ServerState, req: IncomingMessage, res: ServerResponse, pathname: string): void {
  if (pathname !== '/xapi/siteConfig/buildInfo') throw new HttpError(404, 'Not Found');
  if (req.method !== 'GET') throw new HttpError(405, 'Method not allowed');
  const { version, buildNumber, buildDate } = state.profile;
  const info = { version, buildNumber, buildDate, timestamp: String(Date.parse(buildDate) || 0), sha: 'emulator', dirty: 'false' };
  sendText(res, 200, JSON.stringify(info), 'application/json');
}

async function route(state: ServerState, req: IncomingMessage, res: ServerResponse, pathname: string, rawQuery: string, setUser: (login: string) => void, cost: CostMeter) {
  if (!/^\/(data|REST|xapi)(\/|$)/.test(pathname)) throw new HttpError(404, 'Not Found');
  // XNAT's security filter runs before any REST route: an unauthenticated request gets 401 even
  // when its path is malformed or unknown.
  const auth = authenticate(req, state.users, state.sessions);
  if (!auth.ok) return unauthorized(res);
  setUser(auth.user.login);
  if (pathname.startsWith('/xapi/')) return handleXapi(state, req, res, pathname);
  const target = parseRoute(pathname, state.profile.filePaths);
  if (target.kind === 'unknown') throw new HttpError(404, 'Not Found');
  if (target.kind === 'jsession') return handleSession(state, req, res, auth.user, auth.sessionId);
  const query = new Query(rawQuery);
  const resolver = new Resolver(state.archive, auth.user);
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
    const entry = state.requests.open({ method, path: pathname, query: rawQuery }, () =>
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
