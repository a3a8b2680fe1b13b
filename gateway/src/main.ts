import './telemetry-off';
import { createLogger, runProcess, startTracing, stopTracing } from '@nimo/kit';
import { startGateway } from './index';

const logger = createLogger('gateway');
// Before anything is served; off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
if (startTracing({ service: 'gateway' })) logger.info('tracing: spans go to OTLP');
runProcess(logger, async () => {
  const running = await startGateway({ logger });
  return {
    async close() {
      await running.close();
      await stopTracing();
    },
  };
});
