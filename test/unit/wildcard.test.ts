import { describe, expect, it } from 'vitest';
import { wildcardMatcher } from '../../src/loaders/wildcard.js';
import { globMatches, wildcardMatches } from '../../src/emulator/listings/wildcard.js';

/** The reference: what a (slow on hostile input, but correct) regex says, on short random texts. */
function viaRegex(pattern: string, text: string, flags = ''): boolean {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, `s${flags}`).test(text);
}

function random(alphabet: string, length: number, seed: { n: number }): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    seed.n = (seed.n * 1103515245 + 12345) % 2 ** 31;
    out += alphabet[seed.n % alphabet.length];
  }
  return out;
}

describe('wildcard matching', () => {
  it('agrees with the regex reading of `*` on random patterns and texts', () => {
    const seed = { n: 7 };
    for (let i = 0; i < 3000; i++) {
      const pattern = random('ab*A', 1 + (i % 7), seed);
      const text = random('abB', i % 9, seed);
      expect(wildcardMatcher(pattern)(text), `${pattern} ~ ${text}`).toBe(viaRegex(pattern, text));
      expect(wildcardMatcher(pattern, { ignoreCase: true })(text), `${pattern} ~i ${text}`).toBe(viaRegex(pattern, text, 'i'));
      expect(wildcardMatches(pattern.split('*'), text), `${pattern} ~ ${text} (emulator)`).toBe(viaRegex(pattern, text));
      expect(wildcardMatches(pattern.split('*'), text, { contains: true, ignoreCase: true })).toBe(viaRegex(`*${pattern}*`, text, 'i'));
    }
  });

  it('file globs never let `*` cover a folder separator', () => {
    expect(globMatches('a*/b*', 'ax/by')).toBe(true);
    expect(globMatches('a*', 'ax/by')).toBe(false);
    expect(globMatches('*/*', 'a/b/c')).toBe(false);
    expect(globMatches('*.nii', 'scan.nii')).toBe(true);
  });
});
