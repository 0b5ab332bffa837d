import { requestError } from '../errors.js';
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
          throw requestError('BAD_USER_INPUT', `The ${name} parameter is not valid JSON.`);
        }
        if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
          throw requestError('BAD_USER_INPUT', `The ${name} parameter must be a JSON object.`);
        }
      }
    },
  };
}
