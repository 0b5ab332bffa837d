import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from './metrics.js';
import type { GatewayTracer } from './tracing.js';

/**
 * One structured log line, one metric observation and (when tracing is on) one span per GraphQL
 * operation: its name and type, how long it took, how many XNAT requests it cost and how many
 * listings the cache answered.
 */
export function useOperationObservability(options: { logger: Logger; metrics: GatewayMetrics; tracer?: GatewayTracer }): Plugin {
  const tracer = options.tracer;
  return {
    // The span covers the whole operation (parse, validate, execute), under the client's traceparent.
    ...(tracer
      ? {
          instrumentation: {
            operation: ({ request }: { request: Request }, wrapped: () => unknown) => tracer.runOperation(request.headers, wrapped),
          } as Plugin['instrumentation'],
        }
      : {}),
    onExecute({ args }) {
      const started = performance.now();
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      const name = args.operationName ?? operation?.name?.value ?? 'anonymous';
      const type = operation?.operation ?? 'unknown';
      tracer?.describeOperation(name, type);
      return {
        onExecuteDone({ result }) {
          const ctx = args.contextValue as unknown as GatewayContext;
          const durationMs = performance.now() - started;
          const errors = 'errors' in result && Array.isArray(result.errors) ? result.errors : [];
          const codes = errors.map((e) => String((e.extensions as { code?: unknown } | undefined)?.code ?? 'INTERNAL_SERVER_ERROR'));
          const status = errors.length === 0 ? 'ok' : 'error';
          options.metrics.recordOperation({ name, type, status, durationMs });
          options.logger.info(
            {
              operation: name,
              type,
              durationMs: Math.round(durationMs * 10) / 10,
              xnatRequests: ctx.stats.requests,
              cacheHits: ctx.stats.cacheHits,
              errors: codes,
            },
            'graphql operation',
          );
          tracer?.endOperation({ xnatRequests: ctx.stats.requests, cacheHits: ctx.stats.cacheHits, errorCodes: codes });
        },
      };
    },
  };
}
