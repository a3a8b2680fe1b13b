import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../database/admin';
import { withDatabase } from '../database/url';

/** The PostgreSQL server of this test run (see global-setup). */
export function testServerUrl(): string {
  const url = process.env.NIMO_TEST_SERVER_URL;
  if (!url) throw new Error('no test database server: use the jest preset with { database: true }');
  return url;
}

/** A new, empty database for one test file; drop it with `dropTestDatabase`. */
export async function createTestDatabase(prefix: string): Promise<string> {
  const url = withDatabase(testServerUrl(), `nimo_test_${prefix.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`);
  await ensureDatabase(url);
  return url;
}

export const dropTestDatabase = dropDatabase;
