import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { isProduction } from '../config';
import { principalFromClaims, principalKey, PUBLIC_PRINCIPAL, unauthenticated, type Principal } from './principal';
import { VerifiedTokens } from './verified-tokens';

/**
 * The trusted hop from the gateway to the subgraphs. The gateway signs the verified principal as a
 * short-lived JWS (HS256, key HUB_INTERNAL_SECRET shared by the gateway and the subgraphs only);
 * every subgraph verifies it on every request, `_entities` and `_service` included, so nobody can
 * reach a subgraph directly and read entities by key.
 */
export const HOP_HEADER = 'x-nimo-principal';
const ISSUER = 'nimo-gateway';
const AUDIENCE = 'nimo-subgraph';
const TTL_SECONDS = 60;
/** How old a token a subgraph accepts (its lifetime and a little clock skew). */
const MAX_AGE_SECONDS = TTL_SECONDS + 5;

export function hopKey(secret: string | undefined = process.env.HUB_INTERNAL_SECRET): Uint8Array {
  if (!secret || secret.length < 32) {
    throw new Error(
      `HUB_INTERNAL_SECRET ${secret ? `has ${secret.length} characters` : 'is not set'}: it must be set to at least 32 characters, the same for the gateway and every subgraph` +
        (isProduction() ? '' : ' (`npm start` makes one in .data/)'),
    );
  }
  return new TextEncoder().encode(secret);
}

/**
 * Signing and verifying cost about half a millisecond of CPU each, paid by the gateway for every
 * request and by a subgraph for every fetch. Both are remembered, within the token's lifetime:
 * - the gateway reuses a principal's token for up to {@link REUSE_SECONDS} (a subgraph still sees
 *   it expire 50 s later at the earliest);
 * - a subgraph remembers a token it verified, by its exact text, until it expires; a different
 *   string (another principal, a forged or altered one) is verified in full.
 * Each memory is per key and holds at most {@link REMEMBERED} entries (then starts afresh).
 */
const REUSE_SECONDS = 10;
const REMEMBERED = 10_000;

interface KeyMemory {
  readonly secret: KeyObject;
  readonly signed: Map<string, { readonly token: string; readonly reuseUntil: number }>;
  readonly verified: VerifiedTokens;
}
const memories = new WeakMap<Uint8Array, KeyMemory>();
const memoryOf = (key: Uint8Array): KeyMemory => {
  let memory = memories.get(key);
  if (!memory) {
    memory = { secret: createSecretKey(key), signed: new Map(), verified: new VerifiedTokens(REMEMBERED) };
    memories.set(key, memory);
  }
  return memory;
};

export async function signHop(principal: Principal, key: Uint8Array): Promise<string> {
  const memory = memoryOf(key);
  const who = principalKey(principal);
  const known = memory.signed.get(who);
  if (known && Date.now() < known.reuseUntil) return known.token;
  const token = await new SignJWT({
    role: principal.role,
    jurisdictions: [...principal.jurisdictionCodes],
    ...(principal.organizationId ? { org: principal.organizationId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(memory.secret);
  if (memory.signed.size >= REMEMBERED) memory.signed.clear();
  memory.signed.set(who, { token, reuseUntil: Date.now() + REUSE_SECONDS * 1000 });
  return token;
}

/** The principal a subgraph request acts for; 401 unless the gateway signed it. */
export async function verifyHop(header: string | string[] | undefined, key: Uint8Array): Promise<Principal> {
  if (typeof header !== 'string' || header.length === 0) {
    throw unauthenticated('This service is reached through the Nimo Hub gateway only.');
  }
  const memory = memoryOf(key);
  const known = memory.verified.get(header);
  if (known) return known;
  try {
    const { payload } = await jwtVerify(header, memory.secret, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      maxTokenAge: `${MAX_AGE_SECONDS}s`,
    });
    const principal = payload.role === 'public' ? PUBLIC_PRINCIPAL : principalFromClaims(payload);
    // Valid until it expires or grows too old, whichever is first.
    return memory.verified.remember(header, principal, Math.min(payload.exp ?? 0, (payload.iat ?? 0) + MAX_AGE_SECONDS) * 1000);
  } catch (error) {
    if (error instanceof Error && 'extensions' in error) throw error;
    throw unauthenticated('This service is reached through the Nimo Hub gateway only.');
  }
}
