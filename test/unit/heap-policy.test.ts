import { describe, expect, it } from 'vitest';
import { HeapPolicy } from '../../src/heap-policy.js';

const COMPACT = ['--heap-growing-percent=10'];
const V8_DEFAULT = ['--heap-growing-percent=0'];

function recorded(): { policy: HeapPolicy; flags: string[] } {
  const flags: string[] = [];
  return { policy: new HeapPolicy((flag) => flags.push(flag)), flags };
}

describe('the heap policy', () => {
  it('leaves V8 alone until it is enabled, transfers included', () => {
    const { policy, flags } = recorded();
    policy.transfer()();
    expect(flags).toEqual([]);
  });

  it('keeps the heap compact once enabled, and gives V8 its own sizing while any transfer is in flight', () => {
    const { policy, flags } = recorded();
    policy.enable();
    expect(flags).toEqual(COMPACT);

    const first = policy.transfer();
    const second = policy.transfer();
    expect(flags).toEqual([...COMPACT, ...V8_DEFAULT]);

    first();
    first();
    expect(flags, 'one transfer is still in flight, however often the first is ended').toEqual([...COMPACT, ...V8_DEFAULT]);
    second();
    expect(flags).toEqual([...COMPACT, ...V8_DEFAULT, ...COMPACT]);
  });

  it('enabled during a transfer, waits for it to end', () => {
    const { policy, flags } = recorded();
    const transfer = policy.transfer();
    policy.enable();
    expect(flags).toEqual([]);
    transfer();
    expect(flags).toEqual(COMPACT);
  });
});
