import './telemetry-off';
import cluster from 'node:cluster';
import { createLogger, runProcess, startTracing, stopTracing } from '@nimo/kit';
import { gatewayWorkersFromEnv, runGatewayCluster } from './workers';

const logger = createLogger('gateway');
const workers = gatewayWorkersFromEnv();
// GATEWAY_WORKERS > 1: this process is the cluster's primary (it serves nothing) and each worker runs the gateway (workers.ts).
if (cluster.isPrimary && workers > 1) runGatewayCluster(logger, workers);
else {
  // Before anything is served; off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  if (startTracing({ service: 'gateway' })) logger.info('tracing: spans go to OTLP');
  runProcess(logger, async () => {
    // Loaded here, not at the top: a cluster's primary serves nothing and needs none of it (Apollo, the
    // query planner, TypeORM: ~100 MiB resident).
    const { startGateway } = await import('./index.js');
    const running = await startGateway({ logger });
    return {
      async close() {
        await running.close();
        await stopTracing();
      },
    };
  });
}
