import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CountTable, ProtectionOptions, RowRelation } from './protection';

/**
 * `protectTable` on a worker thread, so that the 2-3 s of CPU it takes on a national table of a fiscal
 * year never holds up the calling thread's requests. The table goes over as plain data (values as one
 * Float64Array, moved, not copied); the answer is the same set `protectTable` returns.
 */
export interface ProtectionRequest {
  readonly rows: readonly string[];
  /** Each row's parent as an index into rows, −1 for the root. */
  readonly parents: Int32Array;
  readonly columns: readonly string[];
  readonly relations: readonly { readonly sense: RowRelation['sense']; readonly terms: readonly (readonly [string, number])[] }[];
  readonly followers: readonly (readonly [string, readonly string[]])[];
  /** row × columns.length + column → count. */
  readonly values: Float64Array<ArrayBuffer>;
  readonly options: ProtectionOptions;
}

/** The compiled worker: next to this file in dist/, or in dist/ when this runs from the sources (ts-jest). */
function workerFile(): string {
  const here = join(__dirname, 'protection-worker.js');
  return existsSync(here) ? here : join(__dirname, '..', '..', 'dist', 'statistics', 'protection-worker.js');
}

export function tableToMessage(table: CountTable, options: ProtectionOptions): ProtectionRequest {
  const rows = [...table.parents.keys()];
  const index = new Map(rows.map((r, i) => [r, i]));
  const values = new Float64Array(rows.length * table.columns.length);
  rows.forEach((r, i) => table.columns.forEach((c, j) => (values[i * table.columns.length + j] = table.value(r, c))));
  return {
    rows,
    parents: Int32Array.from(rows, (r) => {
      const p = table.parents.get(r);
      return p === null || p === undefined ? -1 : (index.get(p) ?? -1);
    }),
    columns: table.columns,
    relations: table.relations.map((r) => ({ sense: r.sense, terms: [...r.coefficients] })),
    followers: [...(table.followers ?? [])],
    values,
    options,
  };
}

export function tableFromMessage(message: ProtectionRequest): CountTable {
  const C = message.columns.length;
  const rowIndex = new Map(message.rows.map((r, i) => [r, i]));
  const columnIndex = new Map(message.columns.map((c, j) => [c, j]));
  return {
    parents: new Map(message.rows.map((r, i) => [r, message.rows[message.parents[i] ?? -1] ?? null])),
    columns: message.columns,
    relations: message.relations.map((r) => ({ sense: r.sense, coefficients: new Map(r.terms) })),
    followers: new Map(message.followers),
    value: (row, column) => message.values[(rowIndex.get(row) ?? 0) * C + (columnIndex.get(column) ?? 0)] ?? 0,
  };
}

/**
 * How much lower than the process this thread runs (a nice value added, Linux): a snapshot of the
 * figures is background work that should take the cores requests leave idle, not share them with the
 * requests. At 10 it gets about a tenth of a core that requests keep busy, all of an idle one.
 */
export const PROTECTION_NICE = 10;

/**
 * {@link protectTable} on a worker thread of its own, ended when it answers. The thread runs at a lower
 * scheduling priority where the system allows it (protection-worker.ts): a snapshot is background work
 * and yields the cores to requests. (A worker kept between snapshots was tried: no less CPU per
 * snapshot, and its heap stayed, 130 MiB more resident memory.)
 */
export function protectTableOffThread(table: CountTable, options: ProtectionOptions = {}): Promise<Set<string>> {
  const request = tableToMessage(table, options);
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile());
    let answered = false;
    worker.once('message', (hidden: string[]) => {
      answered = true;
      resolve(new Set(hidden));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`protectTableOffThread: the worker ended (code ${code}) without an answer`));
    });
    worker.postMessage(request, [request.values.buffer]);
  });
}
