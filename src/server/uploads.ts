import type { IncomingMessage, ServerResponse } from 'node:http';
import { processRequest } from 'graphql-upload-minimal';

/** Headers a browser cannot send cross-site without a CORS preflight (Apollo's CSRF rule). */
const preflightHeaders = ['apollo-require-preflight', 'x-apollo-operation-name', 'graphql-preflight'];

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}

export function hasPreflightHeader(req: IncomingMessage): boolean {
  return preflightHeaders.some((name) => {
    const value = req.headers[name];
    return typeof value === 'string' && value.trim() !== '';
  });
}

/**
 * Parses a GraphQL multipart request as it streams: the operations come back as soon as the
 * `operations` and `map` parts have arrived, with each file still flowing from the socket.
 */
export async function parseMultipart(
  req: IncomingMessage,
  res: ServerResponse,
  limits: { maxFileSize: number; maxFiles: number },
): Promise<unknown> {
  return processRequest(req, res, { maxFileSize: limits.maxFileSize, maxFiles: limits.maxFiles });
}

export function sendGraphQLError(res: ServerResponse, status: number, message: string, code: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { 'content-type': 'application/graphql-response+json; charset=utf-8' });
  res.end(body);
}
