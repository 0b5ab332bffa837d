import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/** examples/dashboard, found from src/server or dist/server alike. */
const ROOT = fileURLToPath(new URL('../../examples/dashboard/', import.meta.url));

const FILES: Record<string, { name: string; type: string }> = {
  '/dashboard': { name: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/': { name: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/app.js': { name: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/style.css': { name: 'style.css', type: 'text/css; charset=utf-8' },
};

/** Serves the static dashboard page (`serve --dashboard`); false when `path` is not one of its files. */
export async function serveDashboard(path: string, res: ServerResponse): Promise<boolean> {
  const file = FILES[path];
  if (!file) return false;
  const body = await readFile(`${ROOT}${file.name}`);
  res
    .writeHead(200, {
      'content-type': file.type,
      'cache-control': 'no-cache',
      // Everything is local: no CDN, no inline script.
      'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:",
    })
    .end(body);
  return true;
}
