import type { GraphQLError } from 'graphql';
import { type ErrorCode, gatewayError } from '../errors.js';

/**
 * XNAT status → contract code. 403 and 404 stay apart because XNAT itself uses 403 for "found
 * but not allowed" and 404 for "not there or not readable" (FileList, XNATTemplate).
 */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 400 || status === 417 || status === 422 || status === 406) return 'BAD_USER_INPUT';
  return 'UPSTREAM_ERROR';
}

/**
 * The reason text of an XNAT error page (Restlet/Tomcat HTML puts it in <h3>, <h1> or <title>,
 * which is where pyxnat looks too). Short, tag-free, never the request URL.
 */
export function reasonOf(body: string): string {
  const match = /<h3>([\s\S]*?)<\/h3>/i.exec(body) ?? /<h1>([\s\S]*?)<\/h1>/i.exec(body) ?? /<title>([\s\S]*?)<\/title>/i.exec(body);
  const text = (match?.[1] ?? (body.trimStart().startsWith('<') ? '' : body)).replace(/<[^>]*>/g, ' ');
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** A GraphQLError for an XNAT answer with a non-2xx status. `route` is a template, never a URL with credentials. */
export function errorForStatus(status: number, method: string, route: string, body = ''): GraphQLError {
  const reason = reasonOf(body);
  const message = `XNAT answered ${status} to ${method} ${route}${reason ? `: ${reason}` : ''}`;
  return gatewayError(codeForStatus(status), message, { xnatStatus: status });
}

export function upstreamTimeout(method: string, route: string, timeoutMs: number): GraphQLError {
  return gatewayError('UPSTREAM_TIMEOUT', `XNAT did not answer ${method} ${route} within ${timeoutMs} ms`);
}
