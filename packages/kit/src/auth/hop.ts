import { jwtVerify, SignJWT } from 'jose';
import { isProduction } from '../config';
import { principalFromClaims, PUBLIC_PRINCIPAL, unauthenticated, type Principal } from './principal';

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

export function hopKey(secret: string | undefined = process.env.HUB_INTERNAL_SECRET): Uint8Array {
  if (!secret || secret.length < 32) {
    throw new Error(
      `HUB_INTERNAL_SECRET ${secret ? `has ${secret.length} characters` : 'is not set'}: it must be set to at least 32 characters, the same for the gateway and every subgraph` +
        (isProduction() ? '' : ' (`npm start` makes one in .data/)'),
    );
  }
  return new TextEncoder().encode(secret);
}

export function signHop(principal: Principal, key: Uint8Array): Promise<string> {
  return new SignJWT({
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
    .sign(key);
}

/** The principal a subgraph request acts for; 401 unless the gateway signed it. */
export async function verifyHop(header: string | string[] | undefined, key: Uint8Array): Promise<Principal> {
  if (typeof header !== 'string' || header.length === 0) {
    throw unauthenticated('This service is reached through the Nimo Hub gateway only.');
  }
  try {
    const { payload } = await jwtVerify(header, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], maxTokenAge: `${TTL_SECONDS + 5}s` });
    return payload.role === 'public' ? { ...PUBLIC_PRINCIPAL } : principalFromClaims(payload);
  } catch (error) {
    if (error instanceof Error && 'extensions' in error) throw error;
    throw unauthenticated('This service is reached through the Nimo Hub gateway only.');
  }
}
