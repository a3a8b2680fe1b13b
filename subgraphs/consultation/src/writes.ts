import { conflict, forbidden, isNothing, notFound, scopeCovers, transactionally, type Owner, type Scope } from '@nimo/kit';
import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { auditDenied, auditWrite } from './audit';
import type { Context } from './context';

/** What every mutation gives besides its own input. */
export interface WriteRequest {
  readonly action: string;
  readonly idempotencyKey: string | null | undefined;
  readonly input: unknown;
}

/**
 * The one way this subgraph writes: one transaction (with the idempotency key, when given) holding
 * the work and its audit record. A refusal for lack of rights is audited as denied, in its own
 * transaction, since the refused work has none.
 */
export async function write<R extends { caseId: string }>(
  ctx: Context,
  info: GraphQLResolveInfo,
  request: WriteRequest & { readonly caseId: string | null },
  work: (manager: EntityManager) => Promise<R>,
): Promise<R> {
  try {
    return await transactionally(
      ctx.db,
      {
        principal: ctx.principal,
        key: request.idempotencyKey,
        operation: request.action,
        input: request.input,
        // A retry is answered from the stored result; it is recorded too.
        onReplay: request.caseId ? (manager) => auditWrite(manager, ctx.principal, info, `${request.action}:replayed`, request.caseId ?? '') : undefined,
      },
      async (manager) => {
        const result = await work(manager);
        await auditWrite(manager, ctx.principal, info, request.action, result.caseId);
        return result;
      },
    );
  } catch (error) {
    const code = (error as GraphQLError).extensions?.code;
    // Refusals of identified principals are recorded; anonymous calls could otherwise fill the log.
    if (code === 'FORBIDDEN' && request.caseId && ctx.principal.role !== 'public') await auditDenied(ctx, info, request.action, request.caseId);
    throw error;
  }
}

/**
 * Loads a row with `FOR UPDATE` and checks it: NOT_FOUND when absent, FORBIDDEN outside the scope,
 * CONFLICT on a stale version.
 */
export async function lockForUpdate<T extends ObjectLiteral & { version: number }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  what: string,
  check: { scope: Scope; owner: (row: T) => Owner; expectedVersion: number },
): Promise<T> {
  // A principal that may change no row at all learns nothing, not even whether the id exists.
  if (isNothing(check.scope)) throw forbidden(`You may not change a ${what}.`);
  const row = await manager.getRepository(entity).createQueryBuilder('x').setLock('pessimistic_write').where('x.id = :id', { id }).getOne();
  if (!row) throw notFound(`No ${what} with id ${id}.`);
  if (!scopeCovers(check.scope, check.owner(row))) throw forbidden(`You may not change this ${what}.`);
  if (row.version !== check.expectedVersion) {
    throw conflict(`The ${what} has changed since you read it (version ${row.version}, you sent ${check.expectedVersion}); reload it and try again.`, {
      currentVersion: row.version,
    });
  }
  return row;
}
