import { clientOperationName, recordAudit, recordAudits, type Principal } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import type { Context } from './context';

/** Every audit record of this subgraph is about a case: its trail is keyed by the case id. */
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

/** Records a write inside its own transaction. */
export function auditWrite(manager: EntityManager, principal: Principal, info: GraphQLResolveInfo, action: string, caseId: string): Promise<void> {
  return recordAudit(manager, { principal, operation: clientOperationName(info), action, entityType: AUDITED_TYPE, entityKey: caseId, outcome: 'allowed' });
}

/** Records a refused write (its own transaction: the refused work has none). */
export async function auditDenied(ctx: Context, info: GraphQLResolveInfo, action: string, caseId: string): Promise<void> {
  await ctx.db.transaction((m) =>
    recordAudit(m, { principal: ctx.principal, operation: clientOperationName(info), action, entityType: AUDITED_TYPE, entityKey: caseId, outcome: 'denied' }),
  );
}

/**
 * Records a refused read of an existing case (a single fetch that came back empty, or a field
 * withheld). Anonymous principals are not recorded (they could fill the log), nor ids of no case.
 */
export async function auditRefusedRead(ctx: Context, info: GraphQLResolveInfo, caseId: string, action = 'read'): Promise<void> {
  if (ctx.principal.role === 'public') return;
  const [exists] = (await ctx.db.query('SELECT 1 FROM consultation_case WHERE id = $1', [caseId])) as unknown[];
  if (!exists) return;
  await ctx.db.transaction((m) =>
    recordAudit(m, { principal: ctx.principal, operation: clientOperationName(info), action, entityType: AUDITED_TYPE, entityKey: caseId, outcome: 'denied' }),
  );
}
