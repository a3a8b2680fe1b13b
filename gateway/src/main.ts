import './telemetry-off';
import { createLogger, runProcess } from '@nimo/kit';
import { startGateway } from './index';

const logger = createLogger('gateway');
runProcess(logger, () => startGateway({ logger }));
