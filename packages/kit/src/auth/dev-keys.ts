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

/**
 * The development key set in `dir`, made on first use. Never replaced silently: tokens signed with it
 * (`npm run token`, valid for hours) depend on it, so a set with one of its two files missing is
 * refused with what to do rather than made anew. A new set is written to a folder of its own and
 * moved into place in one step, so two processes starting at once (the gateway and `npm run token`)
 * end up with the same set.
 */
export async function ensureDevKeys(dir = path.join(dataDir(), 'dev-keys')): Promise<DevKeys> {
  refuseInProduction('The development key set');
  const privateFile = path.join(dir, 'private.jwk.json');
  const jwksFile = path.join(dir, 'jwks.json');
  const hasPrivate = fs.existsSync(privateFile);
  const hasPublic = fs.existsSync(jwksFile);
  if (hasPrivate !== hasPublic) {
    throw new Error(
      `the development key set in ${dir} is incomplete (${hasPrivate ? 'jwks.json' : 'private.jwk.json'} is missing), and tokens signed ` +
        `with it may be in use. Restore the missing file, or delete the folder to make a new set (tokens made before are then refused).`,
    );
  }
  if (!hasPrivate) {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `dev-${randomBytes(4).toString('hex')}`;
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    const staging = `${dir}.new-${randomBytes(4).toString('hex')}`;
    writePrivate(path.join(staging, 'private.jwk.json'), JSON.stringify(privateJwk, null, 2));
    fs.writeFileSync(path.join(staging, 'jwks.json'), JSON.stringify({ keys: [publicJwk] }, null, 2));
    try {
      if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
      fs.renameSync(staging, dir);
    } catch {
      // Another process made the set first: use that one.
      fs.rmSync(staging, { recursive: true, force: true });
    }
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

/**
 * A random development secret kept in `.data/<name>` (made on first use); refused in production. It
 * is created in one step (written aside, then linked into place, which fails if the file exists), so
 * two processes starting at once never each make their own, and an existing one is never replaced.
 * An empty or damaged file is refused rather than overwritten: data or tokens may depend on it.
 */
export function ensureDevSecret(name: string, what: string, bytes = 32): string {
  refuseInProduction(what);
  const file = path.join(dataDir(), name);
  if (!fs.existsSync(file)) {
    const staging = `${file}.new-${randomBytes(4).toString('hex')}`;
    writePrivate(staging, randomBytes(bytes).toString('hex'));
    try {
      fs.linkSync(staging, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(staging, { force: true });
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{16,}$/.test(secret)) {
    throw new Error(`${what} in ${file} is empty or damaged. Restore it from a backup; delete it only if nothing depends on it (a new one is then made).`);
  }
  return secret;
}

/** The hop secret of a development hub, kept in `.data/hub-secret`. */
export function ensureDevHopSecret(): string {
  return ensureDevSecret('hub-secret', 'The development hop secret');
}
