import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { ADMIN, startDashboardStack, xnatTable, type Stack } from './support.js';

const executablePath = '/usr/bin/chromium';
// On CI Chromium is installed, so a missing browser there is a failure, not a skip.
const run = existsSync(executablePath) || process.env.CI ? describe : describe.skip;

run('examples/dashboard served at /dashboard (serve --dashboard)', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startDashboardStack({ dashboard: true, credentials: ADMIN, cacheTtlMs: 60_000 });
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('renders per-project counts and sessions per modality per month equal to the emulator counts, from one query', async () => {
    const projects = (await xnatTable(stack, '/data/projects?columns=ID')).map((p) => p['ID']!);
    const expected = new Map<string, { subjects: number; sessions: Record<string, string>[] }>();
    for (const id of projects) {
      const subjects = await xnatTable(stack, `/data/projects/${id}/subjects?columns=ID`);
      const sessions = await xnatTable(stack, `/data/experiments?xsiType=xnat:imageSessionData&project=${id}&columns=ID,modality,date`);
      expected.set(id, { subjects: subjects.length, sessions });
    }

    stack.emulator.requests.clear();
    const page = await browser.newPage();
    const graphqlRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/graphql') graphqlRequests.push(r.method());
    });
    await page.goto(`${stack.gateway.url}/dashboard`);
    await page.waitForSelector('body[data-ready]');
    expect(await page.getAttribute('body', 'data-ready')).toBe('true');
    expect(graphqlRequests).toEqual(['POST']);
    // Cold, for every project at once: the projects; their subjects (the owners' listing, the share
    // probe and, as the demo shares subjects, each project's own listing); one scan summary of their sessions.
    const cold = stack.emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION').map((e) => e.path);
    const subjectListings = projects.map((id) => `/data/projects/${id}/subjects`);
    expect(cold.sort()).toEqual(['/data/experiments', '/data/projects', '/data/subjects', '/data/subjects', ...subjectListings].sort());

    const rows = await page.$$eval('#projects tbody tr', (trs) =>
      trs.map((tr) => ({
        project: (tr as HTMLElement).dataset.project!,
        subjects: Number(tr.querySelector('.subjects')!.textContent),
        sessions: Number(tr.querySelector('.sessions')!.textContent),
      })),
    );
    expect(rows.map((r) => r.project).sort()).toEqual([...projects].sort());
    for (const row of rows) {
      const e = expected.get(row.project)!;
      expect(row.subjects).toBe(e.subjects);
      expect(row.sessions).toBe(e.sessions.length);
    }

    const cells = await page.$$eval('#modality-months tbody td[data-modality]', (tds) =>
      tds.map((td) => ({ month: (td.parentElement as HTMLElement).dataset.month!, modality: (td as HTMLElement).dataset.modality!, count: Number(td.textContent) })),
    );
    const want: Record<string, number> = {};
    for (const e of expected.values()) {
      for (const s of e.sessions) {
        if (!s['date']) continue;
        const key = `${s['date'].slice(0, 7)}|${s['modality'] || '(none)'}`;
        want[key] = (want[key] ?? 0) + 1;
      }
    }
    const got: Record<string, number> = {};
    for (const c of cells) if (c.count > 0) got[`${c.month}|${c.modality}`] = c.count;
    expect(got).toEqual(want);

    // Warm: the same page again costs XNAT nothing.
    stack.emulator.requests.clear();
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(stack.emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION').length).toBe(0);
    await page.close();
  }, 60_000);

  it('is not served unless enabled', async () => {
    const plain = await startDashboardStack();
    try {
      expect((await fetch(`${plain.gateway.url}/dashboard`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
