import { createDataSource, databaseName, verifyAuditChain } from '@nimo/kit';

/** What `npm run audit:verify` found in one subgraph's database. */
export interface AuditVerification {
  readonly subgraph: string;
  readonly database: string;
  /** ok: the chain verifies; broken: a record does not match; no-audit-log / no-database: nothing to verify. */
  readonly status: 'ok' | 'broken' | 'no-audit-log' | 'no-database';
  readonly records: number;
  /** The first record (seq) whose hash or link does not match. */
  readonly brokenAt: string | null;
}

/** Recomputes the audit chain of one subgraph database with the kit's `verifyAuditChain`. Read-only. */
export async function verifySubgraphAudit(subgraph: string, url: string): Promise<AuditVerification> {
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
    const [table] = (await db.query("SELECT to_regclass('public.audit_log') IS NOT NULL AS present")) as { present: boolean }[];
    if (!table?.present) return { subgraph, database, status: 'no-audit-log', records: 0, brokenAt: null };
    const report = await verifyAuditChain(db.manager);
    return { subgraph, database, status: report.ok ? 'ok' : 'broken', records: report.records, brokenAt: report.brokenAt };
  } finally {
    await db.destroy();
  }
}

/** One line for a person. */
export function describeVerification(v: AuditVerification): string {
  switch (v.status) {
    case 'ok':
      return `${v.subgraph} (${v.database}): OK, ${v.records} records checked`;
    case 'broken':
      return `${v.subgraph} (${v.database}): BROKEN at record seq ${v.brokenAt} (the ${v.records}th record checked): its hash or its link to the previous record does not match — the log was altered`;
    case 'no-audit-log':
      return `${v.subgraph} (${v.database}): no audit_log table, nothing to verify`;
    case 'no-database':
      return `${v.subgraph} (${v.database}): the database does not exist, nothing to verify`;
  }
}
