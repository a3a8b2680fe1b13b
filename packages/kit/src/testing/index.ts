import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../database/admin';
import { withDatabase } from '../database/url';
import { HOP_HEADER, hopKey, signHop } from '../auth/hop';
import { PUBLIC_PRINCIPAL, type Principal } from '../auth/principal';

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

/** Headers that make a request look as if the gateway forwarded it for this principal. */
export async function hopHeaders(principal: Principal = PUBLIC_PRINCIPAL): Promise<Record<string, string>> {
  return { [HOP_HEADER]: await signHop(principal, hopKey()) };
}
