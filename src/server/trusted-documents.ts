import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { TrustedDocuments } from '../config/trusted-documents-file.js';
import type { ErrorCode } from '../errors.js';

/** Apollo's `extensions.persistedQuery.sha256Hash`, or the GraphQL-over-HTTP `documentId`. */
function documentIdOf(params: GraphQLParams, request: Request): string | null {
  const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  if (typeof persisted === 'string') return persisted;
  const documentId = (params as { documentId?: unknown }).documentId ?? new URL(request.url).searchParams.get('documentId');
  return typeof documentId === 'string' ? documentId : null;
}

const refused = (message: string) => ({ message, extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' satisfies ErrorCode } });

/**
 * Runs only operations named by id from the trusted list: a request carrying its own query text,
 * no id, or an unknown id is refused before parsing, with PERSISTED_QUERY_NOT_FOUND.
 */
export function useTrustedDocuments(documents: TrustedDocuments): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id) ?? null,
    extractPersistedOperationId: documentIdOf,
    allowArbitraryOperations: false,
    customErrors: {
      notFound: refused('This operation is not one of the gateway’s trusted documents.'),
      persistedQueryOnly: refused(
        'This gateway runs trusted documents only: send the document’s id (extensions.persistedQuery.sha256Hash or documentId), not its text.',
      ),
      keyNotFound: refused('This gateway runs trusted documents only: the request names no document id.'),
    },
  }) as Plugin;
}
