import type { XnatClient } from './client.js';
import { projectsPath } from './paths.js';

/**
 * `/readyz`: XNAT is ready when it answers an anonymous listing below 500 — a 401 from a
 * login-only XNAT is as good as a 200, while 502/503/504 are a proxy saying XNAT is gone. No
 * answer within the bound (or no connection) is not ready either, so a load balancer stops
 * sending traffic to a gateway whose XNAT is gone.
 */
export async function checkXnatReachable(xnat: XnatClient, timeoutMs: number): Promise<{ ready: boolean; status?: number; reason?: string }> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await xnat.request({ kind: 'anonymous' }, { method: 'GET', path: projectsPath, query: { format: 'json', columns: 'ID' }, signal, lane: 'probe' });
    await response.body.dump();
    return { ready: response.statusCode < 500, status: response.statusCode };
  } catch (error) {
    return { ready: false, reason: signal.aborted ? `XNAT did not answer within ${timeoutMs} ms` : (error as Error).message };
  }
}
