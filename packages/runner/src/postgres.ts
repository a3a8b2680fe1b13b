import type { Logger } from '@nimo/kit';
import type { EmbeddedServer } from '@nimo/kit/dev';
import { restartDelay, STABLE_MS } from './restart';

/** The embedded PostgreSQL server of a hub, restarted when it dies until the hub stops. */
export interface SupervisedPostgres {
  /** The server now running (after a restart, the new one). */
  readonly server: EmbeddedServer;
  /** No restart begins after this (the hub is stopping; its server stops last, with `stop`). */
  endRestarts(): void;
  /**
   * Stops supervising and stops the server, including one that a restart in progress is starting
   * (it is stopped as soon as it is up); rejects when the server's own stop fails.
   */
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL with `start` and restarts it with back-off (`restartDelay`) whenever it stops
 * while the hub runs. `stop` ends that: no restart is begun after it, and a server a restart was
 * already starting is stopped too, so that stopping the hub while PostgreSQL comes back (after a
 * crash, or once its processes were killed) leaves no server running.
 */
export async function supervisePostgres(start: () => Promise<EmbeddedServer>, logger: Logger): Promise<SupervisedPostgres> {
  let server = await start();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  // A restart under way: settles once its server is up and supervised (or its start failed).
  let restarting: Promise<void> | undefined;

  const supervise = (current: EmbeddedServer, failures: number) => {
    server = current;
    const since = Date.now();
    void current.exited.then((code) => {
      if (stopping || server !== current) return;
      const inARow = Date.now() - since > STABLE_MS ? 1 : failures + 1;
      const delayMs = restartDelay(inARow);
      logger.error({ code, restartInMs: delayMs }, `PostgreSQL stopped unexpectedly; restarting it in ${delayMs} ms`);
      const retry = () => {
        timer = undefined;
        if (stopping) return;
        logger.info('starting PostgreSQL again');
        // Started from the promise (not before it exists), so that a stop asked for at any moment
        // of the start finds it in `restarting` and waits for its server.
        restarting = Promise.resolve()
          .then(start)
          .then(
            (next) => {
              supervise(next, inARow);
              if (!stopping) logger.info({ pid: next.pid }, 'PostgreSQL restarted');
            },
            (error: unknown) => {
              if (stopping) return;
              logger.error({ err: error }, 'PostgreSQL did not restart; trying again');
              timer = setTimeout(retry, restartDelay(inARow + 1));
            },
          );
      };
      timer = setTimeout(retry, delayMs);
    });
  };
  supervise(server, 0);

  const endRestarts = () => {
    stopping = true;
    if (timer) clearTimeout(timer);
  };

  return {
    get server() {
      return server;
    },
    endRestarts,
    async stop() {
      endRestarts();
      // A server being started now is the one to stop once it is up.
      await restarting;
      await server.stop();
    },
  };
}
