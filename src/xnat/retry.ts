/** When and how long to wait before asking XNAT again. Only safe reads are ever retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 2, baseDelayMs: 100, maxDelayMs: 5_000 };

/** Statuses a proxy in front of XNAT answers while XNAT restarts or is overloaded. */
const transientStatuses = new Set([502, 503, 504]);

export function isRetriableMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

export function isTransientStatus(status: number): boolean {
  return transientStatuses.has(status);
}

/** undici's codes for a connection that broke before an answer arrived. */
const droppedConnectionCodes = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED', 'ECONNREFUSED']);

export function isDroppedConnection(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  const cause = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return droppedConnectionCodes.has(code ?? '') || droppedConnectionCodes.has(cause ?? '');
}

/** Seconds or an HTTP date, as Retry-After allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full-jitter exponential backoff, or what XNAT asked for, never past the policy's ceiling. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}
