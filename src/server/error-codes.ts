import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../xnat/errors.js';

const contractCodes: ReadonlySet<string> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_ERROR',
  'QUERY_TOO_COMPLEX',
  'INTERNAL_SERVER_ERROR',
]);

/**
 * Clients branch on `extensions.code`, and the contract names every code they can meet. yoga
 * and graphql-js add their own (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST)
 * or none (a missing variable): an error outside execution is the request's fault
 * (BAD_USER_INPUT), one inside it that carries no contract code is the gateway's.
 */
function withContractCode(error: GraphQLError): GraphQLError {
  const code = error.extensions?.['code'];
  if (typeof code === 'string' && contractCodes.has(code)) return error;
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: { ...error.extensions, code: error.path ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT' },
  });
}

export function useContractErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Symbol.asyncIterator in Object(result)) return;
      const fix = <R extends { errors?: readonly GraphQLError[] }>(one: R): R =>
        one.errors?.length ? { ...one, errors: one.errors.map((e) => (e instanceof GraphQLError ? withContractCode(e) : e)) } : one;
      setResult((Array.isArray(result) ? result.map(fix) : fix(result as { errors?: readonly GraphQLError[] })) as typeof result);
    },
  };
}
