import type { ServerResponse } from 'node:http';

/** A refusal carrying XNAT's status and reason text; the server renders it as an HTML page. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * A GET naming sessions (or scans of them) none of which the user can read: XNATTemplate sets no
 * status for a GET, so what follows decides — CatalogResourceList answers 404, FileList 500.
 */
export class NoReadableElement extends HttpError {
  constructor(message: string) {
    super(404, message);
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Restlet's default status page: it starts with `<html>` (pyxnat's error test) and is
 * well-formed XML with the reason in `<h3>`, where pyxnat's parse_error_message looks.
 */
function statusPage(status: number, reason: string): string {
  const text = escapeXml(reason);
  return `<html><head><title>Status page</title></head><body><h3>${text}</h3><p>Status ${status}</p></body></html>`;
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain',
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': `${contentType};charset=UTF-8`,
    'Content-Length': String(bytes.length),
  });
  res.end(bytes);
}

export function sendStatusPage(res: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}): void {
  sendText(res, status, statusPage(status, reason), 'text/html', headers);
}
