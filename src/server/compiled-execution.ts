import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import {
  BREAK,
  getNamedType,
  GraphQLError,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type Source,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { withExtensions } from '../errors.js';

/**
 * Most fields graphql-jit may generate code for in one document. It compiles a selection once per
 * type an abstract field may answer (five for an experiment), so selections nested through
 * abstract fields multiply: a short document could otherwise take seconds and hundreds of MiB to
 * compile, before any limit that runs with the resolvers sees it. A whole archive tree is about
 * 100; 500 compile in tens of milliseconds.
 */
export const MAX_COMPILED_FIELDS = 500;

/**
 * Whether graphql-jit may run a document; otherwise yoga's executor does. Not when it asks for
 * incremental delivery (`@defer`, `@stream`), which graphql-jit does not implement; not when it
 * holds several operations (a compiled document serves one; asked in turn, each would be compiled
 * again); not when a string in it holds graphql-jit's markers
 * (`__MAGIC_…`: graphql-jit writes argument literals into the code it generates and turns a
 * marked string into code there); not when its selections multiply past MAX_COMPILED_FIELDS.
 * Read once per parsed document.
 */
export function compilable(schema: GraphQLSchema, document: DocumentNode): boolean {
  let verdict = verdicts.get(document);
  if (verdict === undefined) {
    verdict = readsAsCompilable(document) && compiledFields(schema, document) <= MAX_COMPILED_FIELDS;
    verdicts.set(document, verdict);
  }
  return verdict;
}

const verdicts = new WeakMap<DocumentNode, boolean>();

function readsAsCompilable(document: DocumentNode): boolean {
  let operations = 0;
  let refused = false;
  visit(document, {
    OperationDefinition() {
      operations += 1;
    },
    Directive(node) {
      if (node.name.value !== 'defer' && node.name.value !== 'stream') return undefined;
      refused = true;
      return BREAK;
    },
    StringValue(node) {
      if (!node.value.includes('__MAGIC_')) return undefined;
      refused = true;
      return BREAK;
    },
  });
  return !refused && operations === 1;
}

/**
 * How many fields graphql-jit would generate code for: every field once per object type its
 * parent may be, fragments expanded. Counting stops past MAX_COMPILED_FIELDS, so it costs at
 * most that many steps whatever the document.
 */
export function compiledFields(schema: GraphQLSchema, document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let count = 0;
  const walk = (set: SelectionSetNode, type: GraphQLNamedType | undefined): void => {
    for (const selection of set.selections) {
      if (count > MAX_COMPILED_FIELDS) return;
      if (selection.kind === Kind.FIELD) {
        count += 1;
        if (!selection.selectionSet || !type || !(isObjectType(type) || isInterfaceType(type))) continue;
        const field = type.getFields()[selection.name.value];
        const named = field && getNamedType(field.type);
        if (!named) continue;
        for (const each of isAbstractType(named) ? schema.getPossibleTypes(named) : [named]) walk(selection.selectionSet, each);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  for (const definition of document.definitions)
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      const root =
        definition.operation === 'query'
          ? schema.getQueryType()
          : definition.operation === 'mutation'
            ? schema.getMutationType()
            : schema.getSubscriptionType();
      walk(definition.selectionSet, root ?? undefined);
    }
  return count;
}

/** Most compiled documents kept: a compiled document of MAX_COMPILED_FIELDS fields holds a few MiB of code. */
const MAX_COMPILED_DOCUMENTS = 50;

/**
 * Executes operations with graphql-jit, which compiles a document into a function that builds
 * the answer from plain object literals. yoga's own executor makes every object of an answer
 * with `Object.create(null)`, a dictionary in V8: on a whole-archive answer of a hundred
 * thousand objects that is most of the gateway's memory (docs/benchmarks.md, Real-archive
 * scale). Documents graphql-jit should not run (`compilable`) stay with yoga's executor.
 * Compiled documents are kept in a bounded cache, each for the operation it was compiled for.
 */
export function compiledExecutionPlugins(): Plugin[] {
  const compiledQueries = new LRUCache<DocumentNode, { operationName: string | undefined; compiled: CompiledQuery | ExecutionResult }>({
    max: MAX_COMPILED_DOCUMENTS,
  });
  const compiledFor = (schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined) => {
    let entry = compiledQueries.get(document);
    if (!entry || entry.operationName !== operationName) {
      // Skips and includes decided per path, not written onto the document's shared field nodes.
      entry = { operationName, compiled: compileQuery(schema, document, operationName, { useExperimentalPathBasedSkipInclude: true }) };
      compiledQueries.set(document, entry);
    }
    return entry.compiled;
  };
  const compiledExecution: Plugin = {
    onExecute({ args, setExecuteFn }) {
      if (!compilable(args.schema, args.document)) return;
      setExecuteFn((execution) => {
        const compiled = compiledFor(execution.schema, execution.document, execution.operationName ?? undefined);
        // A document that does not compile for this operation is answered with the errors why.
        if (!isCompiledQuery(compiled)) return compiled;
        return compiled.query(execution.rootValue, execution.contextValue, execution.variableValues ?? {});
      });
    },
  };
  const answeredAsYogaAnswers: Plugin = {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || !result.errors?.length) return;
          // An answer without `data` is one execution could not start (variables that do not
          // coerce, an unknown operation): the request's fault, 400 as yoga's executor marks it.
          const refused = !('data' in result);
          const source = args.document.loc?.source;
          const place = source ? placing(source) : (error: GraphQLError) => error;
          setResult({
            ...result,
            errors: result.errors.map((error) => {
              const placed = place(error);
              return refused ? withExtensions(placed, { ...placed.extensions, http: { status: 400 } }) : placed;
            }),
          });
        },
      };
    },
  };
  return [compiledExecution, answeredAsYogaAnswers];
}

/**
 * graphql-jit gives its errors their locations as it computed them when compiling, while yoga
 * rebuilds every error it sends from its nodes or its source and positions: an error with
 * locations only gets the document's source and the positions of those locations in it.
 */
function placing(source: Source): (error: GraphQLError) => GraphQLError {
  const lineStarts = [0];
  for (const end of source.body.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(end.index + end[0].length);
  return (error) =>
    !error.locations || error.nodes || error.positions
      ? error
      : new GraphQLError(error.message, {
          source,
          positions: error.locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1),
          ...(error.path ? { path: error.path } : {}),
          ...(error.originalError ? { originalError: error.originalError } : {}),
          ...(error.extensions ? { extensions: error.extensions } : {}),
        });
}
