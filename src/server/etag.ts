import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

/**
 * ETags on GraphQL GET queries: the tag is a hash of the caller's identity (an HMAC of the
 * credential, never the credential) and the response body, so a client revalidating with
 * `If-None-Match` gets `304 Not Modified` while its answer is unchanged — and one user's tag
 * never validates another user's answer. POSTs and mutations are left alone.
 */
export function useETags(identityOf: (request: Request) => string): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || response.status !== 200) return;
      const url = new URL(request.url);
      if (!url.searchParams.has('query')) return; // GraphiQL's page
      const type = response.headers.get('content-type') ?? '';
      if (!type.includes('json')) return;
      const body = await response.text();
      const etag = `"${createHash('sha256').update(identityOf(request)).update('\0').update(body).digest('base64url').slice(0, 32)}"`;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('etag', etag);
      headers.set('cache-control', 'private, no-cache');
      headers.append('vary', 'authorization');
      const presented = (request.headers.get('if-none-match') ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
      if (presented.includes(etag) || presented.includes('*')) {
        headers.delete('content-length');
        headers.delete('content-type');
        setResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      headers.delete('content-length');
      // A Response built from a string defaults to text/plain unless the type is set again.
      headers.set('content-type', type);
      setResponse(new fetchAPI.Response(body, { status: 200, headers }));
    },
  };
}
