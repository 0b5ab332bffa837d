import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { currentRequestId } from './server/request-id.js';

/**
 * Every `extensions.code` a client can meet (listed for users in docs/gateway.md, "Errors"), with
 * the HTTP status of an answer that carries it outside a GraphQL result: plain routes (downloads,
 * uploads, sign-in) and requests refused before execution. A new code is one line here.
 */
const statusOfCode = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_ERROR: 502,
  QUERY_TOO_COMPLEX: 400,
  QUERY_TOO_LARGE: 400,
  INTERNAL_SERVER_ERROR: 500,
  // Apollo's names for a document that does not parse or validate, which GraphQL tooling knows.
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  // Trusted documents only (--trusted-documents): the operation is not in the list.
  PERSISTED_QUERY_NOT_FOUND: 404,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof statusOfCode;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(statusOfCode, code);
}

export function httpStatusOf(code: ErrorCode): number {
  return statusOfCode[code];
}

/** The contract code a thrown value carries; anything without one is the gateway's own fault. */
export function codeOf(error: unknown): ErrorCode {
  const code = (error as { extensions?: Record<string, unknown> } | undefined)?.extensions?.['code'];
  return isErrorCode(code) ? code : 'INTERNAL_SERVER_ERROR';
}

export function gatewayError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/**
 * An error that refuses the whole request before execution: yoga answers it with the code's HTTP
 * status (its `extensions.http`, which it does not send on).
 */
export function requestError(code: ErrorCode, message: string): GraphQLError {
  return gatewayError(code, message, { http: { status: statusOfCode[code] } });
}

export function badUserInput(message: string): GraphQLError {
  return gatewayError('BAD_USER_INPUT', message);
}

/** An answer that would hold more XNAT rows than the gateway takes for one request. */
export function queryTooLarge(rows: number, maxRows: number): GraphQLError {
  return gatewayError(
    'QUERY_TOO_LARGE',
    `This query needs more than ${maxRows} rows from XNAT (at least ${rows}), the most this gateway reads for one request. ` +
      'Ask for less at once: page through the lists with first/after, or narrow the query to a project, subject or session.',
    { rows, maxRows },
  );
}

export function upstreamError(message: string): GraphQLError {
  return gatewayError('UPSTREAM_ERROR', message);
}

/** The challenge of a 401 on a plain route, so browsers and tools ask for credentials. */
export const basicChallenge = { 'www-authenticate': 'Basic realm="xnat-graphql", charset="UTF-8"' } as const;

export interface ErrorAnswer {
  /** Default: the code's status. */
  status?: number;
  headers?: Record<string, string>;
  /**
   * The /graphql endpoint answers in GraphQL over HTTP's media type and does not challenge (a
   * browser's fetch would open a sign-in dialog); plain routes answer JSON and challenge on 401.
   */
  graphql?: boolean;
}

/** The one writer of an error answer outside yoga: a GraphQL-shaped body (`errors[].extensions.code`). */
export function sendError(res: ServerResponse, code: ErrorCode, message: string, answer: ErrorAnswer = {}): void {
  const status = answer.status ?? statusOfCode[code];
  const requestId = currentRequestId();
  const headers: Record<string, string> = {
    'content-type': answer.graphql ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8',
    ...(status === 401 && !answer.graphql ? basicChallenge : {}),
    ...answer.headers,
  };
  res.writeHead(status, headers).end(JSON.stringify({ errors: [{ message, extensions: { code, ...(requestId ? { requestId } : {}) } }] }));
}
