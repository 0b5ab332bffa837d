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
    ...(tracer ? { instrumentation: { execute: (_payload: unknown, wrapped: () => unknown) => tracer.runOperation(wrapped) } as Plugin['instrumentation'] } : {}),
    onExecute({ args }) {
      const started = performance.now();
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      const name = args.operationName ?? operation?.name?.value ?? 'anonymous';
      const type = operation?.operation ?? 'unknown';
      const span = options.tracer?.startOperation(name, type);
      return {
        onExecuteDone({ result }) {
          const ctx = args.contextValue as unknown as GatewayContext;
          const durationMs = performance.now() - started;
          const errors = 'errors' in result && Array.isArray(result.errors) ? result.errors : [];
          const codes = errors.map((e) => String((e.extensions as { code?: unknown } | undefined)?.code ?? 'INTERNAL_SERVER_ERROR'));
          const status = errors.length === 0 ? 'ok' : 'error';
          options.metrics.recordOperation({ name, type, status, durationMs });
          options.logger.info(
            { operation: name, type, durationMs: Math.round(durationMs * 10) / 10, xnatRequests: ctx.stats.requests, cacheHits: ctx.stats.cacheHits, errors: codes },
            'graphql operation',
          );
          if (span) {
            span.setAttribute('xnat.requests', ctx.stats.requests);
            span.setAttribute('xnat.cache_hits', ctx.stats.cacheHits);
            if (errors.length > 0) span.setStatus({ code: 2, message: codes.join(',') });
            span.end();
          }
        },
      };
    },
  };
}
