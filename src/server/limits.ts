import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { type GraphQLError, Lexer, parse, Source, TokenKind, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type ErrorCode, requestError } from '../errors.js';

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
  /** Most file rows one XNAT files listing may return (xnat/row-budget.ts). */
  xnatRowBudget: number;
}

function tooComplex(_context: unknown, error: GraphQLError): void {
  // armor's errors carry no code; the contract's clients branch on extensions.code.
  Object.assign(error.extensions, { code: 'QUERY_TOO_COMPLEX' satisfies ErrorCode });
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

/** Tokens, aliases and directives of one document, as the per-document limits count them. */
function sizeOf(query: string): { tokens: number; aliases: number; directives: number } | undefined {
  let tokens = 0;
  const lexer = new Lexer(new Source(query));
  try {
    while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  } catch {
    return undefined;
  }
  let aliases = 0;
  let directives = 0;
  try {
    visit(parse(query, { noLocation: true }), {
      Field: (node) => void (node.alias && (aliases += 1)),
      Directive: () => void (directives += 1),
    });
  } catch {
    return undefined;
  }
  return { tokens, aliases, directives };
}

/**
 * The per-document limits (tokens, aliases, directives) applied to all operations of a multipart
 * batch together, before any of them runs: a batch of ten would otherwise get ten times each.
 * A document that does not parse is left to the per-document checks to refuse.
 */
export function checkBatchLimits(operations: ReadonlyArray<{ query?: unknown }>, limits: QueryLimits): void {
  const total = { tokens: 0, aliases: 0, directives: 0 };
  for (const operation of operations) {
    const size = typeof operation?.query === 'string' ? sizeOf(operation.query) : undefined;
    if (!size) continue;
    total.tokens += size.tokens;
    total.aliases += size.aliases;
    total.directives += size.directives;
  }
  const over: Array<[string, number, number]> = [
    ['Tokens', total.tokens, limits.maxTokens],
    ['Aliases', total.aliases, limits.maxAliases],
    ['Directives', total.directives, limits.maxDirectives],
  ];
  for (const [what, found, limit] of over) {
    if (found > limit) {
      throw requestError(
        'QUERY_TOO_COMPLEX',
        `${what} limit of ${limit} exceeded by the ${operations.length} operations of this batch together, found ${found}.`,
      );
    }
  }
}
