import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { intFromEnv, principalKey, type Principal, type ResponseCacheOptions } from '@nimo/kit';

/** An opaque id of a verified principal and its rights (the kit's `principalKey`, hashed). */
export function principalSessionId(principal: Principal): string {
  return createHash('sha256').update(principalKey(principal)).digest('base64url');
}

/**
 * The opt-in response cache (RESPONSE_CACHE=1): whole answers are kept, as the bytes sent, for as
 * long as the subgraphs' cache hints allow (Apollo Gateway folds their `Cache-Control` into the
 * answer's own; no hint: not kept; answers with errors get no hint and are never kept). Every
 * entry is keyed by the verified principal it was computed for and by the request itself, so no
 * principal is ever served another principal's answer. The credentials are verified before the
 * cache is asked (a bad or expired token is refused, never answered from the cache); the verified
 * principal is handed on to the request's context.
 */
export function responseCache(authenticate: (req: IncomingMessage) => Promise<Principal>, verified: WeakMap<IncomingMessage, Principal>): ResponseCacheOptions {
  return {
    maxBytes: intFromEnv('RESPONSE_CACHE_BYTES', 128 * 1024 * 1024),
    async key(req, body, search) {
      let principal: Principal;
      try {
        // The rate limit has verified the credentials already (rate-limit.ts).
        principal = verified.get(req) ?? (await authenticate(req));
      } catch {
        return null; // the request goes on and is refused with its 401
      }
      verified.set(req, principal);
      return createHash('sha256')
        .update(`${principalSessionId(principal)}\n${search}\n${body}`)
        .digest('base64url');
    },
  };
}
