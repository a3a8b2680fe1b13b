import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, unauthenticated, type Logger, type Principal } from '@nimo/kit';
import { GatewayApiKeys1765000000000 } from './migrations/1765000000000-gateway-api-keys';
import { GatewayTrustedDocuments1766000000000 } from './migrations/1766000000000-gateway-trusted-documents';

/**
 * Vendor API keys: a vendor may send `x-api-key: <key>` instead of a bearer token. A key looks like
 * `nimo_<key id>_<secret>`: the key id (12 characters, a–z 0–9) is public and names the key in
 * lists and logs; the secret is 32 random bytes (43 characters, base64url).
 *
 * Only the SHA-256 of the secret is stored, and compared in constant time. A slow password hash
 * (bcrypt, scrypt, argon2) exists to make guessing low-entropy human passwords expensive; these
 * secrets are random 256-bit values that cannot be guessed, so a fast hash loses nothing — the same
 * choice as GitHub's and Stripe's tokens — and keeps each request cheap. The plaintext is shown once,
 * when the key is made, and never stored.
 *
 * A key that verified is remembered for `cacheMs` (API_KEY_CACHE_MS, default 10 s) so that a busy
 * vendor does not cost a database round trip per request: a revocation takes effect within that
 * time. Only successful look-ups are cached, keyed by key id and checked against the secret's hash.
 */
export const API_KEY_HEADER = 'x-api-key';
export const DEFAULT_API_KEY_CACHE_MS = 10_000;
const KEY_PATTERN = /^nimo_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const KEY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface ApiKeyInfo {
  /** Row id (UUID). */
  readonly id: string;
  /** The public part of the key, `nimo_<keyId>_…`; the principal's subject is `apikey:<keyId>`. */
  readonly keyId: string;
  /** Who the key is for (the vendor). */
  readonly name: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeyInfo {
  /** The whole key, shown once. */
  readonly key: string;
}

interface Row {
  id: string;
  key_id: string;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, key_id, name, created_at, revoked_at, last_used_at';
const info = (row: Row): ApiKeyInfo => ({
  id: row.id,
  keyId: row.key_id,
  name: row.name,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

const sha256 = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/** The principal of a vendor's API key: role vendor, no jurisdictions, no organisation. */
export const apiKeyPrincipal = (keyId: string): Principal => ({ role: 'vendor', subject: `apikey:${keyId}`, jurisdictionCodes: [], organizationId: null });

export interface ApiKeyStoreOptions {
  /** How long a verified key is remembered (ms); 0 looks every request up. Default API_KEY_CACHE_MS or 10 s. */
  readonly cacheMs?: number;
  readonly logger?: Logger;
}

/** The gateway's key store, over its own database (`nimo_gateway`). */
export class ApiKeyStore {
  private readonly cache = new Map<string, { hash: Buffer; until: number; name: string }>();

  private constructor(
    readonly db: DataSource,
    readonly cacheMs: number,
  ) {}

  /** Opens the gateway's database, creating it if missing, and runs its migrations. */
  static async open(url: string, options: ApiKeyStoreOptions = {}): Promise<ApiKeyStore> {
    await ensureDatabase(url);
    const db = createDataSource({
      url,
      entities: [],
      migrations: [GatewayApiKeys1765000000000, GatewayTrustedDocuments1766000000000],
      applicationName: 'nimo-gateway',
      poolSize: 4,
    });
    await db.initialize();
    try {
      const applied = await db.runMigrations({ transaction: 'each' });
      if (applied.length > 0) options.logger?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new ApiKeyStore(db, options.cacheMs ?? DEFAULT_API_KEY_CACHE_MS);
  }

  /** Makes a key for a vendor. The returned `key` is the only time the plaintext exists. */
  async create(name: string): Promise<CreatedApiKey> {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 200) throw new Error('the key needs a name (the vendor), 1–200 characters');
    const keyId = Array.from({ length: 12 }, () => KEY_ID_ALPHABET[randomInt(KEY_ID_ALPHABET.length)]).join('');
    const secret = randomBytes(32).toString('base64url');
    const [row] = await this.db.query<Row[]>(`INSERT INTO api_key (key_id, name, secret_sha256) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [
      keyId,
      trimmed,
      sha256(secret),
    ]);
    if (!row) throw new Error('the key was not stored');
    return { ...info(row), key: `nimo_${keyId}_${secret}` };
  }

  async list(): Promise<ApiKeyInfo[]> {
    return (await this.db.query<Row[]>(`SELECT ${COLUMNS} FROM api_key ORDER BY created_at, key_id`)).map(info);
  }

  /** Revokes a key by its key id (or its whole key); null when there is no such key. A second revoke keeps the first time. */
  async revoke(keyIdOrKey: string): Promise<ApiKeyInfo | null> {
    const keyId = KEY_PATTERN.exec(keyIdOrKey)?.[1] ?? keyIdOrKey;
    // TypeORM answers a bare UPDATE with [rows, count]; as a CTE it is a plain row list.
    const [row] = await this.db.query<Row[]>(
      `WITH revoked AS (UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = $1 RETURNING ${COLUMNS}) SELECT * FROM revoked`,
      [keyId],
    );
    this.cache.delete(keyId);
    return row ? info(row) : null;
  }

  /** The principal of a presented key; 401 UNAUTHENTICATED when it is malformed, unknown, wrong or revoked. */
  async authenticate(presented: string): Promise<Principal> {
    const match = KEY_PATTERN.exec(presented);
    const keyId = match?.[1];
    const secret = match?.[2];
    if (!keyId || !secret) {
      throw unauthenticated(`The ${API_KEY_HEADER} header is not a well-formed Nimo API key ("nimo_<12-character key id>_<43-character secret>").`);
    }
    const hash = sha256(secret);
    const cached = this.cache.get(keyId);
    if (cached && cached.until > Date.now() && timingSafeEqual(cached.hash, hash)) return apiKeyPrincipal(keyId);
    const [row] = await this.db.query<
      {
        secret_sha256: Buffer;
        revoked_at: Date | null;
        name: string;
      }[]
    >('SELECT secret_sha256, revoked_at, name FROM api_key WHERE key_id = $1', [keyId]);
    // Unknown id and wrong secret get the same answer: the answer does not tell which key ids exist.
    if (!row || row.secret_sha256.length !== hash.length || !timingSafeEqual(row.secret_sha256, hash)) {
      throw unauthenticated('The API key was refused: it is not a key of this hub.');
    }
    if (row.revoked_at !== null) throw unauthenticated('The API key was refused: it has been revoked.');
    await this.db.query('UPDATE api_key SET last_used_at = now() WHERE key_id = $1', [keyId]);
    if (this.cacheMs > 0) {
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(keyId, { hash, until: Date.now() + this.cacheMs, name: row.name });
    }
    return apiKeyPrincipal(keyId);
  }

  /**
   * The vendor an API key principal acts for: its key's name (vendor documents are scoped by it, see
   * vendor-documents.ts); null for any other principal or a key that is gone or revoked.
   */
  async vendorOf(principal: Principal): Promise<string | null> {
    if (principal.role !== 'vendor' || !principal.subject.startsWith('apikey:')) return null;
    const keyId = principal.subject.slice('apikey:'.length);
    const cached = this.cache.get(keyId);
    if (cached && cached.until > Date.now()) return cached.name;
    const [row] = await this.db.query<{ name: string }[]>('SELECT name FROM api_key WHERE key_id = $1 AND revoked_at IS NULL', [keyId]);
    return row?.name ?? null;
  }

  async close(): Promise<void> {
    this.cache.clear();
    if (this.db.isInitialized) await this.db.destroy();
  }
}
