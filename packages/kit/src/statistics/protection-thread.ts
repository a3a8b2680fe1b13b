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

/** A request to the worker: an id to match its answer with. */
export interface ProtectionJob {
  readonly id: number;
  readonly request: ProtectionRequest;
}

/** The worker's answer to a job: the ids of the cells to hide, or why it could not. */
export interface ProtectionAnswer {
  readonly id: number;
  readonly hidden?: string[];
  readonly error?: string;
}

interface Pending {
  readonly resolve: (hidden: Set<string>) => void;
  readonly reject: (error: Error) => void;
}

/**
 * One worker thread for every computation of this process, kept between them: a fresh one per table
 * paid Node's start-up, the module's compilation and the optimising compiler's warm-up on every
 * snapshot (a fifth of its CPU under a stream of writes). Idle, it does not keep the process alive;
 * if it fails, the jobs in flight are refused and the next job starts a new one.
 */
class ProtectionThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  run(request: ProtectionRequest): Promise<Set<string>> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<Set<string>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      const job: ProtectionJob = { id, request };
      worker.postMessage(job, [request.values.buffer]);
    });
  }

  private start(): Worker {
    const worker = new Worker(workerFile());
    worker.unref();
    worker.on('message', (answer: ProtectionAnswer) => {
      const pending = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if (!pending) return;
      if (answer.hidden) pending.resolve(new Set(answer.hidden));
      else pending.reject(new Error(`protectTable failed on its worker thread: ${answer.error ?? 'no answer'}`));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`protectTableOffThread: the worker ended (code ${code}) without an answer`)));
    this.worker = worker;
    return worker;
  }
}

const thread = new ProtectionThread();

/**
 * {@link protectTable} on this process's protection worker thread (one, kept between calls; jobs run
 * one after another). The thread runs at a lower scheduling priority where the system allows it
 * (protection-worker.ts): a snapshot is background work and yields the cores to requests.
 */
export function protectTableOffThread(table: CountTable, options: ProtectionOptions = {}): Promise<Set<string>> {
  return thread.run(tableToMessage(table, options));
}
