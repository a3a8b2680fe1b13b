import { context, propagation, trace, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Instrumentation, InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

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
      version = definition.name.startsWith('node:') || ['http', 'https'].includes(definition.name)
        ? process.versions.node
        : (from(`${definition.name}/package.json`) as { version: string }).version;
    } catch {
      continue; // not installed for this process (e.g. pg in a process without a database)
    }
    if (definition.patch) definition.moduleExports = definition.patch(exports, version) ?? exports;
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
  const exporter = options.exporter ?? (tracingConfigured() ? new OTLPTraceExporter() : null);
  if (!exporter) return false;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? options.service }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  // The AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const instrumentations: Instrumentation[] = [
    new HttpInstrumentation({
      enabled: false,
      ignoreIncomingRequestHook: (req) => UNTRACED.test(req.url ?? ''),
      // Outgoing requests of the hub are Node's fetch (the undici instrumentation below).
      ignoreOutgoingRequestHook: () => true,
      requestHook: (span) => scrubUrl(span),
      headersToSpanAttributes: { server: { requestHeaders: [], responseHeaders: [] }, client: { requestHeaders: [], responseHeaders: [] } },
    }),
    new PgInstrumentation({ enabled: false, enhancedDatabaseReporting: false, requireParentSpan: true }),
    new GraphQLInstrumentation({ enabled: false, allowValues: false, ignoreTrivialResolveSpans: true, ignoreResolveSpans: true, mergeItems: true }),
  ];
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(provider);
    patchLoaded(instrumentation);
  }
  // Node's fetch publishes its requests on diagnostics channels: this one subscribes (no patching;
  // it starts subscribed).
  const undici = new UndiciInstrumentation({
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
