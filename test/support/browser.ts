import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt `chromium`), which playwright-core drives without downloading a browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether browser tests can run here; on CI Chromium is installed, so a missing browser fails there instead of skipping. */
export const chromiumAvailable = existsSync(chromiumPath) || Boolean(process.env.CI);

/** Headless Chromium that stays on this machine (`--no-sandbox`: tests run as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
