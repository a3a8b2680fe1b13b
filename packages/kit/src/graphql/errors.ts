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

/**
 * `formatError` for every Apollo Server of the hub: errors with a public code pass (with that code);
 * everything else is logged with its detail and answered as a bare internal error, so that no
 * stack, SQL, host name or URL reaches a client.
 */
export function maskErrors(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = codeOf(error) ?? (typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined);
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
