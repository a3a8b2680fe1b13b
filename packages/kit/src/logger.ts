import pino, { type DestinationStream, type Logger } from 'pino';
import { nodeEnv } from './config';
import { currentRequestId } from './telemetry/request';

export type { Logger };

/**
 * Errors with their detail, but never the bound values of a failed SQL statement (TypeORM puts them
 * in `parameters`): those can be personal data. The statement itself is kept, shortened.
 */
function serializeError(error: unknown): Record<string, unknown> {
  const out = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  delete out.parameters;
  if (typeof out.query === 'string' && out.query.length > 500) out.query = `${out.query.slice(0, 500)}…`;
  return out;
}

/**
 * Structured JSON logs (one object per line) for every process of the hub. Under jest the level
 * defaults to "silent" so that test output stays readable; LOG_LEVEL overrides. A line written
 * while a request is being served carries its `requestId` (the trace id; see telemetry/request.ts).
 * `npm start` shows these lines human-readable (the runner formats them with pino-pretty).
 */
export function createLogger(service: string, options: { destination?: DestinationStream; level?: string } = {}): Logger {
  const { destination } = options;
  const level = options.level ?? process.env.LOG_LEVEL ?? (nodeEnv() === 'test' ? 'silent' : 'info');
  const settings: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'req.headers["x-api-key"]', 'headers["x-api-key"]', '*.password'],
      censor: '[redacted]',
    },
    serializers: { err: serializeError },
    mixin(line: object) {
      if ('requestId' in line) return {};
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return destination ? pino(settings, destination) : pino(settings);
}
