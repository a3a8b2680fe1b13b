import DataLoader from 'dataloader';
import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { FiscalYear } from './fiscal-year';

/**
 * DataLoaders for one request. Each turns the keys asked for in one tick into one SQL statement
 * (`WHERE key = ANY($1)`), so a request's statement count does not grow with the number of
 * entities it resolves.
 */

/**
 * Rows whose `column` (a database column name) is one of `keys`, as alias `x`: one array parameter
 * (`= ANY($1)`), where TypeORM's In() binds and escapes a parameter per key — 1,900 of them for the
 * national overview's municipalities, a few milliseconds of a subgraph's CPU per request.
 */
export function whereAny<T extends ObjectLiteral>(repository: Repository<T>, column: string, keys: readonly (string | number)[]): SelectQueryBuilder<T> {
  return repository.createQueryBuilder('x').where(`x.${column} = ANY(:keys)`, { keys: [...keys] });
}

/**
 * A loader key: one value, or a composite of named values (e.g. `{ code, fiscalYear }`): typed
 * fields, never a string built by hand, so no key can be split wrongly or collide with another.
 */
export type LoaderKey = string | number | { readonly [field: string]: string | number | null };

/**
 * The composite key of per-year loaders: a code (a jurisdiction's, a prefecture's two digits, an
 * adviser's id) and a fiscal year. (A type alias, not an interface: it must fit {@link LoaderKey}.)
 */
export type YearKey = { readonly code: string; readonly fiscalYear: FiscalYear };

/** The cache identity of a key: a composite's values in the order of its sorted field names. */
export function keyId(key: LoaderKey): string | number {
  if (typeof key !== 'object') return key;
  return JSON.stringify(
    Object.keys(key)
      .sort()
      .map((field) => key[field]),
  );
}

/** Composite keys as one array per field, for SQL (`unnest($1::text[], $2::int[])`) or in-memory grouping. */
export function unzipKeys<K extends { readonly [field: string]: string | number | null }>(
  keys: readonly K[],
  fields: readonly (keyof K & string)[],
): { [F in keyof K]: K[F][] } {
  const columns = {} as { [F in keyof K]: K[F][] };
  for (const field of fields) columns[field] = keys.map((k) => k[field]);
  return columns;
}

/** A DataLoader over {@link LoaderKey}s: composite keys with equal fields are one key. */
export function keyedLoader<K extends LoaderKey, V>(batch: (keys: readonly K[]) => Promise<readonly V[]>): DataLoader<K, V, string | number> {
  return new DataLoader<K, V, string | number>((keys) => batch(keys), { cacheKeyFn: keyId });
}

/** One row (or null) per key. */
export function rowLoader<K extends LoaderKey, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K): DataLoader<K, V | null, string | number> {
  return keyedLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<string | number, V>();
    for (const row of rows) byKey.set(keyId(keyOf(row)), row);
    return keys.map((key) => byKey.get(keyId(key)) ?? null);
  });
}

/** Every row that belongs to each key (e.g. the organisations of each jurisdiction). */
export function groupLoader<K extends LoaderKey, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K): DataLoader<K, V[], string | number> {
  return keyedLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<string | number, V[]>();
    for (const row of rows) {
      const key = keyId(keyOf(row));
      const list = byKey.get(key);
      if (list) list.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((key) => byKey.get(keyId(key)) ?? []);
  });
}

/** Several loads at once, keeping order; nulls (unknown keys) dropped. */
export async function loadPresent<K, V, C = K>(loader: DataLoader<K, V | null, C>, keys: readonly K[]): Promise<V[]> {
  const values = await loader.loadMany(keys);
  return values.filter((v): v is V => v !== null && !(v instanceof Error));
}
