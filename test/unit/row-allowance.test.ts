import { describe, expect, it } from 'vitest';
import { RequestStats, RowAllowance } from '../../src/xnat/archive.js';

const codeOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return undefined;
};

describe('the size guard over listings in flight together', () => {
  it('refuses a planned listing that would overshoot with what others in flight reserved, before it is sent', () => {
    const stats = new RequestStats(new RowAllowance(1000));
    stats.take(100);
    stats.reserve(600);
    expect(codeOf(() => stats.reserve(300))).toBeUndefined();
    // Nothing of the 900 reserved has been read yet: 100 read + 900 reserved + 100 > 1000.
    expect(codeOf(() => stats.reserve(100))).toBe('QUERY_TOO_LARGE');
  });

  it('sends no listing once the request has been refused, not even one that would fit', () => {
    const allowance = new RowAllowance(1000);
    const stats = new RequestStats(allowance);
    stats.take(100);
    expect(codeOf(() => stats.reserve(5000))).toBe('QUERY_TOO_LARGE');
    expect(codeOf(() => stats.reserve(10))).toBe('QUERY_TOO_LARGE');
    expect(codeOf(() => stats.countListing('resources'))).toBe('QUERY_TOO_LARGE');
    expect(stats.requests).toBe(0);
    // Writes (and the listings they make to check what they stored) are not reads of the answer.
    stats.count('upload');
    expect(stats.requests).toBe(1);
  });

  it('draws rows read from their reservation, and counts rows past the plan as read', () => {
    const allowance = new RowAllowance(1000);
    const stats = new RequestStats(allowance);
    const planned = stats.reserve(500);
    stats.take(200, planned);
    expect([allowance.used, allowance.reserved, planned.left]).toEqual([200, 300, 300]);
    stats.take(300, planned);
    stats.take(50, planned);
    expect([allowance.used, allowance.reserved, planned.left]).toEqual([550, 0, 0]);
    expect(codeOf(() => stats.take(451))).toBe('QUERY_TOO_LARGE');
  });

  it('gives back what a reservation did not bring, whether its listings ended early or failed', async () => {
    const allowance = new RowAllowance(1000);
    const stats = new RequestStats(allowance);
    await stats.reserved(800, async (reservation) => stats.take(100, reservation));
    expect([allowance.used, allowance.reserved]).toEqual([100, 0]);
    await expect(
      stats.reserved(800, async () => {
        throw new Error('XNAT went away');
      }),
    ).rejects.toThrow('XNAT went away');
    expect(allowance.reserved).toBe(0);
    expect(codeOf(() => stats.reserve(900))).toBeUndefined();
  });
});
