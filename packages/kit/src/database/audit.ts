import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ensureDevSecret } from '../auth/dev-keys';
import { isProduction } from '../config';

/**
 * The shared audit facility (MHLW security guideline for medical information systems, 6th ed.: log
 * who accessed which record when, and protect the log from deletion and tampering).
 *
 * - `auditTableUp` creates `audit_log` in a subgraph's own database (call it from a migration).
 *   A trigger refuses UPDATE, DELETE and TRUNCATE for every role: the log is append-only.
 * - `recordAudit` appends one record in the caller's transaction, so a write and its record commit
 *   or roll back together. Records are chained: each carries an HMAC-SHA256, under a key the database
 *   does not hold (`AUDIT_HMAC_KEYS`), of its content and of the previous record's hash; appends are
 *   serialised by a table lock, so the chain has no forks. Somebody who can write to the database
 *   but has no key cannot recompute the chain after an edit (a plain hash chain they could).
 * - `verifyAuditChain` recomputes the chain and names the first record that does not match; given
 *   the signed checkpoints kept outside the database (`audit-checkpoint.ts`), it also finds records
 *   deleted from the end (truncation) and a chain rewritten from some record on.
 *
 * The hash column says how it was made: `hmac:<key id>:<hex>`, so that keys can be rotated (put a
 * new key first; old records keep verifying with the old key, which stays in the list). Records
 * written before keys were introduced (a bare SHA-256 hex) are accepted only as the chain's
 * beginning; after the first keyed record, an unkeyed one is a break (no downgrade).
 */
export async function auditTableUp(db: QueryRunner): Promise<void> {
  await db.query(`
    CREATE TABLE audit_log (
      seq bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      principal_role text NOT NULL,
      principal_subject text NOT NULL,
      organization_id uuid,
      jurisdiction_codes text[] NOT NULL,
      operation text,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_key text NOT NULL,
      outcome text NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL UNIQUE
    );
    CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_key);
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  `);
}

export interface AuditEntry {
  readonly principal: Principal;
  /** The GraphQL operation name, when the client gave one. */
  readonly operation: string | null;
  /** What was done: read, create, update, … */
  readonly action: string;
  readonly entityType: string;
  readonly entityKey: string;
  /** allowed, denied, failed, … */
  readonly outcome: string;
}

/**
 * The client's operation name as a subgraph sees it: the gateway names a subgraph operation
 * `<client name>__<subgraph>__<n>`; anonymous operations have no name.
 */
export function clientOperationName(info: { operation: { name?: { value: string } | undefined } }): string | null {
  const name = info.operation.name?.value;
  if (!name) return null;
  return name.replace(/__[A-Za-z0-9_-]+__\d+$/, '');
}

const GENESIS = '0'.repeat(64);

/** One audit key: its id (stored with each record it signs) and its secret. */
export interface AuditKey {
  readonly id: string;
  readonly secret: Buffer;
}

/** The keys of the audit chain: the first signs new records and checkpoints, all verify. */
export interface AuditKeyring {
  readonly current: AuditKey;
  readonly byId: ReadonlyMap<string, AuditKey>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `AUDIT_HMAC_KEYS`: `<key id>:<secret>[,<key id>:<secret>…]`, secrets of at least 32 characters. */
export function parseAuditKeys(value: string): AuditKeyring {
  const keys = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part): AuditKey => {
      const colon = part.indexOf(':');
      const id = colon < 0 ? '' : part.slice(0, colon);
      const secret = colon < 0 ? '' : part.slice(colon + 1);
      if (!KEY_ID.test(id)) throw new Error('AUDIT_HMAC_KEYS: each key is <key id>:<secret>, the id 1–32 of A–Z a–z 0–9 _ -');
      if (secret.length < 32) throw new Error(`AUDIT_HMAC_KEYS: the secret of key ${id} must have at least 32 characters`);
      return { id, secret: Buffer.from(secret, 'utf8') };
    });
  const [current] = keys;
  if (!current) throw new Error('AUDIT_HMAC_KEYS names no key');
  const byId = new Map<string, AuditKey>();
  for (const key of keys) {
    if (byId.has(key.id)) throw new Error(`AUDIT_HMAC_KEYS names key ${key.id} twice`);
    byId.set(key.id, key);
  }
  return { current, byId };
}

let configured: { source: string; keyring: AuditKeyring } | undefined;

/**
 * The audit keys from `AUDIT_HMAC_KEYS`; outside production, without it, a development key kept in
 * `.data/audit-key` (made on first use). Production refuses to run without configured keys.
 */
export function auditKeyring(env: NodeJS.ProcessEnv = process.env): AuditKeyring {
  const source = env.AUDIT_HMAC_KEYS ?? '';
  if (configured?.source === source) return configured.keyring;
  let keyring: AuditKeyring;
  if (source) keyring = parseAuditKeys(source);
  else if (isProduction()) throw new Error('AUDIT_HMAC_KEYS must be set in production (<key id>:<secret of 32+ characters>, the newest first)');
  else keyring = parseAuditKeys(`dev:${ensureDevSecret('audit-key', 'The development audit key')}`);
  configured = { source, keyring };
  return keyring;
}

/** `hmac:<key id>:<hex>` of `content` under `key`. */
export function macOf(key: AuditKey, content: string): string {
  return `hmac:${key.id}:${createHmac('sha256', key.secret).update(content).digest('hex')}`;
}

/** Checks a `hmac:<key id>:<hex>` value against `content`: 'ok', 'mismatch', or 'unknown-key'. */
export function checkMac(keyring: AuditKeyring, value: string, content: string): 'ok' | 'mismatch' | 'unknown-key' {
  const match = /^hmac:([A-Za-z0-9_-]{1,32}):([0-9a-f]{64})$/.exec(value);
  if (!match) return 'mismatch';
  const key = keyring.byId.get(match[1] ?? '');
  if (!key) return 'unknown-key';
  const expected = Buffer.from(macOf(key, content));
  const given = Buffer.from(value);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'mismatch';
}

interface Row {
  seq: string;
  at: Date;
  principal_role: string;
  principal_subject: string;
  organization_id: string | null;
  jurisdiction_codes: string[];
  operation: string | null;
  action: string;
  entity_type: string;
  entity_key: string;
  outcome: string;
  prev_hash: string;
  hash: string;
}

function contentOf(prevHash: string, row: Omit<Row, 'seq' | 'prev_hash' | 'hash'>): string {
  return JSON.stringify([
    prevHash,
    row.at.toISOString(),
    row.principal_role,
    row.principal_subject,
    row.organization_id,
    row.jurisdiction_codes,
    row.operation,
    row.action,
    row.entity_type,
    row.entity_key,
    row.outcome,
  ]);
}

/** A record's hash: the HMAC under `key`; a bare SHA-256 for records made before keys (legacy). */
function hashOf(prevHash: string, row: Omit<Row, 'seq' | 'prev_hash' | 'hash'>, key: AuditKey | null): string {
  const content = contentOf(prevHash, row);
  return key ? macOf(key, content) : createHash('sha256').update(content).digest('hex');
}

/** Appends one audit record inside the given transaction. */
export function recordAudit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  return recordAudits(manager, [entry]);
}

/** Appends records inside the given transaction, chained in order, in one statement. */
export async function recordAudits(manager: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) throw new Error('recordAudit must run inside the transaction of the work it records');
  const key = auditKeyring().current;
  await manager.query('LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE');
  const [last] = await manager.query<{ hash: string | null; now: Date }[]>(
    'SELECT hash, clock_timestamp() AS now FROM (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) l RIGHT JOIN (SELECT 1) one ON true',
  );
  let prevHash = last?.hash ?? GENESIS;
  // Millisecond precision, so that the hash recomputed from the stored timestamp matches.
  const at = new Date(Math.floor((last?.now ?? new Date()).getTime()));
  // 12 parameters a row; PostgreSQL takes at most 65,535 in one statement.
  for (let start = 0; start < entries.length; start += 1000) {
    prevHash = await insertChained(manager, entries.slice(start, start + 1000), at, prevHash, key);
  }
}

async function insertChained(manager: EntityManager, entries: readonly AuditEntry[], at: Date, firstPrev: string, key: AuditKey): Promise<string> {
  let prevHash = firstPrev;
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const entry of entries) {
    const row = {
      at,
      principal_role: entry.principal.role,
      principal_subject: entry.principal.subject,
      organization_id: entry.principal.organizationId,
      jurisdiction_codes: [...entry.principal.jurisdictionCodes],
      operation: entry.operation,
      action: entry.action,
      entity_type: entry.entityType,
      entity_key: entry.entityKey,
      outcome: entry.outcome,
    };
    const hash = hashOf(prevHash, row, key);
    const base = values.length;
    tuples.push(`(${Array.from({ length: 12 }, (_, i) => `$${base + i + 1}`).join(', ')})`);
    values.push(
      at,
      row.principal_role,
      row.principal_subject,
      row.organization_id,
      row.jurisdiction_codes,
      row.operation,
      row.action,
      row.entity_type,
      row.entity_key,
      row.outcome,
      prevHash,
      hash,
    );
    prevHash = hash;
  }
  // Rows get their seq in VALUES order, which is the chain's order.
  await manager.query(
    `INSERT INTO audit_log (at, principal_role, principal_subject, organization_id, jurisdiction_codes, operation, action, entity_type, entity_key, outcome, prev_hash, hash)
     VALUES ${tuples.join(', ')}`,
    values,
  );
  return prevHash;
}

/** A signed statement, kept outside the subgraph's database, that the chain's head was `headHash` at `seq`. */
export interface AuditCheckpoint {
  readonly seq: string;
  readonly headHash: string;
  readonly at: Date;
  /** `hmac:<key id>:<hex>` over the subgraph, seq, head and time (see {@link checkpointContent}). */
  readonly signature: string;
}

/** What a checkpoint's signature covers. The leading tag keeps it from ever equalling a record's content. */
export function checkpointContent(subgraph: string, checkpoint: Omit<AuditCheckpoint, 'signature'>): string {
  return JSON.stringify(['nimo-audit-checkpoint', subgraph, checkpoint.seq, checkpoint.headHash, checkpoint.at.toISOString()]);
}

export interface ChainReport {
  readonly records: number;
  readonly ok: boolean;
  /** The first record whose hash or link does not match, when not ok. */
  readonly brokenAt: string | null;
  /**
   * Why it is not ok: `altered` (a record's hash or link does not match), `unknown-key` (a record
   * signed with a key id not in the keyring), `downgraded` (an unkeyed record after keyed ones),
   * `truncated` (a checkpoint names a record that is no longer there: records were deleted from
   * the end), `rewritten` (a checkpoint's head differs from the record now at its seq),
   * `bad-checkpoint` (a checkpoint whose signature does not verify). Null when ok.
   */
  readonly problem?: 'altered' | 'unknown-key' | 'downgraded' | 'truncated' | 'rewritten' | 'bad-checkpoint' | null;
  /** Records made before keys were introduced (bare SHA-256), at the chain's start. */
  readonly legacyRecords?: number;
  /** Checkpoints checked, and the seq of the newest. */
  readonly checkpoints?: number;
  readonly lastCheckpointSeq?: string | null;
}

export interface VerifyOptions {
  readonly pageSize?: number;
  /** Keys to verify with; default `auditKeyring()`. */
  readonly keyring?: AuditKeyring;
  /** The subgraph's signed checkpoints (from the checkpoint store) and its name, which they sign. */
  readonly checkpoints?: { readonly subgraph: string; readonly list: readonly AuditCheckpoint[] };
}

/**
 * Recomputes the whole chain, in pages, with the keys; then holds it against the checkpoints: each
 * must be signed with a key of the ring and name a record that is still there with the same hash.
 */
export async function verifyAuditChain(manager: EntityManager, options: VerifyOptions | number = {}): Promise<ChainReport> {
  const { pageSize = 5000, keyring = auditKeyring(), checkpoints } = typeof options === 'number' ? { pageSize: options } : options;
  const wanted = new Map<string, AuditCheckpoint>();
  for (const checkpoint of checkpoints?.list ?? []) {
    if (checkMac(keyring, checkpoint.signature, checkpointContent(checkpoints?.subgraph ?? '', checkpoint)) !== 'ok') {
      return { records: 0, ok: false, brokenAt: checkpoint.seq, problem: 'bad-checkpoint', legacyRecords: 0, checkpoints: 0, lastCheckpointSeq: null };
    }
    wanted.set(checkpoint.seq, checkpoint);
  }
  const newest = [...wanted.values()].reduce<AuditCheckpoint | null>((a, b) => (a === null || BigInt(b.seq) > BigInt(a.seq) ? b : a), null);
  const extra = { checkpoints: wanted.size, lastCheckpointSeq: newest?.seq ?? null };
  let prevHash = GENESIS;
  let after = '0';
  let records = 0;
  let legacyRecords = 0;
  let keyed = false;
  const broken = (row: Row, problem: NonNullable<ChainReport['problem']>): ChainReport => ({
    records,
    ok: false,
    brokenAt: row.seq,
    problem,
    legacyRecords,
    ...extra,
  });
  for (;;) {
    const rows = await manager.query<Row[]>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, pageSize]);
    for (const row of rows) {
      records += 1;
      if (row.prev_hash !== prevHash) return broken(row, 'altered');
      if (row.hash.startsWith('hmac:')) {
        keyed = true;
        const check = checkMac(keyring, row.hash, contentOf(prevHash, row));
        if (check !== 'ok') return broken(row, check === 'unknown-key' ? 'unknown-key' : 'altered');
      } else {
        if (keyed) return broken(row, 'downgraded');
        if (hashOf(prevHash, row, null) !== row.hash) return broken(row, 'altered');
        legacyRecords += 1;
      }
      const checkpoint = wanted.get(row.seq);
      if (checkpoint && checkpoint.headHash !== row.hash) return broken(row, 'rewritten');
      wanted.delete(row.seq);
      prevHash = row.hash;
      after = row.seq;
    }
    if (rows.length < pageSize) break;
  }
  // Checkpoints left over name records that are gone: beyond the last record, deleted from the end;
  // inside the chain's range, a gap in seq that a rewrite left.
  const missing = [...wanted.values()].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1))[0];
  if (missing) {
    const problem = BigInt(missing.seq) > BigInt(after) ? 'truncated' : 'rewritten';
    return { records, ok: false, brokenAt: missing.seq, problem, legacyRecords, ...extra };
  }
  return { records, ok: true, brokenAt: null, problem: null, legacyRecords, ...extra };
}
