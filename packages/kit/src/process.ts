import type { Logger } from './logger';

/**
 * `main` of a hub process: start it, and on SIGINT/SIGTERM close it cleanly (in-flight requests
 * finish, pools close) before exiting. A failed start exits non-zero with the reason logged.
 */
export function runProcess(logger: Logger, start: () => Promise<{ close(): Promise<void> }>): void {
  start()
    .then((running) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'stopping');
        running.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'stop failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    })
    .catch((error: unknown) => {
      logger.fatal({ err: error }, 'start failed');
      process.exit(1);
    });
}
