import autocannon from 'autocannon';

export interface LoadResult {
  readonly requests: number;
  readonly durationS: number;
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  /** Headers of each connection in turn, over `headers` (the benchmark: each client a person of its own, with their own token). */
  readonly connectionHeaders?: readonly Record<string, string>[];
  readonly connections: number;
  readonly durationS: number;
  /** Per-request deadline, s. */
  readonly timeoutS?: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

/**
 * POSTs one GraphQL request over and over from `connections` keep-alive connections for
 * `durationS` seconds (autocannon) and measures every response's latency (ms) itself, for exact
 * p50/p95/p99.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const base = { 'content-type': 'application/json', ...options.headers };
  const perConnection = options.connectionHeaders ?? [];
  let connection = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: base,
        ...(perConnection.length > 0
          ? { setupClient: (client: autocannon.Client) => client.setHeaders({ ...base, ...perConnection[connection++ % perConnection.length] }) }
          : {}),
        body: options.body,
        connections: options.connections,
        duration: options.durationS,
        timeout: options.timeoutS ?? 60,
      },
      (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  const durationS = result.duration;
  return {
    requests: latencies.length,
    durationS,
    rps: latencies.length / durationS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
