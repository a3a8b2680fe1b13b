import cluster from 'node:cluster';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';
import { intFromEnv, isProduction } from '../config';

/**
 * Prometheus metrics of every hub process (prom-client's default registry), served at
 * `GET /metrics`. All names start with `nimo_`; the `service` label names the process (several
 * share one process in tests). Process metrics (CPU, memory, event-loop lag, GC) come from
 * prom-client's defaults.
 */

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

let defaults = false;
function ensureDefaults(): void {
  if (defaults) return;
  defaults = true;
  collectDefaultMetrics();
}

// A worker of a cluster (the gateway with GATEWAY_WORKERS > 1) answers its primary's requests for its
// metrics (prom-client's listener, which an AggregatorRegistry adds) and collects its process metrics
// from its start, so that the primary's aggregate (aggregateClusterMetrics) covers every worker.
if (cluster.isWorker) {
  new AggregatorRegistry();
  ensureDefaults();
}

export const requestsTotal = new Counter({
  name: 'nimo_graphql_requests_total',
  help: 'GraphQL requests answered, by operation name and HTTP status.',
  labelNames: ['service', 'operation', 'status'] as const,
});

export const requestDuration = new Histogram({
  name: 'nimo_graphql_request_duration_seconds',
  help: 'Time from a GraphQL request arriving to its answer being sent, by operation name.',
  labelNames: ['service', 'operation'] as const,
  buckets: LATENCY_BUCKETS,
});

export const subgraphFetchDuration = new Histogram({
  name: 'nimo_subgraph_fetch_duration_seconds',
  help: "The gateway's requests to each subgraph: time to the answer's headers.",
  labelNames: ['subgraph'] as const,
  buckets: LATENCY_BUCKETS,
});

export const subgraphFetchErrors = new Counter({
  name: 'nimo_subgraph_fetch_errors_total',
  help: "The gateway's failed requests to each subgraph: network (refused, reset, deadline) or http (status 4xx/5xx).",
  labelNames: ['subgraph', 'kind'] as const,
});

export const sqlStatementsPerRequest = new Histogram({
  name: 'nimo_sql_statements_per_request',
  help: 'SQL statements one GraphQL request of a subgraph sent to PostgreSQL.',
  labelNames: ['service'] as const,
  buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
});

export const responseCacheLookups = new Counter({
  name: 'nimo_response_cache_total',
  help: 'Response cache lookups (hit, miss) and answers kept (stored).',
  labelNames: ['service', 'result'] as const,
});

export const sharedAnswers = new Counter({
  name: 'nimo_shared_answers_total',
  help: 'Requests answered with the answer of an identical request (same principal, same request) that was in flight when they arrived.',
  labelNames: ['service'] as const,
});

/** Requests refused by a rate limit; whatever enforces a limit increments it with the limit's name. */
export const rateLimitRefusals = new Counter({
  name: 'nimo_rate_limit_refusals_total',
  help: 'Requests refused by a rate limit, by limit.',
  labelNames: ['limit'] as const,
});

/** What a pool of database connections reports (pg's Pool). */
export interface PoolStats {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

const pools = new Map<string, () => PoolStats | undefined>();

export const poolConnections = new Gauge({
  name: 'nimo_db_pool_connections',
  help: 'Connections of each database pool: total open, idle, and clients waiting for one.',
  labelNames: ['pool', 'state'] as const,
  collect() {
    this.reset();
    for (const [pool, stats] of pools) {
      const s = stats();
      if (!s) continue;
      this.set({ pool, state: 'total' }, s.totalCount);
      this.set({ pool, state: 'idle' }, s.idleCount);
      this.set({ pool, state: 'waiting' }, s.waitingCount);
    }
  },
});

export const poolSize = new Gauge({
  name: 'nimo_db_pool_max_connections',
  help: 'The most connections each database pool may open (DB_POOL_SIZE).',
  labelNames: ['pool'] as const,
});

/** Reports a pool in `nimo_db_pool_connections` until the returned function is called. */
export function observePool(name: string, stats: () => PoolStats | undefined, max?: number): () => void {
  pools.set(name, stats);
  if (max !== undefined) poolSize.set({ pool: name }, max);
  return () => {
    pools.delete(name);
    poolSize.remove({ pool: name });
  };
}

const MAX_OPERATION_NAMES = intFromEnv('METRICS_MAX_OPERATIONS', 200);
const operationNames = new Set<string>();

/**
 * The operation label: the operation's name (GraphQL names are `[_A-Za-z][_0-9A-Za-z]*`, cut at
 * 100 characters), `anonymous`, or `other` once a process has seen METRICS_MAX_OPERATIONS names
 * (clients choose names; the label set must stay bounded).
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  const label = name.slice(0, 100);
  if (operationNames.has(label)) return label;
  if (operationNames.size >= MAX_OPERATION_NAMES) return 'other';
  operationNames.add(label);
  return label;
}

/** Where `/metrics` is served (see docs/operations.md). */
export interface MetricsAccess {
  /** Serve on the process's own port, with this bearer token (null: no token needed). */
  readonly onMainPort: { readonly token: string | null } | null;
  /** A port of its own for the scraper (0 or absent: none). */
  readonly port: number;
}

/**
 * METRICS_PORT: a separate listener for `/metrics` (what a cluster's scraper reaches; keep it off
 * the public network). METRICS_TOKEN: `/metrics` on the process's own port with
 * `Authorization: Bearer <token>`. Neither: open on the own port outside production, closed in
 * production.
 */
export function metricsAccessFromEnv(): MetricsAccess {
  const port = intFromEnv('METRICS_PORT', 0);
  const token = process.env.METRICS_TOKEN || null;
  if (token && token.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters');
  const onMainPort = token ? { token } : port === 0 && !isProduction() ? { token: null } : null;
  return { onMainPort, port };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Answers `GET /metrics` in Prometheus' text format; `token` null means no token is asked for. */
export async function serveMetrics(req: http.IncomingMessage, res: http.ServerResponse, token: string | null): Promise<void> {
  if (token !== null && !tokenMatches(req.headers.authorization, token)) {
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
    res.end('metrics need the bearer token (METRICS_TOKEN)\n');
    return;
  }
  ensureDefaults();
  const text = cluster.isWorker ? await clusterMetrics() : await register.metrics();
  res.writeHead(200, { 'content-type': register.contentType, 'cache-control': 'no-store' });
  res.end(text);
}

/** The IPC message a cluster's worker and primary exchange for the cluster's metrics. */
interface MetricsMessage {
  readonly type: 'nimo-metrics';
  readonly id: string;
  readonly text?: string;
  readonly error?: string;
}

const isMetricsMessage = (message: unknown): message is MetricsMessage => (message as { type?: unknown } | null)?.type === 'nimo-metrics';

/**
 * In a worker of a cluster (the gateway with GATEWAY_WORKERS > 1): the metrics of every worker,
 * aggregated by the primary (`aggregateClusterMetrics`), so that a scrape through the one port counts
 * the whole gateway whichever worker answers it.
 */
function clusterMetrics(): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the cluster primary did not answer with the metrics within 5 s'));
    }, 5000);
    const onMessage = (message: unknown) => {
      if (!isMetricsMessage(message) || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(message.error ?? 'no metrics'));
    };
    process.on('message', onMessage);
    process.send?.({ type: 'nimo-metrics', id } satisfies MetricsMessage);
  });
}

/**
 * In a cluster's primary: answers its workers' requests for the cluster's metrics with every
 * worker's metrics aggregated (prom-client's AggregatorRegistry: counters and histograms summed,
 * gauges summed unless prom-client says otherwise).
 */
export function aggregateClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMetricsMessage(message) || message.text !== undefined) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: 'nimo-metrics', id: message.id, text } satisfies MetricsMessage),
      (error: unknown) => worker.send({ type: 'nimo-metrics', id: message.id, error: String(error) } satisfies MetricsMessage),
    );
  });
}

export { ensureDefaults as collectProcessMetrics };
