import { badUserInput, clientOperationName, conflict, notFound, recordAudits, requireUuid, type AuditEntry, type Principal } from '@nimo/kit';
import { randomUUID } from 'node:crypto';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';

export const newId = (): string => randomUUID();

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO calendar date argument (YYYY-MM-DD) that exists. */
export function requireDate(argument: string, value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw badUserInput(`\`${argument}\` must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}.`, { argument });
  }
  return value;
}

/** The version a client passed must be the stored one; otherwise the write lost a race. */
export function requireVersion(what: string, stored: number, given: number): void {
  if (stored !== given) throw conflict(`${what} was changed by someone else (version ${stored}, you sent ${given}); reload it and try again.`, stored);
}

/** One row locked FOR UPDATE, or NOT_FOUND. */
export async function lockRow<T>(manager: EntityManager, sql: string, id: string, what: string): Promise<T> {
  const [row] = (await manager.query(`${sql} FOR UPDATE`, [requireUuid('id', id)])) as T[];
  if (!row) throw notFound(`No ${what} with id ${id} (or you may not see it).`);
  return row;
}

/** Audit records of writes touching staff personal data, in the write's transaction. */
export function audit(manager: EntityManager, principal: Principal, info: GraphQLResolveInfo, records: { action: string; entityType: string; entityKey: string }[]): Promise<void> {
  const operation = clientOperationName(info);
  const entries: AuditEntry[] = records.map((r) => ({ principal, operation, outcome: 'allowed', ...r }));
  return recordAudits(manager, entries);
}
