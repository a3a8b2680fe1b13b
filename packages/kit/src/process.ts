import cluster from 'node:cluster';
import type { Logger } from './logger';

/** What a hub process tells the runner that started it (over the IPC channel the runner opens). */
export type RunnerMessage = { readonly type: 'start-failed'; readonly reason: string };

/**
 * `main` of a hub process: start it, and on SIGINT/SIGTERM close it cleanly (it stops accepting,
 * requests in flight finish, pools close) before exiting 0. A failed start exits 1 with the reason
 * logged (and sent to the runner, which says it in its own words).
 *
 * Under the runner (`npm start`) the process has an IPC channel to it: when the runner dies, even by
 * SIGKILL, the channel closes and the process stops as if asked, so it never lives on as an orphan
 * that keeps its port taken.
 */
export function runProcess(logger: Logger, start: () => Promise<{ close(): Promise<void> }>): void {
  let running: { close(): Promise<void> } | undefined;
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    // Still starting (migrations, demo data): nothing is served yet; PostgreSQL rolls back what was under way.
    if (!running) process.exit(0);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (process.channel) {
    // The runner's channel must not keep the process alive by itself, only tell it when the runner is
    // gone. A cluster worker's channel is its primary's, and it is what keeps a worker's server alive
    // (the listening socket is the primary's): unref'd, an idle worker would exit as soon as it listens.
    if (!cluster.isWorker) process.channel.unref();
    process.on('disconnect', () => stop('the runner that started this process has gone'));
  }
  start()
    .then((started) => {
      running = started;
    })
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      logger.fatal({ err: error }, `start failed: ${reason}`);
      const message: RunnerMessage = { type: 'start-failed', reason };
      if (process.send && process.connected) process.send(message, () => process.exit(1));
      else process.exit(1);
    });
}
