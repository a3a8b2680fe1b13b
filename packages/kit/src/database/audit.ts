import { createHash } from 'node:crypto';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { Principal } from '../auth/principal';

/**
 * The shared audit facility (MHLW security guideline for medical information systems, 6th ed.: log
 * who accessed which record when, and protect the log from deletion and tampering).
 *
 * - `auditTableUp` creates `audit_log` in a subgraph's own database (call it from a migration).
 *   A trigger refuses UPDATE, DELETE and TRUNCATE for every role: the log is append-only.
 * - `recordAudit` appends one record in the caller's transaction, so a write and its record commit
 *   or roll back together. Records are chained: each carries the SHA-256 of its content and of the
 *   previous record's hash; appends are serialised by a table lock, so the chain has no forks.
 * - `verifyAuditChain` recomputes the chain and names the first record that does not match.
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

function hashOf(prevHash: string, row: Omit<Row, 'seq' | 'prev_hash' | 'hash'>): string {
  const content = JSON.stringify([
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
  return createHash('sha256').update(content).digest('hex');
}

/** Appends one audit record inside the given transaction. */
export function recordAudit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  return recordAudits(manager, [entry]);
}

/** Appends records inside the given transaction, chained in order, in one statement. */
export async function recordAudits(manager: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) throw new Error('recordAudit must run inside the transaction of the work it records');
  await manager.query('LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE');
  const [last] = (await manager.query('SELECT hash, clock_timestamp() AS now FROM (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) l RIGHT JOIN (SELECT 1) one ON true')) as { hash: string | null; now: Date }[];
  let prevHash = last?.hash ?? GENESIS;
  // Millisecond precision, so that the hash recomputed from the stored timestamp matches.
  const at = new Date(Math.floor((last?.now ?? new Date()).getTime()));
  // 12 parameters a row; PostgreSQL takes at most 65,535 in one statement.
  for (let start = 0; start < entries.length; start += 1000) {
    prevHash = await insertChained(manager, entries.slice(start, start + 1000), at, prevHash);
  }
}

async function insertChained(manager: EntityManager, entries: readonly AuditEntry[], at: Date, firstPrev: string): Promise<string> {
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
    const hash = hashOf(prevHash, row);
    const base = values.length;
    tuples.push(`(${Array.from({ length: 12 }, (_, i) => `$${base + i + 1}`).join(', ')})`);
    values.push(at, row.principal_role, row.principal_subject, row.organization_id, row.jurisdiction_codes, row.operation, row.action, row.entity_type, row.entity_key, row.outcome, prevHash, hash);
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

export interface ChainReport {
  readonly records: number;
  readonly ok: boolean;
  /** The first record whose hash or link does not match, when not ok. */
  readonly brokenAt: string | null;
}

/** Recomputes the whole chain, in pages. */
export async function verifyAuditChain(manager: EntityManager, pageSize = 5000): Promise<ChainReport> {
  let prevHash = GENESIS;
  let after = '0';
  let records = 0;
  for (;;) {
    const rows = (await manager.query('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, pageSize])) as Row[];
    for (const row of rows) {
      records += 1;
      if (row.prev_hash !== prevHash || hashOf(prevHash, row) !== row.hash) return { records, ok: false, brokenAt: row.seq };
      prevHash = row.hash;
      after = row.seq;
    }
    if (rows.length < pageSize) return { records, ok: true, brokenAt: null };
  }
}
