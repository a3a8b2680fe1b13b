import pino, { type Logger } from 'pino';
import { nodeEnv } from './config';

export type { Logger };

/**
 * Structured JSON logs (one object per line) for every process of the hub. Under jest the level
 * defaults to "silent" so that test output stays readable; LOG_LEVEL overrides.
 */
export function createLogger(service: string): Logger {
  const level = process.env.LOG_LEVEL ?? (nodeEnv() === 'test' ? 'silent' : 'info');
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.password'], censor: '[redacted]' },
  });
}
