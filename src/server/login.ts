import type { IncomingMessage, ServerResponse } from 'node:http';
import { codeOf, type ErrorCode, httpStatusOf, sendError } from '../errors.js';
import type { XnatClient } from '../xnat/client.js';
import { type BrowserSessions, clearedSessionCookie, sessionCookie } from './browser-sessions.js';
import { resolveAuth } from './credentials.js';

/**
 * Browser sign-in: `GET /login` (the page), `POST /login` (JSON `{user, password}`: the gateway
 * opens the user's XNAT session, keeps the credential server-side and sets a cookie naming it),
 * `POST /logout` (ends both), `GET /session` (who this browser acts as, for GraphiQL and the
 * dashboard). A sign-in takes JSON only: another site cannot send JSON without a CORS preflight,
 * which the gateway does not grant, so no other page can sign a browser in or act with its cookie.
 */
export interface LoginDeps {
  xnat: XnatClient;
  browsers: BrowserSessions;
  credentials: { user: string; password: string } | undefined;
  /** Set the cookie Secure: the gateway is reached over https. */
  secure(req: IncomingMessage): boolean;
}

const MAX_BODY = 16 * 1024;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
    .end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendError(res, code, message, { status, headers: { 'cache-control': 'no-store' } });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function signIn(req: IncomingMessage, res: ServerResponse, deps: LoginDeps): Promise<void> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return refuse(res, 415, 'BAD_USER_INPUT', 'Sign in with a JSON body {"user", "password"}.');
  }
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return refuse(res, 400, 'BAD_USER_INPUT', 'The body is not a JSON object of at most 16 KiB.');
  }
  const { user, password } = (body ?? {}) as { user?: unknown; password?: unknown };
  if (typeof user !== 'string' || typeof password !== 'string' || user === '' || user.includes(':')) {
    return refuse(res, 400, 'BAD_USER_INPUT', 'Give a user (or alias token) and a password (or token secret).');
  }
  const auth = { kind: 'basic' as const, user, password };
  try {
    await deps.xnat.openSession(auth);
  } catch (error) {
    const thrown = codeOf(error);
    const code = thrown === 'INTERNAL_SERVER_ERROR' ? 'UPSTREAM_ERROR' : thrown;
    // Any other refusal of a login is XNAT misbehaving, not the browser's mistake.
    const status = code === 'UNAUTHENTICATED' || code === 'UPSTREAM_TIMEOUT' ? httpStatusOf(code) : 502;
    return refuse(res, status, code, code === 'UNAUTHENTICATED' ? 'XNAT refused that user and password.' : (error as Error).message);
  }
  deps.browsers.end(req.headers);
  const id = deps.browsers.create(auth);
  json(res, 200, { user }, { 'set-cookie': sessionCookie(id, deps.secure(req)) });
}

async function signOut(req: IncomingMessage, res: ServerResponse, deps: LoginDeps): Promise<void> {
  const auth = deps.browsers.end(req.headers);
  if (auth) await deps.xnat.endSession(auth);
  const cleared = { 'set-cookie': clearedSessionCookie(deps.secure(req)) };
  if (/text\/html/.test(req.headers.accept ?? '')) {
    res.writeHead(303, { location: '/login', 'cache-control': 'no-store', ...cleared }).end();
    return;
  }
  json(res, 200, { user: null }, cleared);
}

/** Who the browser acts as: its own sign-in, the gateway's configured user, or nobody. */
function sessionInfo(req: IncomingMessage, res: ServerResponse, deps: LoginDeps): void {
  const signedIn = deps.browsers.authOf(req.headers);
  if (signedIn) return json(res, 200, { user: signedIn.user, signedIn: true });
  const auth = resolveAuth(req.headers, deps.credentials);
  json(res, 200, { user: auth?.kind === 'basic' ? auth.user : null, signedIn: false });
}

/** `/login`, `/logout` and `/session`. */
export async function serveLogin(req: IncomingMessage, res: ServerResponse, path: string, deps: LoginDeps): Promise<void> {
  if (path === '/login' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
    });
    res.end(req.method === 'HEAD' ? undefined : loginPage);
    return;
  }
  if (path === '/login' && req.method === 'POST') return signIn(req, res, deps);
  if (path === '/logout' && req.method === 'POST') return signOut(req, res, deps);
  if (path === '/session' && req.method === 'GET') return sessionInfo(req, res, deps);
  res.writeHead(405, { allow: path === '/logout' ? 'POST' : path === '/session' ? 'GET' : 'GET, POST' }).end();
}

const loginPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · xnat-graphql</title>
<style>
  body { font: 16px system-ui, sans-serif; background: #f4f6f8; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 2px 12px #0002; width: 20rem; display: grid; gap: .8rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
  label { display: grid; gap: .3rem; font-size: .9rem; color: #333; }
  input { font: inherit; padding: .5rem; border: 1px solid #bbb; border-radius: 4px; }
  button { font: inherit; padding: .6rem; border: 0; border-radius: 4px; background: #1f6feb; color: #fff; cursor: pointer; }
  #message { color: #b00020; min-height: 1.2em; font-size: .9rem; margin: 0; }
  p.hint { color: #666; font-size: .8rem; margin: 0; }
</style>
</head>
<body>
<form id="login">
  <h1>Sign in to XNAT</h1>
  <label>User (or alias token)<input name="user" id="user" autocomplete="username" required autofocus></label>
  <label>Password (or token secret)<input name="password" id="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
  <p id="message" role="alert"></p>
  <p class="hint">The gateway opens your XNAT session and keeps your password on the server; the browser gets only a session cookie.</p>
</form>
<script>
  const form = document.getElementById('login');
  const message = document.getElementById('message');
  const next = new URLSearchParams(location.search).get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/graphql';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    const body = JSON.stringify({ user: form.user.value, password: form.password.value });
    try {
      const response = await fetch('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (response.ok) return location.assign(target);
      const answer = await response.json().catch(() => ({}));
      message.textContent = answer.errors?.[0]?.message ?? 'Sign-in failed (' + response.status + ').';
    } catch (error) {
      message.textContent = 'The gateway did not answer: ' + error.message;
    }
  });
</script>
</body>
</html>
`;
