import { AsyncLocalStorage } from 'node:async_hooks';
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
    return original.apply(this, args);
  };
}

export function countStatements<T>(counter: StatementCounter, fn: () => T): T {
  installStatementCounter();
  return storage.run(counter, fn);
}

export function currentStatementCounter(): StatementCounter | undefined {
  return storage.getStore();
}
