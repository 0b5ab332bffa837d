import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { serveDefaults } from '../config/defaults.js';

/** Bounds on one GraphQL document, so that no request can make the gateway flood XNAT. */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Summed field cost, where list fields multiply their children (see schema/builder.ts). */
  maxCost: number;
  /** Most rows one request may read from XNAT listings (QUERY_TOO_LARGE past it). */
  maxAnswerRows: number;
  /** Most file rows one XNAT files listing may return (loaders/row-budget.ts). */
  xnatRowBudget: number;
}

export const defaultQueryLimits: QueryLimits = {
  maxDepth: serveDefaults.maxDepth,
  maxAliases: serveDefaults.maxAliases,
  maxTokens: serveDefaults.maxTokens,
  maxDirectives: serveDefaults.maxDirectives,
  maxCost: serveDefaults.maxCost,
  maxAnswerRows: serveDefaults.maxAnswerRows,
  xnatRowBudget: serveDefaults.xnatRowBudget,
};

function tooComplex(_context: unknown, error: GraphQLError): void {
  // armor's errors carry no code; the contract's clients branch on extensions.code.
  Object.assign(error.extensions, { code: 'QUERY_TOO_COMPLEX' });
  // armor words every rejection as graphql-js's "Syntax Error: …", though the document parsed.
  error.message = error.message.replace(/^Syntax Error:\s*/, '');
}

/** Rejections happen while parsing and validating, before any resolver or XNAT request runs. */
export function queryLimitPlugins(limits: QueryLimits): Plugin[] {
  const onReject = [tooComplex];
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, onReject, flattenFragments: true },
    maxAliases: { n: limits.maxAliases, onReject },
    maxTokens: { n: limits.maxTokens, onReject },
    maxDirectives: { n: limits.maxDirectives, onReject },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  return armor.protect().plugins as Plugin[];
}
