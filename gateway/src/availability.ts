import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context';

/** The codes that say a part of the hub is unavailable for now (not that the request is wrong). */
export const UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_TIMEOUT', 'DATABASE_UNAVAILABLE']);

/**
 * An answer with nothing in it because a part of the hub is unavailable is HTTP 503 with
 * `Retry-After`, not 200: `data` is null (a non-null root field — a list, a summary — could not be
 * answered, so GraphQL nulls the whole answer) and every error is SUBGRAPH_UNAVAILABLE,
 * SUBGRAPH_TIMEOUT or DATABASE_UNAVAILABLE. The body stays the same (the errors name the missing
 * fields and the subgraph), so a client reads it as before; what changes is that retry logic, load
 * balancers and monitors see a temporary server failure rather than a success. A partial answer
 * (some data) stays 200, and so does an answer whose errors include anything else (e.g. FORBIDDEN,
 * which no retry cures). See docs/reliability.md.
 */
export function unavailableStatusPlugin(retryAfterSeconds: number): ApolloServerPlugin<GatewayContext> {
  const retryAfter = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data !== null || !errors || errors.length === 0) return;
          if (!errors.every((error) => UNAVAILABLE_CODES.has(String(error.extensions?.code)))) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', retryAfter);
        },
      };
    },
  };
}
