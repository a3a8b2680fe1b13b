import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Principal } from '../auth/principal';
import { conflict, notFound } from '../graphql/errors';
import { clientOperationName, recordAudit, recordAudits, type AuditEntry } from './audit';
import { idempotently, requireIdempotencyKey } from './idempotency';

/**
 * The one write path of the hub. Every mutation of every subgraph runs these steps, in this order:
 *
 * 1. **validate** the input (BAD_USER_INPUT; nothing is read or written);
 * 2. **authorise** it by the subgraph's policy (FORBIDDEN);
 * 3. **idempotency**: with an `idempotencyKey`, a retry of the same request by the same whole
 *    principal gets the first write's stored result back and changes nothing again (and checks
 *    nothing again: step 4 is the first write's);
 * 4. **check references**: entities the input names that another table or subgraph owns (another
 *    subgraph's through its owner: kit `DirectoryClient`); BAD_USER_INPUT when one does not exist or
 *    does not fit, SUBGRAPH_UNAVAILABLE when its owner cannot answer;
 * 5. **lock** the row the write changes (`SELECT … FOR UPDATE`, kit {@link lockRow}), and apply the
 *    policy to the row itself (FORBIDDEN);
 * 6. **version check** against the `expectedVersion` the client read (one CONFLICT shape, with the
 *    current version: {@link checkVersion});
 * 7. **write** (the mutation's own SQL);
 * 8. **audit**: one record per entity the write changed;
 *
 * steps 3 to 8 in one transaction, so the change, its idempotency record and its audit records
 * commit or roll back together. A refusal (FORBIDDEN) of an identified principal is audited as
 * `denied`, in a transaction of its own since the refused work has none; a replay is audited as
 * `<action>:replayed`. A mutation supplies only its validation, its policy decisions and its SQL.
 */

/** What the pipeline needs of a subgraph's request context. */
export interface WriteContext {
  readonly db: DataSource;
  readonly principal: Principal;
}

/** A row with an optimistic-concurrency version (incremented by every change). */
export interface Versioned {
  readonly version: number;
}

/** What one audit record of a write names: the entity it changed, and what was done (default: the mutation's action). */
export interface Audited {
  readonly entityType: string;
  readonly entityKey: string;
  readonly action?: string;
}

export interface Lock<V, Row extends Versioned | null> {
  /** What the row is, in words, for errors ("case", "training session"). */
  readonly what: string;
  /** Locks and reads the row (kit {@link lockRow}); NOT_FOUND when it does not exist; null only where a write may create it. */
  readonly row: (manager: EntityManager, input: V) => Promise<Row>;
  /** The policy decision on the locked row: throw FORBIDDEN to refuse. */
  readonly authorize?: (principal: Principal, row: NonNullable<Row>, input: V) => void;
  /**
   * The version the client read ({@link checkVersion}): a number must be the row's; null says "there is
   * none yet" (a create-or-change write); undefined: the lock only serialises, nothing is checked.
   */
  readonly expectedVersion?: number | null;
}

export interface MutationSpec<V, R, Row extends Versioned | null> {
  /** The mutation, as its idempotency operation and the action of its audit records (e.g. `recordContact`). */
  readonly action: string;
  /** The entity type a refusal is recorded against (e.g. `ConsultationCase`). */
  readonly entityType: string;
  /** The arguments as the client sent them: a key reused with other arguments is refused. */
  readonly input: unknown;
  readonly idempotencyKey?: string | null;
  /** 1. Checks and cleans the arguments: throw BAD_USER_INPUT. */
  readonly validate: () => V;
  /** 2. The policy decision on the input: throw FORBIDDEN (kit `forbidden`, `authorize`) to refuse. */
  readonly authorize: (principal: Principal, input: V) => void;
  /** 4. The entities the input names, checked in the write's transaction before the lock: throw BAD_USER_INPUT (or NOT_FOUND, SUBGRAPH_UNAVAILABLE). */
  readonly checkReferences?: (manager: EntityManager, input: V) => Promise<void>;
  /** 5, 6. The row the write changes. */
  readonly lock?: Lock<V, Row>;
  /** 7. The change; its result (JSON) is stored with the idempotency key and is what a replay returns. */
  readonly write: (manager: EntityManager, input: V, row: Row) => Promise<R>;
  /** 8. The audit records of the change: at least one. */
  readonly audit: (result: R, input: V) => readonly Audited[];
  /**
   * The key of the existing entity the request names, for the record of a refusal (a function when it
   * must be looked up, e.g. the case of a referral); none for a create.
   */
  readonly refusedKey?: string | null | ((db: DataSource) => Promise<string | null>);
}

interface Stored<R> {
  readonly result: R;
  readonly audited: readonly (Audited & { action: string })[];
}

const codeOf = (error: unknown): unknown => (error instanceof GraphQLError ? error.extensions?.code : undefined);

/** Runs one mutation through the pipeline (see the top of this module) and returns its result. */
export async function mutate<V, R, Row extends Versioned | null = null>(
  ctx: WriteContext,
  info: Pick<GraphQLResolveInfo, 'operation'>,
  spec: MutationSpec<V, R, Row>,
): Promise<R> {
  const { principal } = ctx;
  const operation = clientOperationName(info);
  const entry = (a: Audited & { action: string }, action: string, outcome: string): AuditEntry => ({
    principal,
    operation,
    action,
    entityType: a.entityType,
    entityKey: a.entityKey,
    outcome,
  });
  try {
    const input = spec.validate();
    spec.authorize(principal, input);
    const key = requireIdempotencyKey(spec.idempotencyKey);
    const stored = await ctx.db.transaction(async (manager) => {
      let records: AuditEntry[] = [];
      const outcome = await idempotently<Stored<R>>(
        manager,
        {
          principal,
          key,
          operation: spec.action,
          input: spec.input,
          onReplay: async (_m, replayed) => {
            records = replayed.audited.map((a) => entry(a, `${a.action}:replayed`, 'allowed'));
          },
        },
        async (m) => {
          await spec.checkReferences?.(m, input);
          const row = spec.lock ? await lockAndCheck(m, principal, spec.lock, input) : (null as Row);
          const result = await spec.write(m, input, row);
          const audited = spec.audit(result, input).map((a) => ({ ...a, action: a.action ?? spec.action }));
          if (audited.length === 0) throw new Error(`${spec.action}: a write names at least one entity for its audit record`);
          records = audited.map((a) => entry(a, a.action, 'allowed'));
          return { result, audited };
        },
      );
      // Last before the commit: appending takes the audit chain's lock, which every other write and
      // audited read of this database then waits for until this transaction commits. Taken after the
      // idempotency record is stored, it is held for two statements and the commit, not four.
      await recordAudits(manager, records);
      return outcome;
    });
    return stored.result;
  } catch (error) {
    // Refusals of identified principals are recorded; anonymous calls could otherwise fill the log.
    if (codeOf(error) === 'FORBIDDEN' && principal.role !== 'public') {
      const key = typeof spec.refusedKey === 'function' ? await spec.refusedKey(ctx.db) : spec.refusedKey;
      await ctx.db.transaction((m) =>
        recordAudit(m, { principal, operation, action: spec.action, entityType: spec.entityType, entityKey: key ?? '', outcome: 'denied' }),
      );
    }
    throw error;
  }
}

async function lockAndCheck<V, Row extends Versioned | null>(manager: EntityManager, principal: Principal, lock: Lock<V, Row>, input: V): Promise<Row> {
  const row = await lock.row(manager, input);
  if (row !== null) lock.authorize?.(principal, row, input);
  checkVersion(lock.what, row, lock.expectedVersion);
  return row;
}

/**
 * The version check, and the one CONFLICT shape (kit `conflict`: the message says what changed,
 * `extensions.currentVersion` the version now):
 * - `expected` a number: the row must exist at that version;
 * - `expected` null: the row must not exist yet (a create-or-change write);
 * - `expected` undefined: nothing to check.
 */
export function checkVersion(what: string, row: Versioned | null, expected: number | null | undefined): void {
  if (expected === undefined) return;
  if (row === null) {
    if (expected !== null)
      throw conflict(
        `There is no ${what} to change at version ${expected}; it may have been removed, or not be recorded yet (omit expectedVersion to record it).`,
        null,
      );
    return;
  }
  if (expected === null) {
    throw conflict(`The ${what} is already recorded (version ${row.version}); pass expectedVersion: ${row.version} to change it.`, row.version);
  }
  if (row.version !== expected) {
    throw conflict(`The ${what} has changed since you read it: it is at version ${row.version}, you sent ${expected}. Reload it and try again.`, row.version);
  }
}

/**
 * Locks one row (`FOR UPDATE`) and returns it; NOT_FOUND naming `what` and `id` when there is none
 * (or none the query's own conditions, e.g. a policy scope, let through). Takes a TypeORM query
 * builder (entities come back typed and mapped) or SQL with positional parameters (raw rows).
 */
export async function lockRow<T extends ObjectLiteral>(
  manager: EntityManager,
  query: SelectQueryBuilder<T> | { readonly sql: string; readonly params: readonly unknown[] },
  what: string,
  id: string,
): Promise<T> {
  const row =
    'sql' in query && typeof query.sql === 'string'
      ? (await manager.query<T[]>(`${query.sql} FOR UPDATE`, [...query.params]))[0]
      : await (query as SelectQueryBuilder<T>).setLock('pessimistic_write').getOne();
  if (!row) throw notFound(`No ${what} with id ${id} that you may change.`);
  return row;
}

/**
 * The row as a write left it, read in the write's transaction, for the write's result: what the
 * idempotency record stores, so that a replay answers with the row as the first write left it and
 * never with its later state. Byte columns (sealed notes) are not copied into the idempotency record:
 * only whether they were set; {@link revive} takes those from the row as it is now.
 */
export async function rowAsWritten<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, id: string): Promise<T> {
  const metadata = manager.connection.getMetadata(entity);
  const row = await manager.getRepository(entity).findOneBy({ id } as unknown as FindOptionsWhere<T>);
  if (!row) throw new Error(`the ${metadata.name} ${id} that was just written is not there`);
  for (const column of metadata.columns) {
    if (column.type === 'bytea' && column.getEntityValue(row) !== null) column.setEntityValue(row, SEALED);
  }
  return row;
}

/** Stands for a byte column that was set when the row was written (see rowAsWritten). */
const SEALED = '<sealed>';

/**
 * A row from {@link rowAsWritten} as an entity again, whether it comes straight from the write or from
 * a replay's stored JSON: timestamps revived by the entity's metadata, and byte columns that were set
 * taken from `current` (the row now; sealed notes that a write set do not change afterwards).
 */
export function revive<T extends ObjectLiteral>(db: DataSource, entity: EntityTarget<T>, stored: T, current?: T | null): T {
  const metadata = db.getMetadata(entity);
  const row = metadata.create() as T;
  for (const column of metadata.columns) {
    const value: unknown = column.getEntityValue(stored);
    let revived = value;
    if (column.type === 'bytea') revived = value === SEALED ? (current ? column.getEntityValue(current) : null) : null;
    else if (typeof value === 'string' && typeof column.type === 'string' && column.type.startsWith('timestamp')) revived = new Date(value);
    column.setEntityValue(row, revived);
  }
  return row;
}
