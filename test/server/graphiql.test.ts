import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN, startStack, type Stack } from '../support/stack.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';

const run = chromiumAvailable ? describe : describe.skip;

function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
}

/** GraphiQL in a real headless browser: it must render and run queries without reaching the internet. */
run('GraphiQL at GET /graphql', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack({ gateway: { credentials: ADMIN } });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('renders the editor offline with the archive query and runs it', async () => {
    const context = await browser.newContext();
    const external: string[] = [];
    const local: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (isLoopback(url)) {
        local.push(url);
        return route.continue();
      }
      external.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      const response = await page.goto(stack.gateway.graphqlUrl, { waitUntil: 'load', timeout: 30_000 });
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toMatch(/text\/html/);

      await page.locator('.graphiql-container').first().waitFor({ state: 'visible', timeout: 20_000 });
      const editor = page
        .locator('.graphiql-query-editor .CodeMirror, .graphiql-query-editor .monaco-editor, .graphiql-editor .cm-editor')
        .first();
      await editor.waitFor({ state: 'visible', timeout: 20_000 });
      await expect.poll(() => editor.innerText(), { timeout: 10_000 }).toContain('projects');

      await page.locator('.graphiql-execute-button').click();
      const result = page.locator('.graphiql-response, .result-window').first();
      await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('"label"');
      const text = await result.innerText();
      expect(text).toMatch(/ADNI_DEMO|PRIV_ONC|"test"/);
      expect(text).not.toContain('"errors"');

      // The interception saw the page and the query it ran, so an empty `external` means something.
      expect(local.filter((url) => url.startsWith(stack.gateway.graphqlUrl)).length).toBeGreaterThanOrEqual(2);
      expect(external, `requests that tried to leave the machine: ${external.join(', ')}`).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
