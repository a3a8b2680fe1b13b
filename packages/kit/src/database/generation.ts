import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Figures computed from a subgraph's own tables, reused across requests until the data changes.
 *
 * A migration (`generationMigrationSql`) gives the database a sequence, `figures_generation`, that
 * every committed change to the listed tables advances: a deferred constraint trigger, so it moves
 * at commit, and a sequence rather than a counter row, so writers never queue behind one another
 * for it. `GenerationCache.get` reads the sequence (one cheap statement) and computes again only
 * when it moved, or after `maxAgeMs`: a safety net for a write that commits while a computation
 * runs. Works across replicas of a subgraph, since the generation lives in the database.
 */
export function generationMigrationSql(triggers: Readonly<Record<string, string>>): { up: string; down: string } {
  const entries = Object.entries(triggers);
  return {
    up: [
      'CREATE SEQUENCE figures_generation;',
      `CREATE FUNCTION advance_figures_generation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM nextval('figures_generation'); RETURN NULL; END $$;`,
      ...entries.map(
        ([trigger, table]) =>
          `CREATE CONSTRAINT TRIGGER ${trigger} AFTER INSERT OR UPDATE OR DELETE ON ${table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION advance_figures_generation();`,
      ),
    ].join('\n'),
    down: [
      ...entries.map(([trigger, table]) => `DROP TRIGGER ${trigger} ON ${table};`),
      'DROP FUNCTION advance_figures_generation(); DROP SEQUENCE figures_generation;',
    ].join('\n'),
  };
}

/**
 * The migration that adds the generation to a subgraph's database: `name` as TypeORM records it
 * (ending in its 13-digit timestamp), `triggers` as for `generationMigrationSql`.
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
  private readonly perDatabase = new WeakMap<DataSource, Map<string, Entry<T>>>();

  constructor(private readonly maxEntries: number) {}

  async get(db: DataSource, key: string, maxAgeMs: number, compute: () => Promise<T>): Promise<T> {
    const [row] = (await db.query('SELECT last_value::text || is_called::text AS generation FROM figures_generation')) as { generation: string }[];
    const generation = row?.generation ?? '';
    const entries = this.perDatabase.get(db) ?? new Map<string, Entry<T>>();
    this.perDatabase.set(db, entries);
    const hit = entries.get(key);
    if (hit && hit.generation === generation && Date.now() - hit.at < maxAgeMs) return hit.value;
    const value = compute();
    entries.delete(key);
    entries.set(key, { generation, at: Date.now(), value });
    // Bounded: the keys asked for most recently (a Map keeps insertion order).
    for (const oldest of entries.keys()) {
      if (entries.size <= this.maxEntries) break;
      entries.delete(oldest);
    }
    value.catch(() => entries.delete(key));
    return value;
  }
}
