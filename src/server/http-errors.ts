import type { ServerResponse } from 'node:http';

/** The HTTP status of a plain (non-GraphQL) route's answer for each error code. */
export const statusOfCode: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  BAD_USER_INPUT: 400,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_ERROR: 502,
};

/** A GraphQL-shaped error body (`errors[].extensions.code`) on a plain route. */
export function sendError(
  res: ServerResponse,
  code: string,
  message: string,
  status = statusOfCode[code] ?? 500,
  extra: Record<string, string> = {},
): void {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...extra };
  if (status === 401) headers['www-authenticate'] = 'Basic realm="xnat-graphql", charset="UTF-8"';
  res.writeHead(status, headers).end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
