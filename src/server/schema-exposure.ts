import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * `--no-introspection`: `__schema` and `__type` fail validation (GRAPHQL_VALIDATION_FAILED), and
 * validation errors stop suggesting field names ("Did you mean …?"), which would otherwise let a
 * client rebuild the schema by guessing.
 */
export function hideSchemaPlugins(): Plugin[] {
  const noSuggestions = new EnvelopArmor({
    blockFieldSuggestion: { enabled: true },
    costLimit: { enabled: false },
    maxAliases: { enabled: false },
    maxDepth: { enabled: false },
    maxDirectives: { enabled: false },
    maxTokens: { enabled: false },
  }).protect().plugins as Plugin[];
  return [
    {
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    },
    ...noSuggestions,
  ];
}
