import { describe, expect, it } from 'vitest';
import { LoginGuard } from '../../src/xnat/login-guard.js';

function guard(maxFailures = 3, coolDownMs = 1000) {
  let now = 0;
  const g = new LoginGuard({ maxFailures, coolDownMs, now: () => now });
  return { g, advance: (ms: number) => (now += ms) };
}

const refusedLocally = (f: () => void) =>
  expect(f).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));

describe('LoginGuard', () => {
  it('refuses a credential XNAT refused until the cool-down has passed', () => {
    const { g, advance } = guard();
    g.refused('u', 'c1');
    refusedLocally(() => g.check('u', 'c1'));
    expect(() => g.check('u', 'c2')).not.toThrow();
    advance(1001);
    expect(() => g.check('u', 'c1')).not.toThrow();
  });

  it('after maxFailures refusals in a row lets only credentials XNAT accepted before through, until the cool-down passes', () => {
    const { g, advance } = guard();
    g.accepted('u', 'good');
    for (const c of ['a', 'b', 'c']) g.refused('u', c);
    refusedLocally(() => g.check('u', 'd'));
    expect(() => g.check('u', 'good')).not.toThrow();
    expect(() => g.check('other', 'x')).not.toThrow();
    advance(999);
    refusedLocally(() => g.check('u', 'd'));
    advance(2);
    expect(() => g.check('u', 'd')).not.toThrow();
  });

  it('an accepted login clears the count', () => {
    const { g } = guard();
    g.refused('u', 'a');
    g.refused('u', 'b');
    g.accepted('u', 'good');
    g.refused('u', 'c');
    expect(() => g.check('u', 'd')).not.toThrow();
  });

  it('maxFailures 0 never refuses', () => {
    const { g } = guard(0);
    for (const c of ['a', 'b', 'c', 'd']) g.refused('u', c);
    expect(() => g.check('u', 'a')).not.toThrow();
  });
});
