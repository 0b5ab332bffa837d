import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { sendError } from '../errors.js';

export interface IncomingTimeouts {
  /** Until a request's headers are complete. */
  headersTimeoutMs: number;
  /** Until a request body (other than an upload) is complete. */
  requestTimeoutMs: number;
  /** Longest silence while an upload's body arrives: uploads may be long, but not silent. */
  bodyIdleTimeoutMs: number;
}

/** Header and connection bounds of the listening server (Node checks them on an interval). */
export function applyServerTimeouts(server: Server, timeouts: IncomingTimeouts, maxConnections: number): void {
  server.headersTimeout = timeouts.headersTimeoutMs;
  // Node's own requestTimeout would cut long uploads too; bodies are bounded per request below.
  server.requestTimeout = 0;
  server.maxConnections = maxConnections;
}

/**
 * Bounds the arrival of one request's body: as a whole for ordinary requests, by the longest
 * silence for uploads. A request past its bound is answered 408 when nothing was sent yet, and
 * its connection closed.
 */
export function boundRequestBody(
  req: IncomingMessage,
  res: ServerResponse,
  upload: boolean,
  timeouts: IncomingTimeouts,
  onCut: (reason: string) => void,
): void {
  if (req.complete) return;
  const cut = (reason: string) => {
    onCut(reason);
    if (!res.headersSent) {
      sendError(res, 'BAD_USER_INPUT', `The request body ${reason}.`, { status: 408, headers: { connection: 'close' } });
    }
    req.destroy();
  };
  // Uploads: silence on the socket (a 'data' listener would switch the body to flowing mode
  // before its reader is attached). Others: one deadline for the whole body.
  const timer = upload
    ? undefined
    : setTimeout(() => cut(`did not arrive within ${timeouts.requestTimeoutMs} ms`), timeouts.requestTimeoutMs);
  if (upload) req.setTimeout(timeouts.bodyIdleTimeoutMs, () => cut(`sent nothing for ${timeouts.bodyIdleTimeoutMs} ms`));
  const done = () => {
    clearTimeout(timer);
    if (upload && !req.socket.destroyed) req.socket.setTimeout(0);
  };
  req.once('end', done);
  req.once('close', done);
  res.once('close', done);
}
