// docs/dashboard.png: the example dashboard over the demo dataset, drilled down to one session.
// `npm run screenshot [-- OUT.png]`; needs Chromium (/usr/bin/chromium or CHROMIUM_PATH).
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/emulator/index.js';
import { startGateway } from '../src/server/gateway.js';
import { createLogger } from '../src/logger.js';
import { launchChromium } from '../test/support/browser.js';
import { openDashboard, drillToFirstSession } from '../test/support/dashboard-page.js';

const out = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'dashboard.png'));
const emulator = await startEmulator({ port: 0, host: '127.0.0.1', dataset: 'demo' });
const gateway = await startGateway({
  xnatUrl: emulator.url,
  port: 0,
  host: '127.0.0.1',
  credentials: { user: 'admin', password: 'admin' },
  dashboard: true,
  logger: createLogger({ level: 'warn' }),
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await openDashboard(page, gateway.url);
  await drillToFirstSession(page, 'ADNI_DEMO');
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
  await gateway.close();
  await emulator.close();
}
