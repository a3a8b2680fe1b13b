import { rowsDigest, type CapturedStatement } from '@nimo/kit';
import pg from 'pg';

/**
 * The floor's work for one dashboard answer: the SQL statements the hub's subgraphs ran for it,
 * captured with their parameters (kit `NIMO_SQL_CAPTURE`), per subgraph database.
 */
export type Script = Readonly<Record<string, readonly CapturedStatement[]>>;

/** Statements that must run on one connection in their order (a transaction); the rest may run side by side. */
const TRANSACTION_CONTROL = /^\s*(START\s+TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET\s+(LOCAL|TRANSACTION))\b/i;

/** Statements that change data (an audit record of a read of sensitive data, say): a replay cannot repeat them. */
const WRITE = /^\s*(INSERT|UPDATE|DELETE|MERGE|COPY)\b|\b(INSERT\s+INTO|DELETE\s+FROM)\b|\bUPDATE\s+\S+\s+SET\b/i;

/** The statements of a script that write: the floor answers only requests that read. */
export function writesIn(script: Script): CapturedStatement[] {
  return Object.values(script).flatMap((statements) => statements.filter((s) => WRITE.test(s.sql)));
}

export function needsOneConnection(statements: readonly CapturedStatement[]): boolean {
  return statements.some((s) => TRANSACTION_CONTROL.test(s.sql));
}

/**
 * Runs a script: the databases side by side; within one, the statements side by side on the pool as
 * the subgraph's DataLoaders do, or one after the other on one connection when they hold a
 * transaction. Returns each database's rows, statement by statement.
 */
export async function replay(pools: ReadonlyMap<string, pg.Pool>, script: Script): Promise<Record<string, unknown[][]>> {
  const entries = await Promise.all(
    Object.entries(script).map(async ([name, statements]): Promise<[string, unknown[][]]> => {
      const pool = pools.get(name);
      if (!pool) throw new Error(`floor: no database for ${name}`);
      if (!needsOneConnection(statements)) {
        return [name, await Promise.all(statements.map(async (s) => (await pool.query(s.sql, s.params as unknown[])).rows as unknown[]))];
      }
      const client = await pool.connect();
      try {
        const rows: unknown[][] = [];
        for (const s of statements) rows.push((await client.query(s.sql, s.params as unknown[])).rows as unknown[]);
        return [name, rows];
      } finally {
        client.release();
      }
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * Where a replay's rows differ from what the hub's subgraphs got for the same statements (row count
 * and digest of each): an empty list means the floor read exactly what the hub read.
 */
export function replayDifferences(script: Script, rows: Record<string, unknown[][]>): string[] {
  const out: string[] = [];
  for (const [name, statements] of Object.entries(script)) {
    statements.forEach((s, i) => {
      const got = rows[name]?.[i];
      if (!got) out.push(`${name} #${i + 1}: no rows`);
      else if (got.length !== s.rows || rowsDigest(got) !== s.digest)
        out.push(`${name} #${i + 1} (${s.sql.replace(/\s+/g, ' ').slice(0, 80)}…): ${got.length} rows, the hub's ${s.rows ?? '?'}`);
    });
  }
  return out;
}
