import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import { aggregateClusterMetrics, intFromEnv, shareFlightsInCluster, type Logger, type RunnerMessage } from '@nimo/kit';

/**
 * How many gateway workers to run: `GATEWAY_WORKERS`, default the machine's available parallelism
 * (its cores, or the CPUs a container may use). 1 runs the gateway in this process, without a cluster.
 */
export function gatewayWorkersFromEnv(): number {
  const workers = intFromEnv('GATEWAY_WORKERS', os.availableParallelism());
  if (workers < 1) throw new Error('GATEWAY_WORKERS must be at least 1');
  return workers;
}

/** Wait before restarting a worker that died: 0.5 s, doubling with each failure in a row up to 30 s. */
function restartDelay(failuresInARow: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, failuresInARow - 1));
}

/** A worker that stays up this long counts as recovered (its failure count starts again). */
const STABLE_MS = 60_000;

/**
 * The primary of a gateway with several workers (Node's cluster module; the workers share one
 * listening port, connections handed round-robin). The primary serves nothing itself; it:
 * - starts the first worker and waits until it listens (it runs the gateway database's migrations
 *   alone), then the others at once;
 * - holds the rate limits' counters for all workers (rate-limiter-flexible's cluster master) when no
 *   Redis is configured, so a caller's limit is the same however its requests are spread;
 * - aggregates the workers' Prometheus metrics for whichever worker is asked for `/metrics`;
 * - tells the workers which of them computes an answer that identical requests in other workers
 *   wait for (REQUEST_SHARING; kit flights.ts), and hands it on;
 * - restarts a worker that dies (logged, with back-off) while the others keep serving;
 * - on SIGTERM or SIGINT (or when the runner that started it goes) asks every worker to stop: each
 *   stops accepting, finishes its requests in flight and closes its pools; the primary exits 0 when
 *   all have, or kills those still running after `SHUTDOWN_GRACE_MS` + 5 s and exits 1.
 * A start that fails (the first worker exits before it listens) exits 1 with the worker's reason,
 * told to the runner as a single process would.
 */
export function runGatewayCluster(logger: Logger, count: number): void {
  // Messages between the primary and the workers in V8's structured-clone format rather than JSON:
  // a shared answer (660 KB for a national overview) crosses twice, leader to primary to waiter,
  // and as JSON its text was escaped into a string and parsed back each time.
  cluster.setupPrimary({ serialization: 'advanced' });
  // Created before any worker, once: the workers' RateLimiterCluster instances talk to it.
  new RateLimiterClusterMaster();
  // `/metrics` from any worker answers with every worker's metrics, aggregated here.
  aggregateClusterMetrics();
  // Identical reads in flight in several workers wait for one answer (REQUEST_SHARING).
  shareFlightsInCluster();
  const live = new Set<Worker>();
  let stopping = false;
  let started = false;
  let lastFailure: string | undefined;
  const failures = new Map<number, { inARow: number; since: number }>();
  const timers = new Set<NodeJS.Timeout>();

  const fail = (reason: string) => {
    logger.fatal({ reason }, 'gateway workers failed to start');
    for (const w of live) w.process.kill('SIGKILL');
    const message: RunnerMessage = { type: 'start-failed', reason };
    if (process.send && process.connected) process.send(message, () => process.exit(1));
    else process.exit(1);
  };

  const fork = (slot: number): Worker => {
    const worker = cluster.fork({ GATEWAY_WORKER_SLOT: String(slot) });
    live.add(worker);
    // A worker that exits while the primary still writes to it (e.g. stopped while it starts to
    // listen) breaks the channel: EPIPE. Its exit is handled below; unhandled, the error would end
    // the primary with exit 1 and drop the other workers' requests.
    worker.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_IPC_CHANNEL_CLOSED') logger.error({ err: error, worker: slot }, 'gateway worker channel failed');
    });
    const since = Date.now();
    worker.on('message', (message: RunnerMessage | undefined) => {
      if (message?.type === 'start-failed') lastFailure = message.reason;
    });
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (live.size === 0) {
          logger.info('every gateway worker has stopped');
          for (const t of timers) clearTimeout(t);
          process.exit(0);
        }
        return;
      }
      if (!started) {
        fail(lastFailure ?? `a gateway worker exited with ${code ?? signal} while starting`);
        return;
      }
      const previous = failures.get(slot);
      const inARow = previous && Date.now() - since < STABLE_MS ? previous.inARow + 1 : 1;
      failures.set(slot, { inARow, since });
      const delayMs = restartDelay(inARow);
      logger.error(
        { worker: slot, pid: worker.process.pid, code, signal, restartInMs: delayMs, failuresInARow: inARow },
        `gateway worker ${slot} stopped unexpectedly; restarting it in ${delayMs} ms (the other workers keep serving)`,
      );
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopping) return;
        const next = fork(slot);
        next.once('listening', () => logger.info({ worker: slot, pid: next.process.pid }, `gateway worker ${slot} restarted`));
      }, delayMs);
      timers.add(timer);
    });
    return worker;
  };

  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    for (const t of timers) clearTimeout(t);
    logger.info({ reason, workers: live.size }, 'stopping the gateway workers (requests in flight finish first)');
    if (live.size === 0) process.exit(0);
    for (const w of live) w.process.kill('SIGTERM');
    const graceMs = intFromEnv('SHUTDOWN_GRACE_MS', 10_000) + 5_000;
    setTimeout(() => {
      logger.error({ workers: [...live].map((w) => w.process.pid) }, 'gateway workers did not stop in time; killing them');
      for (const w of live) w.process.kill('SIGKILL');
      process.exit(1);
    }, graceMs).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (process.channel) {
    // Under the runner: stop when it goes, as a single gateway process does (kit runProcess).
    process.channel.unref();
    process.on('disconnect', () => stop('the runner that started this process has gone'));
  }

  const first = fork(0);
  first.once('listening', () => {
    started = true;
    for (let slot = 1; slot < count && !stopping; slot++) fork(slot);
    logger.info({ workers: count, pid: process.pid }, `gateway: ${count} workers behind one port`);
  });
}
