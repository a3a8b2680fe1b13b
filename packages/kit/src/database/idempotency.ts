import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { principalKey, type Principal } from '../auth/principal';
import { badUserInput, conflict } from '../graphql/errors';

/**
 * Idempotent mutations: a client sends an `idempotencyKey` with a write; a retry with the same key
 * (after a timeout, a dropped connection, a double click) gets the first answer back and creates
 * nothing twice. Keys are per principal (subject), kept 24 hours. Reusing a key for a different
 * request is refused with BAD_USER_INPUT.
 *
 * `idempotencyTableUp` creates the table (call it from a migration); `transactionally` runs the work
 * in one transaction with the key's record, guarded per key by an advisory lock, so two concurrent
 * retries cannot both do the work: the second is refused at once with CONFLICT while the first runs.
 */
export async function idempotencyTableUp(db: QueryRunner): Promise<void> {
  await db.query(`
    CREATE TABLE idempotency_key (
      principal_subject text NOT NULL,
      key text NOT NULL,
      operation text NOT NULL,
      request_hash text NOT NULL,
      result jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (principal_subject, key)
    );
    CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
  `);
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,100}$/;
export const IDEMPOTENCY_TTL_HOURS = 24;

export interface IdempotentRequest<R = unknown> {
  readonly principal: Principal;
  /** The client's key, or null for a write without one. */
  readonly key: string | null | undefined;
  /** The mutation's name: a key used for another mutation is refused. */
  readonly operation: string;
  /** The mutation's input: a key reused with other input is refused. */
  readonly input: unknown;
  /** Runs in the transaction when a stored answer is replayed (e.g. to audit the replay), with that answer. */
  readonly onReplay?: (manager: EntityManager, stored: R) => Promise<void>;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Checks an idempotency key's shape (BAD_USER_INPUT naming the argument); null when none was given. */
export function requireIdempotencyKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  if (!KEY_PATTERN.test(key)) {
    throw badUserInput('idempotencyKey must be 8–100 characters of letters, digits and . _ : - (a UUID is a good choice).', { argument: 'idempotencyKey' });
  }
  return key;
}

/**
 * Runs `work` in one transaction. With a key: the first call's result (JSON) is stored with it, and
 * a retry returns that result without running `work` again.
 */
export async function transactionally<R>(db: DataSource, request: IdempotentRequest<R>, work: (manager: EntityManager) => Promise<R>): Promise<R> {
  if (requireIdempotencyKey(request.key) === null) return db.transaction(work);
  return db.transaction((manager) => idempotently(manager, request, work));
}

/**
 * The idempotency step inside a transaction the caller opened (the kit's mutation pipeline): with a
 * key, serialised per key by an advisory lock, a stored answer is replayed (`onReplay` runs) or
 * `work` runs and its result is stored; without a key, `work` just runs.
 */
export async function idempotently<R>(manager: EntityManager, request: IdempotentRequest<R>, work: (manager: EntityManager) => Promise<R>): Promise<R> {
  const key = requireIdempotencyKey(request.key);
  if (key === null) return work(manager);
  // Keys belong to the whole principal: the same user acting for another organisation or
  // jurisdiction (or with other claims) never gets an answer stored for a different identity.
  const subject = principalKey(request.principal);
  const requestHash = createHash('sha256')
    .update(stableJson([request.operation, request.input]))
    .digest('hex');
  // A second request with a key whose first request is still running is told so at once (CONFLICT,
  // retriable) instead of waiting on the lock: the client retries and then gets the stored answer.
  const [lock] = await manager.query<{ taken: boolean }[]>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS taken', [`${subject}\n${key}`]);
  if (!lock?.taken) {
    throw conflict('A request with this idempotencyKey is still running; retry when it has finished to get its answer.', null);
  }
  const [stored] = await manager.query<{ operation: string; request_hash: string; result: { value: R } }[]>(
    `SELECT operation, request_hash, result FROM idempotency_key
      WHERE principal_subject = $1 AND key = $2 AND created_at > now() - make_interval(hours => $3)`,
    [subject, key, IDEMPOTENCY_TTL_HOURS],
  );
  if (stored) {
    if (stored.operation !== request.operation || stored.request_hash !== requestHash) {
      throw badUserInput('This idempotencyKey was already used for a different request; use a new key for a new request.', { argument: 'idempotencyKey' });
    }
    await request.onReplay?.(manager, stored.result.value);
    return stored.result.value;
  }
  const result = await work(manager);
  await manager.query(
    `INSERT INTO idempotency_key (principal_subject, key, operation, request_hash, result) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (principal_subject, key) DO UPDATE
       SET operation = excluded.operation, request_hash = excluded.request_hash, result = excluded.result, created_at = now()`,
    [subject, key, request.operation, requestHash, JSON.stringify({ value: result ?? null })],
  );
  // Expired keys go, a few with each new one (by the created_at index): a stored answer (which may
  // hold the row a write left) is not kept longer than a retry may ask for it.
  await manager.query(
    `DELETE FROM idempotency_key WHERE ctid IN (
       SELECT ctid FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1) LIMIT 20)`,
    [IDEMPOTENCY_TTL_HOURS],
  );
  return result;
}
