import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span, Tracer } from '@opentelemetry/api';
import type { Logger } from '../logger.js';

/**
 * OpenTelemetry, off unless the standard OTEL_* variables ask for it (an exporter endpoint or
 * OTEL_TRACES_EXPORTER other than "none"). Nothing is loaded when off. When on, the gateway
 * starts `@opentelemetry/sdk-node` if it is installed (configured entirely from OTEL_* env);
 * otherwise spans go to whatever tracer provider the host process registered through
 * `@opentelemetry/api` (docs/dashboard.md).
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER && env.OTEL_TRACES_EXPORTER !== 'none') return true;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export interface GatewayTracer {
  /** Runs one operation's execution so that the XNAT spans it causes become children of its span. */
  runOperation<T>(execute: () => T): T;
  startOperation(name: string, type: string): Span;
  /** A finished XNAT request, as a span of its own (start time back-dated). */
  recordUpstream(e: { method: string; route: string; status: number; durationMs: number }): void;
  shutdown(): Promise<void>;
}

export async function startTracing(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<GatewayTracer | undefined> {
  if (!tracingRequested(env)) return undefined;
  const api = await import('@opentelemetry/api');
  let shutdown = async () => {};
  try {
    const sdkName = '@opentelemetry/sdk-node';
    const sdk = (await import(sdkName)) as { NodeSDK: new (options?: object) => { start(): void; shutdown(): Promise<void> } };
    const node = new sdk.NodeSDK({ serviceName: env.OTEL_SERVICE_NAME ?? 'xnat-graphql' });
    node.start();
    shutdown = () => node.shutdown();
    logger.info('OpenTelemetry: NodeSDK started from OTEL_* environment');
  } catch {
    logger.warn('OpenTelemetry requested but @opentelemetry/sdk-node is not installed; spans go to the globally registered tracer provider');
  }
  const tracer: Tracer = api.trace.getTracer('xnat-graphql');
  // Our own async context, so parenting works without an OpenTelemetry context manager.
  const operations = new AsyncLocalStorage<{ span?: Span }>();
  return {
    runOperation: (execute) => operations.run({}, execute),
    startOperation: (name, type) => {
      const span = tracer.startSpan(`graphql ${type} ${name}`, { kind: api.SpanKind.SERVER, attributes: { 'graphql.operation.name': name, 'graphql.operation.type': type } });
      const holder = operations.getStore();
      if (holder) holder.span = span;
      return span;
    },
    recordUpstream: (e) => {
      const end = Date.now();
      const parent = operations.getStore()?.span;
      const span = tracer.startSpan(
        `XNAT ${e.method} ${e.route}`,
        {
          kind: api.SpanKind.CLIENT,
          startTime: end - e.durationMs,
          attributes: { 'http.request.method': e.method, 'url.template': e.route, 'http.response.status_code': e.status },
        },
        parent ? api.trace.setSpan(api.context.active(), parent) : api.context.active(),
      );
      if (e.status === 0 || e.status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
      span.end(end);
    },
    shutdown: () => shutdown(),
  };
}
