import type { CORSOptions, Plugin } from 'graphql-yoga';

/**
 * Cross-origin access for the browser origins the operator listed, and for no other. yoga's own
 * list handling answers an unlisted origin with `Access-Control-Allow-Origin: null` (plus
 * credentials), which a sandboxed iframe — whose origin is `null` — matches; here an unlisted or
 * `null` origin gets no CORS headers at all, and a listed one gets exactly itself back.
 */
export function corsFor(allowed: readonly string[]): (request: Request) => CORSOptions | false {
  const allows = corsAllows(allowed);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allows(origin)) return false;
    return { origin, credentials: true };
  };
}

/** Whether a request from `origin` gets CORS headers. */
export function corsAllows(allowed: readonly string[]): (origin: string) => boolean {
  const origins = new Set(allowed.map((origin) => new URL(origin).origin));
  return (origin) => origin !== 'null' && origins.has(origin);
}

/** Answers differ by Origin (CORS headers or none), so a shared cache must key on it. */
export function useVaryOnOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary');
      if (!vary) response.headers.set('vary', 'Origin');
      else if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) response.headers.set('vary', `${vary}, Origin`);
    },
  };
}
