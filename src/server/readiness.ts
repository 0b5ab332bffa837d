import type { XnatClient } from '../xnat/client.js';

/**
 * `/readyz`: XNAT is reachable when it answers anything at all to an anonymous listing — a 401
 * from a login-only XNAT is as good as a 200. No answer within the bound (or no connection) is
 * 503, so a load balancer stops sending traffic to a gateway whose XNAT is gone.
 */
export async function checkXnatReachable(xnat: XnatClient, timeoutMs: number): Promise<{ ready: boolean; status?: number; reason?: string }> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await xnat.request({ kind: 'anonymous' }, { method: 'GET', path: '/data/projects', query: { format: 'json', columns: 'ID' }, signal });
    await response.body.dump();
    return { ready: true, status: response.statusCode };
  } catch (error) {
    return { ready: false, reason: signal.aborted ? `XNAT did not answer within ${timeoutMs} ms` : (error as Error).message };
  }
}
