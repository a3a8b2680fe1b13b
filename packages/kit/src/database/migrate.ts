import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';

/**
 * The advisory lock that makes replicas starting together migrate one at a time (PostgreSQL's
 * advisory locks are per database, so one key serves every subgraph's own database): 'nimo' and 1.
 */
export const MIGRATION_LOCK: readonly [number, number] = [0x6e696d6f, 1];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the pending migrations of a database under the advisory lock: the first process to take it
 * migrates, the others wait (polling with `pg_try_advisory_lock`, so no statement timeout cuts the
 * wait) and then find nothing pending. Each migration runs in its own transaction. Returns the names
 * of the migrations this process applied.
 */
export async function migrateUnderLock(db: DataSource, logger: Logger, options: { pollMs?: number; timeoutMs?: number } = {}): Promise<string[]> {
  const pollMs = options.pollMs ?? 500;
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  const session = db.createQueryRunner();
  await session.connect();
  try {
    let waited = false;
    for (;;) {
      const [row] = (await session.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [...MIGRATION_LOCK])) as { locked: boolean }[];
      if (row?.locked) break;
      if (!waited) logger.info('another process is migrating this database: waiting for it');
      waited = true;
      if (Date.now() > deadline) throw new Error('gave up waiting for the migration lock (another process has held it too long)');
      await sleep(pollMs);
    }
    try {
      const applied = await db.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await session.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
    }
  } finally {
    await session.release();
  }
}
