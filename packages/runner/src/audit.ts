import { AuditCheckpointStore, createDataSource, databaseName, verifyAuditChain, type ChainReport } from '@nimo/kit';

/** What `npm run audit:verify` found in one subgraph's database. */
export interface AuditVerification {
  readonly subgraph: string;
  readonly database: string;
  /** ok: the chain verifies; broken: a record does not match; no-audit-log / no-database: nothing to verify. */
  readonly status: 'ok' | 'broken' | 'no-audit-log' | 'no-database';
  readonly records: number;
  /** The first record (seq) whose hash or link does not match. */
  readonly brokenAt: string | null;
  /** What is wrong, when broken (see the kit's `ChainReport`). */
  readonly problem?: ChainReport['problem'];
  /** Signed checkpoints held against the chain, and the newest one's seq. */
  readonly checkpoints?: number;
  readonly lastCheckpointSeq?: string | null;
  /** Records from before the chain had a key (accepted only as its beginning). */
  readonly legacyRecords?: number;
}

/**
 * Recomputes the audit chain of one subgraph database with the kit's `verifyAuditChain` and its
 * keys (AUDIT_HMAC_KEYS), against the signed checkpoints in `checkpointUrl` (the gateway's database
 * unless configured). Read-only.
 */
export async function verifySubgraphAudit(subgraph: string, url: string, checkpointUrl?: string): Promise<AuditVerification> {
  const database = databaseName(url);
  const db = createDataSource({ url, entities: [], migrations: [], applicationName: 'nimo-audit-verify', poolSize: 1 });
  try {
    await db.initialize();
  } catch (error) {
    // 3D000 invalid_catalog_name: the subgraph has never run against this server.
    if ((error as { code?: string }).code === '3D000') return { subgraph, database, status: 'no-database', records: 0, brokenAt: null };
    throw error;
  }
  try {
    const [table] = await db.query<{ present: boolean }[]>("SELECT to_regclass('public.audit_log') IS NOT NULL AS present");
    if (!table?.present) return { subgraph, database, status: 'no-audit-log', records: 0, brokenAt: null };
    const store = checkpointUrl ? await AuditCheckpointStore.openToRead(checkpointUrl) : null;
    try {
      const list = store ? await store.list(subgraph) : [];
      const report = await verifyAuditChain(db.manager, { checkpoints: { subgraph, list } });
      return {
        subgraph,
        database,
        status: report.ok ? 'ok' : 'broken',
        records: report.records,
        brokenAt: report.brokenAt,
        problem: report.problem ?? null,
        checkpoints: report.checkpoints ?? 0,
        lastCheckpointSeq: report.lastCheckpointSeq ?? null,
        legacyRecords: report.legacyRecords ?? 0,
      };
    } finally {
      await store?.close();
    }
  } finally {
    await db.destroy();
  }
}

/** One line for a person. */
export function describeVerification(v: AuditVerification): string {
  switch (v.status) {
    case 'ok': {
      const anchored = v.lastCheckpointSeq
        ? `, anchored by ${v.checkpoints} signed checkpoint(s) up to seq ${v.lastCheckpointSeq}`
        : ', no checkpoint to anchor it';
      const legacy = v.legacyRecords ? ` (${v.legacyRecords} early records unkeyed)` : '';
      return `${v.subgraph} (${v.database}): OK, ${v.records} records checked${legacy}${anchored}`;
    }
    case 'broken':
      return `${v.subgraph} (${v.database}): BROKEN at record seq ${v.brokenAt} (${v.records} records checked): ${PROBLEMS[v.problem ?? 'altered']}`;
    case 'no-audit-log':
      return `${v.subgraph} (${v.database}): no audit_log table, nothing to verify`;
    case 'no-database':
      return `${v.subgraph} (${v.database}): the database does not exist, nothing to verify`;
  }
}

const PROBLEMS: Record<NonNullable<ChainReport['problem']>, string> = {
  altered: 'its hash or its link to the previous record does not match — the log was altered',
  'unknown-key': 'it is signed with a key id not in AUDIT_HMAC_KEYS — an unknown key, or a retired one removed too early',
  downgraded: 'an unkeyed record after keyed ones — the chain was rebuilt without the key',
  truncated: 'a signed checkpoint names this record, which is no longer there — records were deleted from the end of the log',
  rewritten: 'a signed checkpoint names another head at this record — the chain was rewritten from here on',
  'bad-checkpoint': 'the checkpoint for this record does not verify — the checkpoint store was tampered with',
};
