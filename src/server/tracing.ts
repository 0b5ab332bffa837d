import type { BatchObserver } from '../loaders/options.js';
import type { Logger } from '../logger.js';
import { routeOf } from '../xnat/paths.js';

/**
 * OpenTelemetry, off unless the standard OTEL_* variables ask for it (an exporter endpoint, or
 * OTEL_TRACES_EXPORTER other than "none"). Nothing of it is loaded when off.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER && env.OTEL_TRACES_EXPORTER !== 'none') return true;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export interface GatewayTracer {
  /**
   * Runs one GraphQL operation inside its span, a child of the client's W3C `traceparent` when
   * it sent one; the XNAT requests made for it become the span's children and carry the trace on.
   */
  runOperation<T>(headers: Headers, run: () => T): T;
  /** Names the running operation's span and records its outcome, once known. */
  describeOperation(name: string, type: string): void;
  endOperation(outcome: { xnatRequests: number; cacheHits: number; errorCodes: string[] }): void;
  /**
   * Runs one loader batch (what one resolver level asks of XNAT) inside its span
   * (`xnat-graphql.load <level>`), a child of the operation's span and the parent of the XNAT
   * requests it makes, counting them and the values it loaded.
   */
  traceLoad: BatchObserver;
  /** Runs `work` without spans or propagation (readiness probes, which would flood traces). */
  untraced<T>(work: () => T): T;
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * The exporter OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL names: http/protobuf (OpenTelemetry's
 * default), http/json or grpc. Each reads its endpoint, headers and TLS settings from OTEL_*.
 */
async function otlpExporter(env: NodeJS.ProcessEnv, logger: Logger) {
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf';
  if (protocol === 'grpc') return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
  if (protocol === 'http/json') return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  if (protocol !== 'http/protobuf')
    logger.warn({ protocol }, 'OpenTelemetry: the OTLP protocol is grpc, http/protobuf or http/json; sending http/protobuf');
  return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
}

/**
 * Starts the OpenTelemetry SDK from OTEL_* alone: a tracer provider exporting over OTLP (or
 * to the console with OTEL_TRACES_EXPORTER=console), the W3C trace-context propagator, and
 * undici's instrumentation, which makes a client span of every XNAT request and sends
 * `traceparent` to XNAT. Sampling follows OTEL_TRACES_SAMPLER (default: the client's decision,
 * else always); batching follows OTEL_BSP_*; the service is `xnat-graphql` unless
 * OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say otherwise.
 */
export async function startTracing(
  logger: Logger,
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewayTracer | undefined> {
  if (!tracingRequested(env)) return undefined;
  const [api, core, node, resources, undici, instrumentation] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/core'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation'),
  ]);
  const exporter = env.OTEL_TRACES_EXPORTER === 'console' ? new node.ConsoleSpanExporter() : await otlpExporter(env, logger);
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': 'xnat-graphql', 'service.version': version }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new node.NodeTracerProvider({ resource, spanProcessors: [new node.BatchSpanProcessor(exporter)] });
  // Registers the provider, an AsyncLocalStorage context manager and the W3C propagators globally.
  provider.register();
  /** The XNAT requests of the running load (undici's request hook runs in the caller's context). */
  const loadRequests = api.createContextKey('xnat-graphql load requests');
  const undiciInstrumentation = new undici.UndiciInstrumentation({
    requestHook: (span, request) => {
      const route = routeOf(request.path);
      span.updateName(`XNAT ${request.method} ${route}`);
      span.setAttribute('url.template', route);
      const counter = api.context.active().getValue(loadRequests) as { count: number } | undefined;
      if (counter) counter.count += 1;
    },
  });
  instrumentation.registerInstrumentations({ instrumentations: [undiciInstrumentation], tracerProvider: provider });
  logger.info({ exporter: env.OTEL_TRACES_EXPORTER ?? 'otlp' }, 'OpenTelemetry tracing on');

  const tracer = api.trace.getTracer('xnat-graphql', version);
  const headerGetter: import('@opentelemetry/api').TextMapGetter<Headers> = {
    keys: (headers) => [...headers.keys()],
    get: (headers, key) => headers.get(key) ?? undefined,
  };
  return {
    runOperation(headers, run) {
      const parent = api.propagation.extract(api.ROOT_CONTEXT, headers, headerGetter);
      const span = tracer.startSpan('graphql operation', { kind: api.SpanKind.SERVER }, parent);
      const end = () => span.end();
      let result: ReturnType<typeof run>;
      try {
        result = api.context.with(api.trace.setSpan(parent, span), run);
      } catch (error) {
        end();
        throw error;
      }
      if (result instanceof Promise) return result.finally(end) as typeof result;
      end();
      return result;
    },
    describeOperation(name, type) {
      const span = api.trace.getActiveSpan();
      span?.updateName(`graphql ${type} ${name}`);
      span?.setAttributes({ 'graphql.operation.name': name, 'graphql.operation.type': type });
    },
    endOperation({ xnatRequests, cacheHits, errorCodes }) {
      const span = api.trace.getActiveSpan();
      span?.setAttributes({ 'xnat.requests': xnatRequests, 'xnat.cache_hits': cacheHits });
      if (errorCodes.length > 0) span?.setStatus({ code: api.SpanStatusCode.ERROR, message: errorCodes.join(',') });
    },
    async traceLoad(level, keys, load) {
      const span = tracer.startSpan(`xnat-graphql.load ${level}`, {
        kind: api.SpanKind.INTERNAL,
        attributes: { 'xnat_graphql.level': level, 'xnat_graphql.keys': keys },
      });
      const requests = { count: 0 };
      const inside = api.trace.setSpan(api.context.active().setValue(loadRequests, requests), span);
      try {
        const values = await api.context.with(inside, load);
        let loaded = 0;
        for (let i = 0; i < values.length; i++) {
          const value = values[i];
          if (value instanceof Error) span.setStatus({ code: api.SpanStatusCode.ERROR, message: value.message });
          else loaded += Array.isArray(value) ? value.length : value == null ? 0 : 1;
        }
        span.setAttribute('xnat_graphql.values', loaded);
        return values;
      } catch (error) {
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.setAttribute('xnat.requests', requests.count);
        span.end();
      }
    },
    untraced: (work) => api.context.with(core.suppressTracing(api.context.active()), work),
    async shutdown() {
      undiciInstrumentation.disable();
      await provider.shutdown();
    },
  };
}
