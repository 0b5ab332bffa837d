import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * GET carries `variables` and `extensions` as JSON in the query string. yoga parses them with a
 * bare JSON.parse, so a malformed one surfaced as a 500; it is the request's fault (400).
 */
export function useCheckedGetParams(): Plugin {
  return {
    onRequestParse({ request, url }) {
      if (request.method !== 'GET') return;
      for (const name of ['variables', 'extensions']) {
        const text = url.searchParams.get(name);
        if (!text) continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw new GraphQLError(`The ${name} parameter is not valid JSON.`, {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          });
        }
        if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
          throw new GraphQLError(`The ${name} parameter must be a JSON object.`, {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          });
        }
      }
    },
  };
}
