import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN, basic, GUEST, startStack, type Stack } from '../support/stack.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';

/**
 * Browser sign-in at /login: a cookie naming a server-side session, never the password; GraphiQL
 * runs with the signed-in user's rights and says who that is; signing out ends it; another site
 * cannot act with the cookie.
 */

const runBrowser = chromiumAvailable ? describe : describe.skip;

async function signIn(gatewayUrl: string, user: string, password: string): Promise<Response> {
  return fetch(`${gatewayUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
}

function cookieOf(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function projectsWith(gatewayUrl: string, cookie: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ query: '{ projects { nodes { label } } }' }),
  });
  return { status: response.status, body: await response.json() };
}

const labels = (body: any): string[] => body.data.projects.nodes.map((p: { label: string }) => p.label);

describe('sign-in over HTTP', () => {
  let open: Stack;
  let withDefault: Stack;
  beforeAll(async () => {
    open = await startStack();
    withDefault = await startStack({ gateway: { credentials: ADMIN } });
  });
  afterAll(async () => {
    await open?.close();
    await withDefault?.close();
  });

  it('sets an HttpOnly, SameSite=Strict cookie that names a session and carries no password', async () => {
    const response = await signIn(open.gateway.url, 'admin', 'admin');
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/);
    const value = cookieOf(response).split('=')[1]!;
    expect(value.length).toBeGreaterThanOrEqual(40);
    expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain('admin');
    const { body } = await projectsWith(open.gateway.url, cookieOf(response));
    expect(labels(body)).toContain('PRIV_ONC');
  });

  it('signs in with an XNAT alias token as the token’s user, keeping neither alias nor secret in the cookie', async () => {
    const issued = await fetch(`${open.emulator.url}/data/services/tokens/issue`, { headers: { authorization: basic(ADMIN) } });
    const token = (await issued.json()) as { alias: string; secret: string };
    const response = await signIn(open.gateway.url, token.alias, token.secret);
    expect(response.status).toBe(200);
    const value = Buffer.from(cookieOf(response).split('=')[1]!, 'base64url').toString('latin1');
    expect(value).not.toContain(token.alias);
    expect(value).not.toContain(token.secret);
    const { body } = await projectsWith(open.gateway.url, cookieOf(response));
    expect(labels(body)).toContain('PRIV_ONC');
  });

  it('refuses a wrong password with 401 and sets no cookie', async () => {
    const response = await signIn(open.gateway.url, 'admin', 'wrong');
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('takes JSON only, so no HTML form on another site can sign a browser in', async () => {
    const response = await fetch(`${open.gateway.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=admin&password=admin',
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('with a default user, signing in switches to the user’s own rights', async () => {
    const before = await projectsWith(withDefault.gateway.url, '');
    expect(labels(before.body)).toContain('PRIV_ONC');
    const cookie = cookieOf(await signIn(withDefault.gateway.url, GUEST.user, GUEST.password));
    const after = await projectsWith(withDefault.gateway.url, cookie);
    expect(labels(after.body)).not.toContain('PRIV_ONC');
    expect(labels(after.body)).toContain('test');
    expect(await (await fetch(`${withDefault.gateway.url}/session`, { headers: { cookie } })).json()).toEqual({
      user: 'guest',
      signedIn: true,
    });
  });

  it('logout ends the session: the old cookie no longer authenticates', async () => {
    const cookie = cookieOf(await signIn(open.gateway.url, 'admin', 'admin'));
    expect((await projectsWith(open.gateway.url, cookie)).status).toBe(200);
    const out = await fetch(`${open.gateway.url}/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await projectsWith(open.gateway.url, cookie);
    expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('sets the cookie Secure behind an https proxy', async () => {
    const response = await fetch(`${open.gateway.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ user: 'guest', password: 'guest' }),
    });
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
  });
});

runBrowser('sign-in in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;

  beforeAll(async () => {
    // No default user: without signing in, XNAT sees an anonymous request.
    stack = await startStack();
    browser = await launchChromium();
    // Another site (localhost is not the same site as 127.0.0.1) with forms aimed at the gateway.
    const mutation = JSON.stringify({ query: 'mutation { createResource(parent: "WyJQIiwidGVzdCJd", label: "csrf") { id } }' });
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><body>
        <iframe name="sink"></iframe>
        <form id="plain" method="POST" action="${stack.gateway.graphqlUrl}" enctype="text/plain" target="sink">
          <input name='${mutation.slice(0, -1)}, "x": "' value='"}'></form>
        <form id="multi" method="POST" action="${stack.gateway.graphqlUrl}" enctype="multipart/form-data" target="sink">
          <input name="operations" value='${mutation}'><input name="map" value="{}"></form>
        <script>document.getElementById('plain').submit(); setTimeout(() => document.getElementById('multi').submit(), 300);</script>
      </body>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await stack?.close();
  });

  /** A browser context that reaches only this machine (GraphiQL must work offline). */
  async function offlineContext() {
    const context = await browser.newContext();
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      return hostname === '127.0.0.1' || hostname === 'localhost' ? route.continue() : route.abort('blockedbyclient');
    });
    return context;
  }

  async function runGraphiQL(page: Page): Promise<string> {
    await page.locator('.graphiql-container').first().waitFor({ state: 'visible', timeout: 30_000 });
    const editor = page
      .locator('.graphiql-query-editor .CodeMirror, .graphiql-query-editor .monaco-editor, .graphiql-editor .cm-editor')
      .first();
    await editor.waitFor({ state: 'visible', timeout: 30_000 });
    // GraphiQL keeps the last query in the browser's storage: type it only the first time.
    if (!(await editor.innerText()).includes('projects')) {
      await editor.click();
      await page.keyboard.insertText('{ projects { nodes { label } } }');
    }
    await expect.poll(() => editor.innerText(), { timeout: 30_000 }).toContain('projects');
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.graphiql-response, .result-window').first();
    await expect.poll(() => result.innerText(), { timeout: 60_000 }).toMatch(/"label"|"errors"/);
    return result.innerText();
  }

  async function signInOnPage(page: Page, user: string, password: string): Promise<void> {
    await page.fill('#user', user);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(/\/graphql$/, { timeout: 30_000 }), page.click('button[type=submit]')]);
  }

  it('signs in from GraphiQL, runs queries with the user’s rights, shows who is signed in, and signs out', async () => {
    const context = await offlineContext();
    const page = await context.newPage();
    try {
      await page.goto(stack.gateway.graphqlUrl, { timeout: 60_000 });
      const bar = page.locator('#xg-signin');
      await expect.poll(() => bar.innerText(), { timeout: 30_000 }).toContain('Not signed in');
      await Promise.all([page.waitForURL(/\/login\?next=/), page.click('#xg-signin-link')]);

      await signInOnPage(page, 'admin', 'admin');
      await expect.poll(() => bar.innerText(), { timeout: 30_000 }).toContain('Signed in as admin');
      const asAdmin = await runGraphiQL(page);
      expect(asAdmin).toContain('PRIV_ONC');
      expect(asAdmin).not.toContain('"errors"');

      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      expect(cookie!.value).not.toContain('admin');

      await Promise.all([page.waitForURL(/\/login/, { timeout: 30_000 }), page.click('#xg-signout')]);
      await page.locator('#password').waitFor({ state: 'visible' });
      expect(await context.cookies()).toEqual([]);

      await signInOnPage(page, 'guest', 'guest');
      await expect.poll(() => bar.innerText(), { timeout: 30_000 }).toContain('Signed in as guest');
      const asGuest = await runGraphiQL(page);
      expect(asGuest).toContain('"test"');
      expect(asGuest).not.toContain('PRIV_ONC');

      await Promise.all([page.waitForURL(/\/login/, { timeout: 30_000 }), page.click('#xg-signout')]);
      await expect(page.locator('#user').isVisible()).resolves.toBe(true);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('a form on another site cannot act with the sign-in cookie', async () => {
    const context = await offlineContext();
    const page = await context.newPage();
    try {
      await page.goto(`${stack.gateway.url}/login`, { timeout: 60_000 });
      await signInOnPage(page, 'admin', 'admin');
      stack.emulator.requests.clear();
      await page.goto(attackerUrl);
      await page.waitForTimeout(1_500);
      const writes = stack.emulator.requests.entries().filter((e) => e.method !== 'GET');
      expect(writes).toEqual([]);
      const check = await stack.graphql('{ project(id: "test") { resource(label: "csrf") { id } } }');
      expect(check.data.project.resource).toBeNull();
    } finally {
      await context.close();
    }
  }, 60_000);
});
