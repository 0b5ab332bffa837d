import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin, { offsetForArgs, offsetToCursor } from '@pothos/plugin-relay';
import type { GatewayContext } from '../context.js';
import { badUserInput, gatewayError } from '../errors.js';
import type { UploadedFile } from './scalars.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: {
    ID: { Input: string; Output: string };
    Date: { Input: string; Output: string };
    LocalDateTime: { Input: string; Output: string };
    SafeInt: { Input: number; Output: number };
    Upload: { Input: Promise<UploadedFile>; Output: never };
  };
  Connection: { totalCount: number };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [RelayPlugin, ComplexityPlugin],
  // Every field costs 1 and a list multiplies what it selects by 10, so cost tracks how many
  // objects a document can make the gateway fetch; checked before any resolver runs.
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    limit: (ctx) => ({ complexity: ctx.maxCost }),
    complexityError: (_kind, result) =>
      gatewayError('QUERY_TOO_COMPLEX', `Query cost ${result.complexity} is over the limit of ${result.maxComplexity ?? 'this gateway'}.`),
  },
  relay: {
    // Node ids and Query.node are the gateway's own (ids.ts): they decode to XNAT coordinates.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    cursorType: 'String',
    nodesOnConnection: true,
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
  },
});

builder.queryType({});
builder.mutationType({});

/** Without `first`/`last`, a connection returns every item up to this many. */
const MAX_PAGE_SIZE = 5000;

/** A named connection type with `totalCount`, shared by every field listing that type. */
/** The builder's type parameters, for helpers that take refs (`ObjectRef<SchemaTypes, Shape>`). */
export type SchemaTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

export function connectionOf<T extends Parameters<typeof builder.connectionObject>[0]['type']>(type: T, name: string) {
  return builder.connectionObject({
    type,
    name,
    description: `A page of a list. Without \`first\` or \`last\`, every item up to ${MAX_PAGE_SIZE}; \`first\` is capped at ${MAX_PAGE_SIZE} too.`,
    fields: (t) => ({
      totalCount: t.int({ description: 'Number of items in the whole list, not just this page.', resolve: (c) => c.totalCount }),
    }),
  });
}

/**
 * An edge whose cursor is made only when asked for. A query over a whole archive reads `nodes`
 * of a hundred thousand connections; a cursor string for each node would be most of their
 * memory.
 */
class ListEdge<T> {
  constructor(
    readonly node: T,
    private readonly offset: number,
  ) {}

  get cursor(): string {
    return offsetToCursor(this.offset);
  }
}

/** One page of a list in memory: what resolveArrayConnection answers, with cursors and page info made when read. */
class ListConnection<T> {
  constructor(
    readonly edges: ListEdge<T>[],
    readonly totalCount: number,
    private readonly page: { offset: number; hasPreviousPage: boolean; hasNextPage: boolean },
  ) {}

  get pageInfo() {
    const { offset, hasPreviousPage, hasNextPage } = this.page;
    return {
      startCursor: offsetToCursor(offset),
      endCursor: offsetToCursor(offset + this.edges.length - 1),
      hasPreviousPage,
      hasNextPage,
    };
  }
}

/** A connection over a list already in memory (XNAT listings are not paged), paged as resolveArrayConnection pages. */
export function listConnection<T>(
  args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null },
  list: readonly T[],
): ListConnection<T> {
  let page: ReturnType<typeof offsetForArgs>;
  try {
    page = offsetForArgs({ args, defaultSize: MAX_PAGE_SIZE, maxSize: MAX_PAGE_SIZE, totalCount: list.length });
  } catch (error) {
    throw badUserInput((error as Error).message);
  }
  const { offset, limit, expectedSize, hasPreviousPage, hasNextPage } = page;
  const nodes = list.slice(offset, offset + limit);
  const edges = nodes.slice(0, expectedSize).map((node, index) => new ListEdge(node, offset + index));
  return new ListConnection(edges, list.length, { offset, hasPreviousPage, hasNextPage: hasNextPage(nodes.length) });
}
