import { Client } from 'pg';
import { databaseName, withDatabase } from './url';

/** Whether the database a URL names can be connected to (false when it does not exist). */
async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return false; // invalid_catalog_name
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates the database a URL names unless it exists (connecting to the server's `postgres`
 * database to create it). A role that owns its database and has no other rights (compose, the
 * Helm chart) never needs the `postgres` database.
 */
export async function ensureDatabase(url: string): Promise<void> {
  if (await reachable(url)) return;
  const name = databaseName(url);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      // Identifiers cannot be bound as parameters; quote them the way PostgreSQL does.
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    }
  } catch (error) {
    // Two processes may race to create the same database; the loser sees 42P04 (duplicate_database)
    // or, when both passed the check at once, 23505 (unique_violation on pg_database).
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  } finally {
    await admin.end();
  }
}

/** Drops a database (tests use one throw-away database per run). */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
