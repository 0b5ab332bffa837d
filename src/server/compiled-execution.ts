import { useGraphQlJit } from '@envelop/graphql-jit';
import { BREAK, visit, type DocumentNode } from 'graphql';

/** Whether a document asks for incremental delivery (`@defer`, `@stream`). */
function deliversIncrementally(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'defer' && node.name.value !== 'stream') return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * Executes operations with graphql-jit, which compiles each document (once, while yoga keeps it
 * parsed) into a function that builds the answer from plain object literals. yoga's own
 * executor makes every object of an answer with `Object.create(null)`, a dictionary in V8: on a
 * whole-archive answer of a hundred thousand objects that is most of the gateway's memory
 * (docs/benchmarks.md, Real-archive scale). graphql-jit does not implement `@defer`/`@stream`,
 * so documents using them stay with yoga's executor.
 */
export function useCompiledExecution() {
  return useGraphQlJit(
    {},
    {
      enableIf: ({ document }) => !deliversIncrementally(document),
      // A document that does not compile is answered with its errors; nothing to log.
      onError: () => undefined,
    },
  );
}
