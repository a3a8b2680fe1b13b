import DataLoader from 'dataloader';
import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';

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

/** One row (or null) per key. */
export function rowLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V>();
    for (const row of rows) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** Every row that belongs to each key (e.g. the organisations of each jurisdiction). */
export function groupLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const list = byKey.get(key);
      if (list) list.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  });
}

/** Several loads at once, keeping order; nulls (unknown keys) dropped. */
export async function loadPresent<K, V>(loader: DataLoader<K, V | null>, keys: readonly K[]): Promise<V[]> {
  const values = await loader.loadMany(keys);
  return values.filter((v): v is V => v !== null && !(v instanceof Error));
}
