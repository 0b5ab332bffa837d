import { GraphQLError } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import { isErrorCode } from '../errors.js';
import { currentRequestId } from './request-id.js';

/**
 * Clients branch on `extensions.code`, and the contract names every code they can meet. yoga
 * tags documents that do not parse or validate with Apollo's GRAPHQL_PARSE_FAILED and
 * GRAPHQL_VALIDATION_FAILED, which pass; other codes of its own (BAD_REQUEST) or none (a missing
 * variable) do not: an error outside execution is the request's fault (BAD_USER_INPUT), one
 * inside it that carries no contract code is the gateway's.
 */
function withContractCode(error: GraphQLError, requestId: string | undefined): GraphQLError {
  const code = error.extensions?.['code'];
  const known = isErrorCode(code);
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    // The request id ties an error a user reports to the gateway's log lines for that request.
    extensions: {
      ...error.extensions,
      code: known ? code : error.path ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT',
      ...(requestId ? { requestId } : {}),
    },
  });
}

type Payload = { errors?: readonly GraphQLError[]; incremental?: readonly Payload[] };

function fix<R extends Payload>(one: R, requestId: string | undefined): R {
  let out = one;
  if (one.errors?.length) out = { ...out, errors: one.errors.map((e) => (e instanceof GraphQLError ? withContractCode(e, requestId) : e)) };
  if (one.incremental?.length) out = { ...out, incremental: one.incremental.map((part) => fix(part, requestId)) };
  return out;
}

/** Every error leaves with a contract code and the request's id (src/server/request-id.ts). */
export function useContractErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      const requestId = currentRequestId();
      // @defer/@stream answers arrive as a sequence of payloads, each with its own errors.
      if (isAsyncIterable(result)) setResult(mapAsyncIterator(result, (payload) => fix(payload as Payload, requestId)) as typeof result);
      else
        setResult((Array.isArray(result) ? result.map((one) => fix(one, requestId)) : fix(result as Payload, requestId)) as typeof result);
    },
  };
}
