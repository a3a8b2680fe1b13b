import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { authenticate, type AuthConfig } from '@nimo/gateway/auth';
import { HOP_HEADER, signHop, type Principal } from '@nimo/kit';

/** What the plugin adds to Hive Gateway's context: the verified principal and its signed form. */
export interface HubAuthContext {
  readonly principal: Principal;
  readonly hopToken: string;
}

/**
 * A stable id of a principal (role, subject, jurisdictions, organisation): the response cache's
 * session key, so one principal never gets another's cached answer. The hub's gateway uses the
 * same function.
 */
export { principalSessionId } from '@nimo/gateway/response-cache';

/**
 * Hive Gateway authenticating like the hub's gateway: the bearer token is verified by the hub's own
 * `authenticate` (same key set, issuer, audience, algorithms; a bad token is 401, never public), and
 * every subgraph fetch carries the principal signed with the kit's `signHop` in `x-nimo-principal`.
 */
export function useHubAuth(auth: AuthConfig, hopKey: Uint8Array): GatewayPlugin<HubAuthContext> & { principalOf(request: Request): Promise<Principal> } {
  // Once per request: the response cache needs the principal (its session) before the context is built.
  const verified = new WeakMap<Request, Promise<Principal>>();
  const principalOf = (request: Request): Promise<Principal> => {
    let principal = verified.get(request);
    if (!principal) {
      principal = authenticate(request.headers.get('authorization') ?? undefined, auth);
      verified.set(request, principal);
    }
    return principal;
  };
  return {
    principalOf,
    async onContextBuilding({ context, extendContext }) {
      const principal = await principalOf(context.request);
      extendContext({ principal, hopToken: await signHop(principal, hopKey) });
    },
    onFetch(payload) {
      const { context, options } = payload;
      const hopToken = 'hopToken' in context ? context.hopToken : undefined;
      if (!hopToken) return;
      const headers = new Headers(options.headers);
      headers.set(HOP_HEADER, hopToken);
      payload.setOptions({ ...options, headers: Object.fromEntries(headers.entries()) });
    },
  };
}
