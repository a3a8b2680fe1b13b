import { compiledFile, runInBackground } from './background';
import type { CountTable, ProtectionOptions, RowRelation } from './protection';

/**
 * `protectTable` in the background process, so that the seconds of CPU it can take on a national table
 * of a fiscal year never hold up the calling thread's requests. The table goes over as plain data
 * (values as one Float64Array); the answer is the same set `protectTable` returns.
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
 * {@link protectTable} as a background job ({@link runInBackground}: a process of its own at a lower
 * scheduling priority).
 */
export async function protectTableInBackground(table: CountTable, options: ProtectionOptions = {}): Promise<Set<string>> {
  const request = tableToMessage(table, options);
  return new Set(await runInBackground<ProtectionRequest, string[]>(compiledFile(__dirname, 'protection-job.js'), request));
}
