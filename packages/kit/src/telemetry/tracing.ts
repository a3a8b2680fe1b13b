import { context, propagation, trace, type Span } from '@opentelemetry/api';
import type { Instrumentation, InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * The SDK, loaded only when tracing starts: a process with tracing off (the default, and every
 * command-line tool) does not pay for loading it.
 */
function sdk() {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand, typed by their own declarations */
  return {
    core: require('@opentelemetry/core') as typeof import('@opentelemetry/core'),
    otlp: require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http'),
    graphql: require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql'),
    http: require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http'),
    pg: require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg'),
    undici: require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici'),
    resources: require('@opentelemetry/resources') as typeof import('@opentelemetry/resources'),
    base: require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base'),
    node: require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Traces with OpenTelemetry: one trace per request, from the gateway's HTTP server span through
 * Apollo Gateway's plan and fetches (Apollo's own spans), the subgraph requests (W3C `traceparent`
 * on the hop, by the undici instrumentation of Node's fetch), each subgraph's HTTP server span and
 * GraphQL execution, down to every SQL statement (pg).
 *
 * Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: then
 * nothing is installed, no span is made and no outbound call happens. With it, spans are batched
 * and sent by OTLP over HTTP (the standard OTEL_* variables apply: headers, sampling, ...).
 *
 * What the spans never carry: SQL parameters (pg's `enhancedDatabaseReporting` stays off),
 * GraphQL variable values and literals (the GraphQL instrumentation replaces literals with `*`),
 * request headers (tokens), and query strings of URLs (a GET request's variables).
 */

export interface TracingOptions {
  /** `service.name` of the spans (the process: `gateway`, `directory`, ...). */
  readonly service: string;
  /** Where spans go; defaults to OTLP when configured. Tests pass an in-memory exporter. */
  readonly exporter?: SpanExporter;
}

let provider: NodeTracerProvider | null = null;

/** Whether this process records traces. */
export const tracingEnabled = (): boolean => provider !== null;

export function tracingConfigured(): boolean {
  return Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** `/health`, `/ready` and `/metrics` are polled all day long: no traces for them. */
const UNTRACED = /^\/(?:health|ready|metrics)(?:[/?]|$)/;

/** A URL without its query string (which can carry a GET request's variables). */
function withoutQuery(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/\?.*$/s, '') : value;
}

const URL_ATTRIBUTES = ['http.url', 'http.target', 'url.full', 'url.query', 'http.route'];

function scrubUrl(span: Span): void {
  // The attributes of a live span are readable on the SDK's span class.
  const attributes = (span as unknown as { attributes?: Record<string, unknown> }).attributes ?? {};
  for (const name of URL_ATTRIBUTES) {
    if (!(name in attributes)) continue;
    if (name === 'url.query') span.setAttribute(name, '');
    else span.setAttribute(name, withoutQuery(attributes[name]) as string);
  }
}

/**
 * Applies an instrumentation's patches to the modules as this process resolves them, now: the
 * same module objects every other package gets from `require` (Node's module cache, and under
 * jest its registry), so the order of imports does not matter and no require hook is involved.
 */
function patchLoaded(instrumentation: Instrumentation): void {
  // This module's own `require`: under jest it is the test's module registry, whose module objects
  // the code under test uses; `createRequire` would patch Node's copies instead.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- modules are named by the instrumentations
  const from = (name: string): unknown => require(name);
  const definitions = (instrumentation as unknown as { getModuleDefinitions(): InstrumentationModuleDefinition[] }).getModuleDefinitions();
  for (const definition of definitions) {
    let exports: unknown;
    let version: string | undefined;
    try {
      exports = from(definition.name);
      version =
        definition.name.startsWith('node:') || ['http', 'https'].includes(definition.name)
          ? process.versions.node
          : (from(`${definition.name}/package.json`) as { version: string }).version;
    } catch {
      continue; // not installed for this process (e.g. pg in a process without a database)
    }
    if (definition.patch) {
      const patched: unknown = definition.patch(exports, version);
      definition.moduleExports = patched ?? exports;
    }
    for (const file of definition.files) {
      let fileExports: unknown;
      try {
        fileExports = from(file.name); // e.g. `graphql/execution/execute.js`
      } catch {
        continue;
      }
      file.moduleExports = file.patch(fileExports, version) ?? fileExports;
    }
  }
}

/**
 * Starts tracing for this process when OTLP is configured (or an exporter is given); returns
 * whether it did. Call it once, at start-up, before serving.
 */
export function startTracing(options: TracingOptions): boolean {
  if (provider) return true;
  if (!options.exporter && !tracingConfigured()) return false;
  const { core, otlp, graphql, http, pg, undici: fetchInstrumentation, resources, base, node } = sdk();
  const exporter = options.exporter ?? new otlp.OTLPTraceExporter();
  provider = new node.NodeTracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? options.service }),
    spanProcessors: [options.exporter ? new base.SimpleSpanProcessor(exporter) : new base.BatchSpanProcessor(exporter)],
  });
  // The AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register({ propagator: new core.W3CTraceContextPropagator() });
  const instrumentations: Instrumentation[] = [
    new http.HttpInstrumentation({
      enabled: false,
      ignoreIncomingRequestHook: (req) => UNTRACED.test(req.url ?? ''),
      // Outgoing requests of the hub are Node's fetch (the undici instrumentation below).
      ignoreOutgoingRequestHook: () => true,
      requestHook: (span) => scrubUrl(span),
      headersToSpanAttributes: { server: { requestHeaders: [], responseHeaders: [] }, client: { requestHeaders: [], responseHeaders: [] } },
    }),
    new pg.PgInstrumentation({ enabled: false, enhancedDatabaseReporting: false, requireParentSpan: true }),
    new graphql.GraphQLInstrumentation({ enabled: false, allowValues: false, ignoreTrivialResolveSpans: true, ignoreResolveSpans: true, mergeItems: true }),
  ];
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(provider);
    patchLoaded(instrumentation);
  }
  // Node's fetch publishes its requests on diagnostics channels: this one subscribes (no patching;
  // it starts subscribed).
  const undici = new fetchInstrumentation.UndiciInstrumentation({
    startSpanHook: (request) => ({ 'url.full': String(withoutQuery(`${request.origin}${request.path}`)), 'url.query': '' }),
  });
  undici.setTracerProvider(provider);
  return true;
}

/** Flushes and stops tracing (at the end of a process or a test). */
export async function stopTracing(): Promise<void> {
  const current = provider;
  provider = null;
  if (!current) return;
  await current.forceFlush();
  await current.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

/** The trace id of the span active now, if tracing is on and a span is active. */
export function activeTraceId(): string | undefined {
  if (!provider) return undefined;
  const span = trace.getActiveSpan();
  return span?.spanContext().traceId;
}
