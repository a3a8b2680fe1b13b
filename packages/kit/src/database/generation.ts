import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { keyId, type LoaderKey } from '../graphql/loaders';

/** The advisory lock that orders computations after the writes that moved the generation. */
const LOCK = "hashtext('figures_generation')";

/**
 * Figures computed from a subgraph's own tables, reused across requests until the data changes.
 *
 * The migration (`generationMigration`) gives the database a sequence, `figures_generation`, that
 * every statement changing one of the listed tables advances (a statement trigger; TRUNCATE too).
 * The trigger also takes a shared advisory lock, held until its transaction ends. A sequence is not
 * transactional, so a reader sees the new generation before the change is visible; on a miss,
 * `GenerationCache.get` therefore reads the generation again through `figures_generation_settled()`,
 * which first takes the lock exclusively: it waits until every writer that moved the generation has
 * committed (or rolled back), and the computation that follows sees their changes. A hit costs one
 * statement; writers never wait for one another (shared locks) and a reader waits only for writers
 * in flight. Works across replicas of a subgraph, since the generation lives in the database.
 * Idempotent SQL, so it also upgrades a database that has an older form of it.
 */
export function generationMigrationSql(triggers: Readonly<Record<string, string>>): { up: string; down: string } {
  const entries = Object.entries(triggers);
  return {
    up: [
      'CREATE SEQUENCE IF NOT EXISTS figures_generation;',
      `CREATE OR REPLACE FUNCTION advance_figures_generation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_advisory_xact_lock_shared(${LOCK}); PERFORM nextval('figures_generation'); RETURN NULL; END $$;`,
      `CREATE OR REPLACE FUNCTION figures_generation_settled() RETURNS text LANGUAGE plpgsql AS $$
        DECLARE generation text;
        BEGIN
          PERFORM pg_advisory_xact_lock(${LOCK});
          SELECT last_value::text || is_called::text INTO generation FROM figures_generation;
          RETURN generation;
        END $$;`,
      ...entries.map(
        ([trigger, table]) =>
          `DROP TRIGGER IF EXISTS ${trigger} ON ${table};
      CREATE TRIGGER ${trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION advance_figures_generation();`,
      ),
    ].join('\n'),
    down: [
      ...entries.map(([trigger, table]) => `DROP TRIGGER IF EXISTS ${trigger} ON ${table};`),
      'DROP FUNCTION IF EXISTS figures_generation_settled(); DROP FUNCTION IF EXISTS advance_figures_generation(); DROP SEQUENCE IF EXISTS figures_generation;',
    ].join('\n'),
  };
}

/**
 * The migration that adds (or brings up to date) the generation of a subgraph's database: `name` as
 * TypeORM records it (ending in its 13-digit timestamp), `triggers` as trigger name → table.
 */
export function generationMigration(name: string, triggers: Readonly<Record<string, string>>): new () => MigrationInterface {
  const sql = generationMigrationSql(triggers);
  return class implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await db.query(sql.up);
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(sql.down);
    }
  };
}

interface Entry<T> {
  readonly generation: string;
  readonly at: number;
  readonly value: Promise<T>;
}

/** Values per key (e.g. a fiscal year), per database, kept while the generation stands; the most recently asked `maxEntries`. */
export class GenerationCache<T> {
  private readonly perDatabase = new WeakMap<DataSource, Map<string | number, Entry<T>>>();

  constructor(private readonly maxEntries: number) {}

  async get(db: DataSource, of: LoaderKey, maxAgeMs: number, compute: () => Promise<T>): Promise<T> {
    const [value] = await this.getMany(db, [of], maxAgeMs, () => [compute()]);
    if (value === undefined) throw new Error('GenerationCache: no value computed');
    return value;
  }

  /**
   * Values of several keys (e.g. the fiscal years of a trend) at the cost of one: one statement reads
   * the generation for all of them; on any miss, one more waits for writers in flight and `compute`
   * is called once with every missing key (it returns a value per key, in order), so that it can read
   * them all in one statement.
   */
  async getMany<K extends LoaderKey>(db: DataSource, keys: readonly K[], maxAgeMs: number, compute: (missing: readonly K[]) => Promise<T>[]): Promise<T[]> {
    const ids = keys.map(keyId);
    const [row] = await db.query<{ generation: string }[]>('SELECT last_value::text || is_called::text AS generation FROM figures_generation');
    const entries = this.perDatabase.get(db) ?? new Map<string | number, Entry<T>>();
    this.perDatabase.set(db, entries);
    const values = new Map<string | number, Promise<T>>();
    const missing: K[] = [];
    keys.forEach((key, i) => {
      const id = ids[i] as string | number;
      if (values.has(id) || missing.some((m) => keyId(m) === id)) return;
      const hit = entries.get(id);
      if (hit && hit.generation === (row?.generation ?? '') && Date.now() - hit.at < maxAgeMs) {
        entries.delete(id);
        entries.set(id, hit); // most recently asked last
        values.set(id, hit.value);
      } else missing.push(key);
    });
    if (missing.length > 0) {
      // A miss: wait for the writers that moved the generation to commit (see generationMigrationSql).
      const [settled] = await db.query<{ generation: string }[]>('SELECT figures_generation_settled() AS generation');
      const computed = compute(missing);
      missing.forEach((key, i) => {
        const id = keyId(key);
        const value = computed[i];
        if (value === undefined) throw new Error(`GenerationCache: no value computed for ${String(id)}`);
        const entry = { generation: settled?.generation ?? '', at: Date.now(), value };
        values.set(id, value);
        entries.delete(id);
        entries.set(id, entry);
        value.catch(() => {
          if (entries.get(id) === entry) entries.delete(id);
        });
      });
      for (const oldest of entries.keys()) {
        if (entries.size <= this.maxEntries) break;
        entries.delete(oldest);
      }
    }
    return Promise.all(ids.map((id) => values.get(id) as Promise<T>));
  }
}
