import type { IncomingHttpHeaders } from 'node:http';
import type { XnatAuth } from '../xnat/auth.js';
import type { BrowserSessions } from './browser-sessions.js';

/**
 * The XNAT identity of one request: the caller's Basic credentials (an XNAT alias token is
 * Basic too), else the browser's sign-in (session cookie), else the configured ones, else
 * anonymous. A malformed header is not silently downgraded to anonymous: it yields null so the
 * caller gets UNAUTHENTICATED.
 */
export function resolveAuth(
  headers: IncomingHttpHeaders | { get(name: string): string | null },
  configured: { user: string; password: string } | undefined,
  browsers?: BrowserSessions,
): XnatAuth | null {
  // yoga hands over a fetch Headers of its own ponyfill, so no `instanceof Headers` here.
  const header = typeof headers.get === 'function' ? headers.get('authorization') : (headers as IncomingHttpHeaders).authorization;
  if (!header) return browsers?.authOf(headers) ?? (configured ? { kind: 'basic', ...configured } : { kind: 'anonymous' });
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { kind: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
