import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Counts SQL statements at the driver (every `pg` Client.query call), per request. A request runs
 * inside `countStatements`; everything it sends to PostgreSQL, through TypeORM or not, is counted.
 * Tests assert constant counts with it; the subgraph reports it in a response header when
 * diagnostics are on (the benchmarks read it).
 */
export interface StatementCounter {
  count: number;
  /** The request's id (telemetry/request.ts): the one scope serves both the count and the logs. */
  readonly requestId?: string;
  /**
   * When set, every statement of the request is also recorded here with its parameters, the number
   * of rows it returned and a digest of them (NIMO_SQL_CAPTURE: the benchmark's floor replays them).
   */
  statements?: CapturedStatement[];
  /**
   * Set when the request's answer depends on who asked, not only on their rights: something read
   * the principal's `subject` (an audit record names it). Such an answer is never shared with
   * another principal (see the HTTP front's SHAREABLE_HEADER).
   */
  personal?: boolean;
}

/** One statement a request sent, as the driver got it, and what it returned. */
export interface CapturedStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Rows returned (null until it has answered, or when it failed). */
  rows: number | null;
  /** sha256 of the returned rows as JSON (`rowsDigest`). */
  digest: string | null;
}

/** The digest a captured statement's rows are compared by: sha256 of their JSON. */
export function rowsDigest(rows: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

/** Records a statement about to be sent; null for a stream or other submittable (not replayable). */
function capture(statements: CapturedStatement[], args: readonly unknown[]): CapturedStatement | null {
  const [first, second] = args;
  const config = typeof first === 'object' && first !== null ? (first as { text?: unknown; values?: unknown }) : null;
  const sql = typeof first === 'string' ? first : typeof config?.text === 'string' ? config.text : null;
  if (sql === null) return null;
  const params = Array.isArray(second) ? (second as unknown[]) : Array.isArray(config?.values) ? (config.values as unknown[]) : [];
  const entry: CapturedStatement = { sql, params, rows: null, digest: null };
  statements.push(entry);
  return entry;
}

function answered(entry: CapturedStatement, result: { rows?: unknown[] } | undefined): void {
  entry.rows = result?.rows?.length ?? 0;
  entry.digest = rowsDigest(result?.rows ?? []);
}

const storage = new AsyncLocalStorage<StatementCounter>();
let installed = false;

export function installStatementCounter(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function countedQuery(this: unknown, ...args: unknown[]): unknown {
    const counter = storage.getStore();
    if (counter) counter.count += 1;
    const entry = counter?.statements ? capture(counter.statements, args) : null;
    if (!entry) return original.apply(this, args);
    // The rows, whether the caller takes them by callback (pg.Pool.query) or by promise (TypeORM).
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as (error: unknown, result: { rows?: unknown[] } | undefined) => void;
      return original.apply(this, [
        ...args.slice(0, -1),
        (error: unknown, result: { rows?: unknown[] } | undefined) => {
          if (!error) answered(entry, result);
          callback(error, result);
        },
      ]);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise)
      result.then(
        (r: { rows?: unknown[] }) => answered(entry, r),
        () => undefined,
      );
    return result;
  };
}

export function countStatements<T>(counter: StatementCounter, fn: () => T): T {
  installStatementCounter();
  return storage.run(counter, fn);
}

export function currentStatementCounter(): StatementCounter | undefined {
  return storage.getStore();
}
