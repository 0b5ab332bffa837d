import { describe, expect, it } from 'vitest';
import { storedAs } from '../../src/xnat/stored-values.js';

describe('storedAs: a value read back from XNAT in its own spelling', () => {
  it('takes numbers, booleans and dates as XNAT prints them', () => {
    expect(storedAs('42', '42.0')).toBe(true);
    expect(storedAs('1e7', '1.0E7')).toBe(true);
    expect(storedAs('true', '1')).toBe(true);
    expect(storedAs('03/21/2017', '2017-03-21')).toBe(true);
    expect(storedAs('2017-03-21T14:05', '2017-03-21 14:05:00.0')).toBe(true);
    expect(storedAs('usable', 'usable')).toBe(true);
    expect(storedAs('', null)).toBe(true);
  });

  it('tells a value XNAT did not keep', () => {
    expect(storedAs('42', '42.5')).toBe(false);
    expect(storedAs('usable', null)).toBe(false);
    expect(storedAs('usable', 'questionable')).toBe(false);
    expect(storedAs('true', 'false')).toBe(false);
    expect(storedAs('2017-03-21', '2017-03-22')).toBe(false);
    expect(storedAs('', 'x')).toBe(false);
  });
});
