import fs from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isProduction, principalFromClaims, PUBLIC_PRINCIPAL, unauthenticated, VerifiedTokens, type Principal } from '@nimo/kit';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from '@nimo/kit/dev';

/** How the gateway checks bearer tokens: the identity provider's keys, issuer and audience. */
export interface AuthConfig {
  readonly keys: JWTVerifyGetKey;
  readonly issuer: string;
  readonly audience: string;
}

/**
 * From the environment: AUTH_JWKS_URL (the identity provider's JWKS endpoint) or AUTH_JWKS_FILE (a
 * local key set), AUTH_ISSUER and AUTH_AUDIENCE. Without them, outside production, the development
 * key set of `npm run token` (made on first use).
 */
export async function authConfigFromEnv(): Promise<AuthConfig> {
  const { AUTH_JWKS_URL, AUTH_JWKS_FILE, AUTH_ISSUER, AUTH_AUDIENCE } = process.env;
  if (AUTH_JWKS_URL || AUTH_JWKS_FILE) {
    if (!AUTH_ISSUER || !AUTH_AUDIENCE) throw new Error('AUTH_ISSUER and AUTH_AUDIENCE must be set with the key set');
    const keys = AUTH_JWKS_URL
      ? createRemoteJWKSet(new URL(AUTH_JWKS_URL))
      : createLocalJWKSet(JSON.parse(fs.readFileSync(AUTH_JWKS_FILE ?? '', 'utf8')) as Parameters<typeof createLocalJWKSet>[0]);
    return { keys, issuer: AUTH_ISSUER, audience: AUTH_AUDIENCE };
  }
  if (isProduction()) throw new Error('AUTH_JWKS_URL or AUTH_JWKS_FILE (with AUTH_ISSUER and AUTH_AUDIENCE) must be set in production');
  const { jwksFile } = await ensureDevKeys();
  return {
    keys: createLocalJWKSet(JSON.parse(fs.readFileSync(jwksFile, 'utf8')) as Parameters<typeof createLocalJWKSet>[0]),
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
  };
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `its \`${error.claim}\` claim is not accepted (${error.reason})`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'it is signed by an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not accepted (RS256 or ES256)';
  return 'it is not a well-formed JWT';
}

/**
 * How long a verified bearer token is taken without verifying it again (at most; never past its
 * expiry): a key withdrawn from the identity provider's key set stops being honoured within this
 * time (jose keeps a fetched key set for up to ten minutes itself).
 */
const REVERIFY_MS = 60_000;
const verifiedBearers = new WeakMap<AuthConfig, VerifiedTokens>();

/**
 * The principal of a request: no Authorization header is the public principal; a bearer token must
 * verify (signature, issuer, audience, expiry, not-before) or the request is refused with 401. A bad
 * token never falls back to public. A token that verified is remembered, by its exact text, until it
 * expires or for {@link REVERIFY_MS}, whichever is first.
 */
export async function authenticate(authorization: string | undefined, config: AuthConfig): Promise<Principal> {
  if (authorization === undefined || authorization === '') return PUBLIC_PRINCIPAL;
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization.trim());
  const token = match?.[1];
  if (!token) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  let verified = verifiedBearers.get(config);
  if (!verified) {
    verified = new VerifiedTokens();
    verifiedBearers.set(config, verified);
  }
  const known = verified.get(token);
  if (known) return known;
  try {
    const { payload } = await jwtVerify(token, config.keys, {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: ['RS256', 'ES256'],
      clockTolerance: 5,
      requiredClaims: ['exp'],
    });
    return verified.remember(token, principalFromClaims(payload), Math.min((payload.exp ?? 0) * 1000, Date.now() + REVERIFY_MS));
  } catch (error) {
    if (error instanceof Error && 'extensions' in error) throw error;
    throw unauthenticated(`The bearer token was refused: ${reason(error)}.`);
  }
}

/** What checks a vendor's API key (the gateway's key store); null when API keys are off. */
export interface ApiKeyVerifier {
  authenticate(key: string): Promise<Principal>;
}

/**
 * The principal of a request from its credentials: `Authorization: Bearer <JWT>` or, for vendors,
 * `x-api-key: <key>` — one or the other, never both (401). An API key without a key store (no
 * gateway database configured) is refused with 401.
 */
export async function authenticateRequest(
  headers: { authorization?: string | undefined; apiKey?: string | string[] | undefined },
  config: AuthConfig,
  apiKeys: ApiKeyVerifier | null,
): Promise<Principal> {
  const { authorization, apiKey } = headers;
  if (apiKey === undefined) return authenticate(authorization, config);
  if (authorization !== undefined && authorization !== '') {
    throw unauthenticated('Send either an Authorization header or an x-api-key header, not both.');
  }
  if (!apiKeys) throw unauthenticated('API keys are not enabled on this gateway (it has no database configured).');
  // Node joins a repeated header into one value; a list is never one key.
  if (typeof apiKey !== 'string') throw unauthenticated('Send one x-api-key header.');
  return apiKeys.authenticate(apiKey);
}
