import { createLogger } from '@nimo/kit';
import { startHub } from './hub';
import { prettyDestination, prettyLogs } from './pretty';

/**
 * `npm start`: the whole hub with demo data, supervised (a process that dies is restarted). Ctrl-C or
 * SIGTERM stops it in order (the gateway after its requests in flight, the subgraphs, PostgreSQL) and
 * exits 0.
 */
const logger = createLogger('hub', prettyLogs() ? { destination: prettyDestination } : {});

startHub({ logger }).then(
  (hub) => {
    logger.info({ url: hub.gatewayUrl }, `Nimo Hub is up: GraphQL at ${hub.gatewayUrl}, explorer at ${hub.gatewayUrl.replace('/graphql', '/')}`);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping the hub');
      // 0 only when every process stopped by itself; one that had to be killed is logged and ends in 1.
      hub.stop().then(
        (clean) => process.exit(clean ? 0 : 1),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  },
  (error: unknown) => {
    logger.fatal({ err: error }, `the hub failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
