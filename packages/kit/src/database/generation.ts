import { AsyncResource } from 'node:async_hooks';
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
    const missingIds = new Set<string | number>(); // thousands of keys (every forum): no scan per key
    keys.forEach((key, i) => {
      const id = ids[i] as string | number;
      if (values.has(id) || missingIds.has(id)) return;
      const hit = entries.get(id);
      if (hit && hit.generation === (row?.generation ?? '') && Date.now() - hit.at < maxAgeMs) {
        entries.delete(id);
        entries.set(id, hit); // most recently asked last
        values.set(id, hit.value);
      } else {
        missing.push(key);
        missingIds.add(id);
      }
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

interface Snapshot<T> {
  readonly generation: string;
  readonly at: number;
  readonly value: T;
}

interface Slot<T> {
  snapshot?: Snapshot<T>;
  /** The computation under way, if any. */
  running?: Promise<Snapshot<T>>;
  /** The generation the computation under way reads (once it has read it). */
  computing?: string;
  /** A request saw a newer generation than the computation under way reads: compute again after it. */
  again: boolean;
  /** When the last computation started (for the minimum interval). */
  started: number;
}

export interface SnapshotOptions {
  /** A snapshot older than this is computed again even if the data has not changed. */
  readonly maxAgeMs: number;
  /** Computations of one key start at least this far apart (the debounce under a stream of writes). */
  readonly minIntervalMs: number;
  /** Told when a computation that nobody waits for fails (the last snapshot stays). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Values per key (e.g. a fiscal year), per database, that are costly to compute and must only ever be
 * served whole, as of one committed state: the last snapshot is served while the next is computed off
 * the request path. A request reads the generation (one statement); if the snapshot is of an older
 * generation (or older than `maxAgeMs`) it starts a computation (not more often than `minIntervalMs`
 * per key; requests in between mark it to run again once more) and answers with the snapshot it has.
 * Only the first request for a key, when there is no snapshot yet, waits. A computation reads the
 * generation through `figures_generation_settled()` first, so it sees every write that moved it.
 */
export class SnapshotCache<T> {
  private readonly perDatabase = new WeakMap<DataSource, Map<string | number, Slot<T>>>();
  /**
   * Computations run in the async context this cache was made in (a module's, no request's): the
   * statements of a computation a request set off are not that request's (its SQL count, the bench's
   * captured SQL).
   */
  private readonly scope = new AsyncResource('SnapshotCache');

  constructor(private readonly maxEntries: number) {}

  async get(db: DataSource, of: LoaderKey, options: SnapshotOptions, compute: () => Promise<T>): Promise<T> {
    const [value] = await this.getMany(db, [of], options, () => compute());
    if (value === undefined) throw new Error('SnapshotCache: no value');
    return value;
  }

  /** Values of several keys (e.g. the fiscal years of a trend): one statement reads the generation for all of them. */
  async getMany<K extends LoaderKey>(db: DataSource, keys: readonly K[], options: SnapshotOptions, compute: (key: K) => Promise<T>): Promise<T[]> {
    const [row] = await db.query<{ generation: string }[]>('SELECT last_value::text || is_called::text AS generation FROM figures_generation');
    const generation = row?.generation ?? '';
    const slots = this.perDatabase.get(db) ?? new Map<string | number, Slot<T>>();
    this.perDatabase.set(db, slots);
    return Promise.all(
      keys.map(async (of) => {
        const key = keyId(of);
        const slot = slots.get(key) ?? { again: false, started: 0 };
        slots.delete(key);
        slots.set(key, slot); // most recently asked last
        for (const oldest of slots.keys()) {
          if (slots.size <= this.maxEntries) break;
          slots.delete(oldest);
        }
        const { snapshot } = slot;
        if (snapshot && snapshot.generation === generation && Date.now() - snapshot.at < options.maxAgeMs) return snapshot.value;
        const running = this.refresh(db, slot, generation, options, () => compute(of));
        if (snapshot) {
          running.catch((error: unknown) => options.onError?.(error));
          return snapshot.value;
        }
        return (await running).value;
      }),
    );
  }

  /** The computation under way (marked to run again), or a new one after the minimum interval. */
  private refresh(db: DataSource, slot: Slot<T>, seen: string, options: SnapshotOptions, compute: () => Promise<T>): Promise<Snapshot<T>> {
    if (slot.running) {
      // Not read yet: it will read this generation or a later one.
      if (slot.computing !== undefined && slot.computing !== seen) slot.again = true;
      return slot.running;
    }
    const run = async (): Promise<Snapshot<T>> => {
      for (;;) {
        const wait = slot.started + options.minIntervalMs - Date.now();
        if (slot.snapshot && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref());
        slot.again = false;
        slot.computing = undefined;
        slot.started = Date.now();
        // Wait for the writers that moved the generation to commit (see generationMigrationSql).
        const [settled] = await db.query<{ generation: string }[]>('SELECT figures_generation_settled() AS generation');
        slot.computing = settled?.generation ?? '';
        const value = await compute();
        slot.snapshot = { generation: slot.computing, at: Date.now(), value };
        if (!slot.again) return slot.snapshot;
      }
    };
    const running = this.scope.runInAsyncScope(run).finally(() => {
      slot.running = undefined;
      slot.computing = undefined;
    });
    slot.running = running;
    return running;
  }
}
