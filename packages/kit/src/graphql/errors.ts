import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger';

/** Error codes a client may see and act on. Anything else is an internal error and is masked. */
export const PUBLIC_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  // A part of the hub cannot answer now (issue 14): the answer names the missing fields; retry later.
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  'DATABASE_UNAVAILABLE',
]);

/** Bad input: the request changes nothing, and the message says what to fix. */
export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code: 'BAD_USER_INPUT' } });
}

/** The first error code in an error's chain of causes. */
function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth += 1) {
    if (current instanceof GraphQLError && typeof current.extensions?.code === 'string') {
      const code = current.extensions.code;
      // A scalar's own BAD_USER_INPUT inside a validation error is the more useful code.
      const inner = current.originalError ? codeOf(current.originalError) : undefined;
      return inner === 'BAD_USER_INPUT' ? inner : code;
    }
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/** PostgreSQL error classes (SQLSTATE) that mean the server cannot be used now: connection exceptions, operator intervention. */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-4])/;
const UNAVAILABLE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/**
 * Whether an error (or one in its chain: GraphQL's `originalError`, TypeORM's `driverError`, `cause`)
 * says the database cannot be reached or is shutting down, rather than that a statement was wrong.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth += 1) {
    const e = current as { code?: unknown; message?: unknown; originalError?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_NETWORK.has(e.code))) return true;
    if (
      typeof e.message === 'string' &&
      /^Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(e.message)
    )
      return true;
    current = e.originalError ?? e.driverError ?? e.cause;
  }
  return false;
}

/**
 * `formatError` for every Apollo Server of the hub: errors with a public code pass (with that code);
 * everything else is logged with its detail and answered as a bare internal error, so that no
 * stack, SQL, host name or URL reaches a client. A database that cannot be reached is said as such
 * (DATABASE_UNAVAILABLE), without its detail.
 */
export function maskErrors(logger: Logger, service?: string) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = codeOf(error) ?? (typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined);
    if ((!code || !PUBLIC_ERROR_CODES.has(code)) && isDatabaseUnavailable(error)) {
      logger.warn({ err: error, path: formatted.path }, 'the database is unavailable');
      return {
        message: `The ${service ? `${service} ` : ''}database is unavailable at the moment; retry shortly.`,
        ...(formatted.path ? { path: formatted.path } : {}),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { code: 'DATABASE_UNAVAILABLE' },
      };
    }
    if (code && PUBLIC_ERROR_CODES.has(code)) {
      const { stacktrace: _stacktrace, exception: _exception, serviceName: _serviceName, ...rest } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...rest, code } };
    }
    logger.error({ err: error, path: formatted.path, reported: formatted }, 'internal error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/**
 * The write lost a race: the row changed since the client read it (a stale `expectedVersion`, or a
 * state that moved under it). The one CONFLICT shape of the hub: the message says what changed, and
 * `extensions.currentVersion` carries the row's version now (null when there is no such row), so a
 * client can reload and retry without guessing.
 */
export function conflict(message: string, currentVersion: number | null): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT', currentVersion } });
}

/** The thing a write names does not exist (or is outside what the principal may see). */
export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}
