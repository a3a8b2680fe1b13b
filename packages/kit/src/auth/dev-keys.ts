import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { dataDir, isProduction } from '../config';
import type { Principal } from './principal';

/**
 * Development credentials, made on this machine on first use and kept in `.data/` (never
 * committed): an ES256 key pair standing in for a real identity provider, and the gateway ↔
 * subgraph hop secret. Refused when NODE_ENV=production: production configures real keys.
 */
export const DEV_ISSUER = 'nimo-hub-dev';
export const DEV_AUDIENCE = 'nimo-hub';

function refuseInProduction(what: string): void {
  if (isProduction()) throw new Error(`${what} is for development only and is refused when NODE_ENV=production`);
}

function writePrivate(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o600 });
}

export interface DevKeys {
  readonly privateJwk: JWK;
  readonly jwksFile: string;
}

export async function ensureDevKeys(dir = path.join(dataDir(), 'dev-keys')): Promise<DevKeys> {
  refuseInProduction('The development key set');
  const privateFile = path.join(dir, 'private.jwk.json');
  const jwksFile = path.join(dir, 'jwks.json');
  if (!fs.existsSync(privateFile) || !fs.existsSync(jwksFile)) {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `dev-${randomBytes(4).toString('hex')}`;
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    writePrivate(privateFile, JSON.stringify(privateJwk, null, 2));
    fs.writeFileSync(jwksFile, JSON.stringify({ keys: [publicJwk] }, null, 2));
  }
  return { privateJwk: JSON.parse(fs.readFileSync(privateFile, 'utf8')) as JWK, jwksFile };
}

/** A token for a principal, signed with the development key (what `npm run token` prints). */
export async function devToken(principal: Omit<Principal, 'subject'> & { subject?: string }, ttlSeconds = 8 * 3600, keys?: DevKeys): Promise<string> {
  const { privateJwk } = keys ?? (await ensureDevKeys());
  const key = await importJWK(privateJwk, 'ES256');
  return new SignJWT({
    role: principal.role,
    jurisdictions: [...principal.jurisdictionCodes],
    ...(principal.organizationId ? { org: principal.organizationId } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid ?? '' })
    .setSubject(principal.subject ?? `dev-${principal.role}`)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
}

/** A random development secret kept in `.data/<name>` (made on first use); refused in production. */
export function ensureDevSecret(name: string, what: string, bytes = 32): string {
  refuseInProduction(what);
  const file = path.join(dataDir(), name);
  if (!fs.existsSync(file)) writePrivate(file, randomBytes(bytes).toString('hex'));
  return fs.readFileSync(file, 'utf8').trim();
}

/** The hop secret of a development hub, kept in `.data/hub-secret`. */
export function ensureDevHopSecret(): string {
  return ensureDevSecret('hub-secret', 'The development hop secret');
}
