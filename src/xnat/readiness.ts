import type { XnatClient } from './client.js';
import type { XnatAuth } from './auth.js';
import { projectsPath } from './paths.js';

export interface XnatReadiness {
  ready: boolean;
  status?: number;
  /** Why not ready, in words an operator can act on. */
  reason?: string;
}

/** XNAT answers a listing as `{"ResultSet": {"Result": [...]}}`; anything else is some other server. */
function isResultSet(text: string): boolean {
  try {
    const body = JSON.parse(text) as { ResultSet?: { Result?: unknown } };
    return Array.isArray(body?.ResultSet?.Result);
  } catch {
    return false;
  }
}

/**
 * `/readyz` and the start-up check: XNAT is ready when it answers an anonymous project listing
 * below 500 — a 401 from a login-only XNAT is as good as a 200, while 502/503/504 are a proxy
 * saying XNAT is gone. A 200 that is not an XNAT listing means the URL names some other server.
 * No answer within the bound (or no connection) is not ready either, so a load balancer stops
 * sending traffic to a gateway whose XNAT is gone. `/readyz` asks anonymously; the start-up
 * check asks with the configured credentials, so that XNAT refusing them is reported too.
 */
export async function checkXnatReachable(
  xnat: XnatClient,
  timeoutMs: number,
  auth: XnatAuth = { kind: 'anonymous' },
): Promise<XnatReadiness> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await xnat.request(auth, {
      method: 'GET',
      path: projectsPath,
      query: { format: 'json', columns: 'ID' },
      signal,
      lane: 'probe',
    });
    const status = response.statusCode;
    if (status < 200 || status >= 300) {
      await response.body.dump();
      return status < 500 ? { ready: true, status } : { ready: false, status, reason: `XNAT answered GET ${projectsPath} with ${status}` };
    }
    if (!isResultSet(await response.body.text())) {
      return {
        ready: false,
        status,
        reason: `the server does not look like XNAT: GET ${projectsPath}?format=json did not answer an XNAT listing`,
      };
    }
    return { ready: true, status };
  } catch (error) {
    return { ready: false, reason: signal.aborted ? `XNAT did not answer within ${timeoutMs} ms` : (error as Error).message };
  }
}
