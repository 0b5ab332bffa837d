import { useGraphQlJit } from '@envelop/graphql-jit';
import { BREAK, GraphQLError, visit, type DocumentNode, type Source } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { withExtensions } from '../errors.js';

/** Whether a document asks for incremental delivery (`@defer`, `@stream`), read once per parsed document. */
function deliversIncrementally(document: DocumentNode): boolean {
  let found = incremental.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Directive(node) {
        if (node.name.value !== 'defer' && node.name.value !== 'stream') return undefined;
        found = true;
        return BREAK;
      },
    });
    incremental.set(document, found);
  }
  return found;
}

const incremental = new WeakMap<DocumentNode, boolean>();

/**
 * Executes operations with graphql-jit, which compiles each document (once, while yoga keeps it
 * parsed) into a function that builds the answer from plain object literals. yoga's own
 * executor makes every object of an answer with `Object.create(null)`, a dictionary in V8: on a
 * whole-archive answer of a hundred thousand objects that is most of the gateway's memory
 * (docs/benchmarks.md, Real-archive scale). graphql-jit does not implement `@defer`/`@stream`,
 * so documents using them stay with yoga's executor.
 */
export function compiledExecutionPlugins() {
  const compiled = useGraphQlJit(
    {},
    {
      enableIf: ({ document }) => !deliversIncrementally(document),
      // A document that does not compile is answered with its errors; nothing to log.
      onError: () => undefined,
    },
  );
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
  return [compiled, answeredAsYogaAnswers];
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
