import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_NAMES } from '../../src/emulator/index.js';
import { ADMIN, basic, startStack, type Stack } from '../support/stack.js';

/** The gateway tests run once per XNAT release project (vitest.config.ts): this one proves which. */
describe('the XNAT release these gateway tests run against', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is the one the test project names, as XNAT reports it', async () => {
    const expected = process.env['XNAT_TEST_RELEASE'] ?? PROFILE_NAMES[PROFILE_NAMES.length - 1]!;
    const info = (await (
      await fetch(`${stack.emulator.url}/xapi/siteConfig/buildInfo`, { headers: { authorization: basic(ADMIN) } })
    ).json()) as { version: string };
    expect(info.version.startsWith(expected)).toBe(true);
    expect(stack.emulator.profile.version).toBe(info.version);
  });
});
