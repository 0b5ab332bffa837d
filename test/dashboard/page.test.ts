import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack, ADMIN, xnatTable } from '../support/stack.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { drillToFirstSession, openDashboard, waitForLoad } from '../support/dashboard-page.js';

/**
 * examples/dashboard in Chromium against the demo: charts drawn with the emulator's numbers,
 * QC thumbnails loaded through the gateway's download URLs, drill-down to a session's scans,
 * filters, the signed-in user's rights, and a screenshot kept in test-artifacts/.
 */

const run = chromiumAvailable ? describe : describe.skip;

interface Session {
  id: string;
  label: string;
  project: string;
  date: string;
  modality: string;
}

/** What XNAT itself says: imaging sessions, and scans (one row each) with their session's project. */
async function archive(stack: Stack) {
  const sessions = (await xnatTable(stack, '/data/experiments?xsiType=xnat:imageSessionData&columns=ID,label,project,date,modality')).map(
    (r) =>
      ({
        id: r['ID']!,
        label: r['label']!,
        project: r['project']!,
        date: r['date'] ?? '',
        modality: r['modality'] || '(none)',
      }) satisfies Session,
  );
  const scans = (
    await xnatTable(
      stack,
      '/data/experiments?xsiType=xnat:imageSessionData&columns=ID,label,project,xnat:imageScanData/ID,xnat:imageScanData/type',
    )
  ).filter((r) => r['xnat:imagescandata/id']);
  const projects = (await xnatTable(stack, '/data/projects?columns=ID')).map((p) => p['ID']!);
  const subjects: Record<string, number> = {};
  for (const p of projects) subjects[p] = (await xnatTable(stack, `/data/projects/${p}/subjects?columns=ID`)).length;
  return { sessions, scans, projects, subjects };
}

/** Month keys 'YYYY-MM' → modality → sessions. */
function perMonth(sessions: Session[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const s of sessions) {
    if (!s.date) continue;
    const m = s.date.slice(0, 7);
    out[m] ??= {};
    out[m][s.modality] = (out[m][s.modality] ?? 0) + 1;
  }
  return out;
}

interface ChartData {
  labels: string[];
  datasets: { label: string; data: number[] }[];
}

function chartData(page: Page, id: string): Promise<ChartData> {
  return page.evaluate((canvasId) => {
    const chart = (window as any).Chart.getChart(document.getElementById(canvasId));
    return { labels: [...chart.data.labels], datasets: chart.data.datasets.map((d: any) => ({ label: d.label, data: [...d.data] })) };
  }, id);
}

/** How many pixels of a canvas are painted (not transparent): a drawn chart has thousands. */
function paintedPixels(page: Page, id: string): Promise<number> {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
    return painted;
  }, id);
}

/** The months of the chart's axis, each with its counts per modality (zeros left out). */
function monthsOfChart(chart: ChartData): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  chart.labels.forEach((month, i) => {
    for (const d of chart.datasets) {
      const n = d.data[i]!;
      if (n > 0) (out[month] ??= {})[d.label] = n;
    }
  });
  return out;
}

function consecutive(months: string[]): boolean {
  return months.every((m, i) => {
    if (i === 0) return true;
    const [y, n] = months[i - 1]!.split('-').map(Number) as [number, number];
    return m === (n === 12 ? `${y + 1}-01` : `${y}-${String(n + 1).padStart(2, '0')}`);
  });
}

const figure = async (page: Page, id: string) => Number(await page.textContent(id));

/**
 * XNAT requests other than logins and file downloads (the thumbnails): what the GraphQL queries
 * cost, as paths with comma lists of sessions shown as `…`.
 */
function listingRequests(stack: { emulator: Stack['emulator'] }): string[] {
  return stack.emulator.requests
    .entries()
    .filter((e) => e.path !== '/data/JSESSION' && !/\/files\/[^/]+/.test(e.path))
    .map((e) => `${e.method} ${e.path.replace(/^\/data\/experiments\/[^/]+\/scans\//, '/data/experiments/…/scans/')}`);
}

run('the dashboard in Chromium (serve --dashboard)', () => {
  let stack: Stack;
  let browser: Browser;
  let expected: Awaited<ReturnType<typeof archive>>;
  beforeAll(async () => {
    stack = await startStack({ gateway: { dashboard: true, credentials: ADMIN, cacheTtlMs: 60_000 } });
    browser = await launchChromium();
    expected = await archive(stack);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('draws the charts with XNAT’s numbers, loads the QC thumbnails, drills down to a session’s scans, filters, and keeps a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const graphqlPosts: string[] = [];
    const elsewhere: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/graphql') graphqlPosts.push(r.method());
      if (url.protocol !== 'data:' && url.origin !== stack.gateway.url) elsewhere.push(r.url());
    });

    stack.emulator.requests.clear();
    expect(await openDashboard(page, stack.gateway.url)).toBe('true');
    // One query per load; its XNAT requests are bounded by the query's depth, not by the 56 sessions and 204 scans.
    expect(graphqlPosts).toEqual(['POST']);
    // Cold, for every project at once: the projects; their subjects (the owners' listing, the share
    // probe and, as the demo shares subjects, each project's own listing); the scan summary; for the
    // thumbnails the scan join, their sessions' scans, and those sessions' scan resources and files
    // (page-queries.test.ts: the same count on a site twice the size).
    const cold = listingRequests(stack);
    expect([...cold].sort()).toEqual(
      [
        'GET /data/projects',
        'GET /data/subjects',
        'GET /data/subjects',
        ...expected.projects.map((id) => `GET /data/projects/${id}/subjects`),
        'GET /data/experiments',
        'GET /data/experiments',
        'GET /data/experiments',
        'GET /data/experiments/…/scans/ALL/resources',
        'GET /data/experiments/…/scans/ALL/files',
      ].sort(),
    );

    // Sessions per month by modality: a continuous axis from the first to the last dated session.
    const months = await chartData(page, 'chart-months');
    const dated = Object.keys(perMonth(expected.sessions)).sort();
    expect(months.labels[0]).toBe(dated[0]);
    expect(months.labels.at(-1)).toBe(dated.at(-1));
    expect(consecutive(months.labels)).toBe(true);
    expect(months.labels.length).toBeGreaterThan(dated.length); // the demo has months without sessions: they are on the axis as zeros
    expect(monthsOfChart(months)).toEqual(perMonth(expected.sessions));

    // Scans by type per project.
    const types = await chartData(page, 'chart-scan-types');
    const want: Record<string, number> = {};
    for (const s of expected.scans)
      want[`${s['project']}|${s['xnat:imagescandata/type'] || '(none)'}`] =
        (want[`${s['project']}|${s['xnat:imagescandata/type'] || '(none)'}`] ?? 0) + 1;
    const got: Record<string, number> = {};
    for (const [i, project] of types.labels.entries())
      for (const d of types.datasets) if (d.data[i]! > 0) got[`${project}|${d.label}`] = d.data[i]!;
    expect(got).toEqual(want);

    // Subjects and sessions per project.
    const perProject = await chartData(page, 'chart-projects');
    expect([...perProject.labels].sort()).toEqual([...expected.projects].sort());
    perProject.labels.forEach((project, i) => {
      expect(perProject.datasets[0]!.data[i]).toBe(expected.subjects[project]);
      expect(perProject.datasets[1]!.data[i]).toBe(expected.sessions.filter((s) => s.project === project).length);
    });
    for (const id of ['chart-months', 'chart-scan-types', 'chart-projects']) expect(await paintedPixels(page, id)).toBeGreaterThan(2_000);
    expect(await figure(page, '#total-sessions')).toBe(expected.sessions.length);
    expect(await figure(page, '#total-scans')).toBe(expected.scans.length);

    // QC thumbnails: images from SNAPSHOTS through the gateway's download URLs, decoded by the browser.
    const thumbs = await page.$$eval('#qc-strip img', (imgs) =>
      imgs.map((img) => ({ src: (img as HTMLImageElement).src, width: (img as HTMLImageElement).naturalWidth })),
    );
    expect(thumbs.length).toBeGreaterThan(4);
    for (const t of thumbs) {
      expect(t.src).toContain('/download/file/');
      expect(t.width).toBeGreaterThan(0);
    }

    // Drill-down: project → subject → session → its scans, with download links that work.
    await drillToFirstSession(page, 'ADNI_DEMO');
    const caption = await page.textContent('#drilldown table.scans caption');
    const session = expected.sessions.find((s) => caption!.startsWith(`${s.label} `))!;
    expect(session.project).toBe('ADNI_DEMO');
    const scanLabels = await page.$$eval('#drilldown tr.scan', (rows) => rows.map((r) => (r as HTMLElement).dataset.scan));
    expect(scanLabels.sort()).toEqual(
      expected.scans
        .filter((s) => s['ID'] === session.id)
        .map((s) => s['xnat:imagescandata/id'])
        .sort(),
    );
    const zip = await page.getAttribute('#drilldown tr.scan a:text("scan zip")', 'href');
    expect(zip).toContain('/download/scan/');
    const download = await page.request.get(zip!);
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 2).toString('latin1')).toBe('PK');
    for (const width of await page.$$eval('#drilldown img.thumb', (imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth)))
      expect(width).toBeGreaterThan(0);

    await page.screenshot({ path: 'test-artifacts/dashboard.png', fullPage: true });

    // Filters change the numbers: one modality, then a date range too.
    stack.emulator.requests.clear();
    await page.selectOption('#filters select[name=modality]', 'MR');
    expect(await waitForLoad(page)).toBe('true');
    const mr = expected.sessions.filter((s) => s.modality === 'MR');
    expect(mr.length).toBeLessThan(expected.sessions.length);
    expect(await figure(page, '#total-sessions')).toBe(mr.length);
    expect(monthsOfChart(await chartData(page, 'chart-months'))).toEqual(perMonth(mr));
    expect(listingRequests(stack).length).toBeLessThanOrEqual(cold.length);

    const from = dated[Math.floor(dated.length / 3)]!;
    const to = dated[Math.floor((2 * dated.length) / 3)]!;
    await page.fill('#filters input[name=from]', `${from}-01`);
    await page.fill('#filters input[name=to]', `${to}-28`);
    await page.dispatchEvent('#filters', 'submit');
    expect(await waitForLoad(page)).toBe('true');
    const inRange = mr.filter((s) => s.date && s.date >= `${from}-01` && s.date <= `${to}-28`);
    expect(await figure(page, '#total-sessions')).toBe(inRange.length);
    const ranged = await chartData(page, 'chart-months');
    expect(ranged.labels[0]).toBe(from);
    expect(ranged.labels.at(-1)).toBe(to);
    expect(page.url()).toContain('modality=MR');

    expect(problems).toEqual([]);
    // Chart.js, the modules and the images all come from the gateway: the page works offline.
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 120_000);

  it('is not served unless enabled', async () => {
    await using plain = await startStack();
    expect((await fetch(`${plain.gateway.url}/dashboard`)).status).toBe(404);
  });
});

run('the dashboard with the signed-in user’s rights', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    // No default user: an unauthenticated browser gets XNAT's 401 until it signs in.
    stack = await startStack({ gateway: { dashboard: true } });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('offers /login when unauthenticated; signed in as guest, the private project is absent', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      expect(await openDashboard(page, stack.gateway.url)).toBe('signin');
      expect(await page.getAttribute('#signin-prompt', 'href')).toBe('/login?next=%2Fdashboard');
      await Promise.all([page.waitForURL(/\/login\?next=/), page.click('#signin-prompt')]);
      await page.fill('#user', 'guest');
      await page.fill('#password', 'guest');
      await Promise.all([page.waitForURL(/\/dashboard/), page.click('button[type=submit]')]);
      expect(await waitForLoad(page)).toBe('true');
      await expect.poll(() => page.textContent('#signin')).toContain('Signed in as guest');

      const projects = (await chartData(page, 'chart-projects')).labels;
      const visible = await stack.graphql('{ projects { nodes { label } } }', {}, { user: 'guest', password: 'guest' });
      expect([...projects].sort()).toEqual(visible.data.projects.nodes.map((p: { label: string }) => p.label).sort());
      expect(projects).toContain('test');
      expect(projects).not.toContain('PRIV_ONC');
      expect(await page.$$eval('#filters select[name=project] option', (o) => o.map((x) => (x as HTMLOptionElement).value))).not.toContain(
        'PRIV_ONC',
      );
      expect(await page.locator('#drilldown button.drill', { hasText: 'PRIV_ONC' }).count()).toBe(0);
      // Thumbnails load with the sign-in cookie, like the queries.
      const widths = await page.$$eval('#qc-strip img', (imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
      expect(widths.length).toBeGreaterThan(0);
      for (const w of widths) expect(w).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  }, 90_000);
});
