import type { Page } from 'playwright-core';

/** Opens /dashboard and waits until its query answered (data-ready is true, error or signin). */
export async function openDashboard(page: Page, gatewayUrl: string, query = ''): Promise<string> {
  await page.goto(`${gatewayUrl}/dashboard${query}`);
  return waitForLoad(page);
}

/** Waits for the current dashboard load to end and every thumbnail to finish; returns data-ready. */
export async function waitForLoad(page: Page): Promise<string> {
  await page.waitForFunction(() => document.body.dataset.ready && document.body.dataset.ready !== 'loading', undefined, {
    timeout: 30_000,
  });
  await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 30_000 });
  return (await page.getAttribute('body', 'data-ready'))!;
}

/** Project → its first subject → that subject's first session; resolves once the scan table is shown. */
export async function drillToFirstSession(page: Page, project: string): Promise<void> {
  await page.locator('#drilldown button.drill', { hasText: project }).first().click();
  await page.waitForSelector('#drilldown[data-level="project"]:not([data-loading])');
  await page.locator('#drilldown button.drill').first().click();
  await page.waitForSelector('#drilldown[data-level="subject"]:not([data-loading])');
  await page.locator('#drilldown button.drill').first().click();
  await page.waitForSelector('#drilldown[data-level="session"]:not([data-loading]) table.scans');
  await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 30_000 });
}
