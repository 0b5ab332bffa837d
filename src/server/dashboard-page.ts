import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** examples/dashboard, found from src/server or dist/server alike. */
const ROOT = fileURLToPath(new URL('../../examples/dashboard/', import.meta.url));

/** Chart.js's self-contained browser bundle, served from the installed package (no CDN: works offline). */
const CHART_JS = `${dirname(createRequire(import.meta.url).resolve('chart.js'))}/chart.umd.min.js`;

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';

const FILES: Record<string, { file: string; type: string }> = {
  '/dashboard': { file: `${ROOT}index.html`, type: HTML },
  '/dashboard/': { file: `${ROOT}index.html`, type: HTML },
  '/dashboard/app.js': { file: `${ROOT}app.js`, type: JS },
  '/dashboard/api.js': { file: `${ROOT}api.js`, type: JS },
  '/dashboard/aggregate.js': { file: `${ROOT}aggregate.js`, type: JS },
  '/dashboard/charts.js': { file: `${ROOT}charts.js`, type: JS },
  '/dashboard/drilldown.js': { file: `${ROOT}drilldown.js`, type: JS },
  '/dashboard/queries.js': { file: `${ROOT}queries.js`, type: JS },
  '/dashboard/style.css': { file: `${ROOT}style.css`, type: 'text/css; charset=utf-8' },
  '/dashboard/vendor/chart.umd.min.js': { file: CHART_JS, type: JS },
};

/** Serves the static dashboard page (`serve --dashboard`); false when `path` is not one of its files. */
export async function serveDashboard(path: string, res: ServerResponse): Promise<boolean> {
  const entry = FILES[path];
  if (!entry) return false;
  const body = await readFile(entry.file);
  res
    .writeHead(200, {
      'content-type': entry.type,
      'cache-control': 'no-cache',
      // Everything is local: no CDN, no inline script. Thumbnails come from the gateway's /download URLs.
      'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:",
    })
    .end(body);
  return true;
}
