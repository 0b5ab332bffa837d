import { describe, expect, it } from 'vitest';
import {
  defaultRetryPolicy,
  isDroppedConnection,
  isRetriableMethod,
  isTransientStatus,
  parseRetryAfter,
  retryDelayMs,
} from '../../src/xnat/retry.js';

describe('retry policy', () => {
  it('retries only safe reads, and only on proxy statuses or dropped connections', () => {
    expect(isRetriableMethod('GET')).toBe(true);
    expect(isRetriableMethod('PUT')).toBe(false);
    expect(isRetriableMethod('POST')).toBe(false);
    expect(isRetriableMethod('DELETE')).toBe(false);
    expect([500, 502, 503, 504, 404].map(isTransientStatus)).toEqual([false, true, true, true, false]);
    expect(isDroppedConnection({ code: 'UND_ERR_SOCKET' })).toBe(true);
    expect(isDroppedConnection({ cause: { code: 'ECONNRESET' } })).toBe(true);
    expect(isDroppedConnection({ code: 'UND_ERR_HEADERS_TIMEOUT' })).toBe(false);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:02 GMT', now)).toBe(2000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('backs off with full jitter under a growing ceiling, honouring Retry-After up to the maximum', () => {
    expect(retryDelayMs(defaultRetryPolicy, 0, undefined, () => 1)).toBe(100);
    expect(retryDelayMs(defaultRetryPolicy, 1, undefined, () => 1)).toBe(200);
    expect(retryDelayMs(defaultRetryPolicy, 1, undefined, () => 0)).toBe(0);
    expect(retryDelayMs(defaultRetryPolicy, 10, undefined, () => 1)).toBe(5000);
    expect(retryDelayMs(defaultRetryPolicy, 0, 1500)).toBe(1500);
    expect(retryDelayMs(defaultRetryPolicy, 0, 60_000)).toBe(5000);
  });
});
