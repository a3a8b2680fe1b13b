import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { Principal } from '@nimo/kit';
import type { GatewayContext } from './context';

/**
 * A stable, opaque id of a verified principal (role, subject, jurisdictions, organisation): two
 * requests share it only when they act for the same principal with the same rights.
 */
export function principalSessionId(principal: Principal): string {
  const parts = [principal.role, principal.subject, [...principal.jurisdictionCodes].sort().join(','), principal.organizationId ?? ''];
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

/**
 * The opt-in response cache (RESPONSE_CACHE=1): whole answers are kept for as long as the
 * subgraphs' cache hints allow (their `Cache-Control`, which Apollo Gateway folds into the
 * request's cache policy; no hint: not cached; answers with errors: never cached). Every entry is
 * keyed by the principal it was computed for — as the session of PRIVATE answers and also as extra
 * key data of PUBLIC ones — so no principal is ever served another principal's answer.
 */
export function responseCache(): ApolloServerPlugin<GatewayContext> {
  const session = async ({ contextValue }: { contextValue: GatewayContext }) => principalSessionId(contextValue.principal);
  return responseCachePlugin<GatewayContext>({ sessionId: session, extraCacheKeyData: session });
}
