import { clientOperationName, forbidden, isNothing, paginate, recordAudit, recordAudits, requireUuid, scopeCovers, scopeWhere, type PageArgs } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from './context';
import { AuditRecord } from './entities/audit-record';
import { policy } from './policy';

/**
 * The audit trail of the consultation subgraph. Writes are recorded by the kit's mutation pipeline
 * (the records name the case); reads are recorded here. Every record is about a case: the trail is
 * keyed by the case id.
 */
export const AUDITED_TYPE = 'ConsultationCase';

/** Records that these cases were read, in one transaction (the audit facility needs one). */
export async function auditReads(ctx: Context, info: GraphQLResolveInfo, caseIds: readonly string[]): Promise<void> {
  const ids = [...new Set(caseIds)];
  if (ids.length === 0) return;
  const operation = clientOperationName(info);
  await ctx.db.transaction((m) =>
    recordAudits(
      m,
      ids.map((id) => ({ principal: ctx.principal, operation, action: 'read', entityType: AUDITED_TYPE, entityKey: id, outcome: 'allowed' })),
    ),
  );
}

/**
 * Records a refused read of an existing case (a single fetch that came back empty, or a field
 * withheld). Anonymous principals are not recorded (they could fill the log), nor ids of no case.
 */
export async function auditRefusedRead(ctx: Context, info: GraphQLResolveInfo, caseId: string, action = 'read'): Promise<void> {
  if (ctx.principal.role === 'public') return;
  const [exists] = await ctx.db.query<unknown[]>('SELECT 1 FROM consultation_case WHERE id = $1', [caseId]);
  if (!exists) return;
  await ctx.db.transaction((m) =>
    recordAudit(m, { principal: ctx.principal, operation: clientOperationName(info), action, entityType: AUDITED_TYPE, entityKey: caseId, outcome: 'denied' }),
  );
}

/** The trail of a municipality's cases (or of one case), oldest first: the owning municipality only. */
export function auditTrail(ctx: Context, municipalityCode: string, caseId: string | null, page: PageArgs) {
  const scope = policy.auditTrail(ctx.principal);
  if (isNothing(scope) || !scopeCovers(scope, { jurisdictionCode: municipalityCode })) {
    throw forbidden(`You may not read the audit trail of ${municipalityCode}.`);
  }
  const owned = scopeWhere(scope, { jurisdiction: 'c.municipality_code' });
  const query = ctx.db
    .getRepository(AuditRecord)
    .createQueryBuilder('a')
    .innerJoin('consultation_case', 'c', 'a.entity_key = c.id::text')
    .where('a.entity_type = :type', { type: AUDITED_TYPE })
    .andWhere('c.municipality_code = :m', { m: municipalityCode })
    .andWhere(owned.sql, owned.params);
  if (caseId) query.andWhere('a.entity_key = :caseId', { caseId: requireUuid('caseId', caseId) });
  return paginate(query, [{ sql: 'a.seq', value: (a) => Number(a.seq) }], page);
}
