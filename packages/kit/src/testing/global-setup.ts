import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded';

/**
 * jest global set-up: a real PostgreSQL server for the test run. With DATABASE_URL (or
 * TEST_DATABASE_URL) set, that server is used; otherwise an embedded server starts in a temporary
 * folder and is removed after the run. Tests create their own throw-away databases on it.
 */
export default async function globalSetup(): Promise<void> {
  // The gateway and subgraphs of a test run share one hop secret.
  process.env.HUB_INTERNAL_SECRET ??= randomBytes(32).toString('hex');
  // The audit chain's key for the run (never the development key in .data/).
  process.env.AUDIT_HMAC_KEYS ??= `test:${randomBytes(32).toString('hex')}`;
  const given = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (given) {
    process.env.NIMO_TEST_SERVER_URL = given;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nimo-test-pg-'));
  fs.chmodSync(dir, 0o777);
  const server = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: 0, persistent: false });
  process.env.NIMO_TEST_SERVER_URL = server.url;
  (globalThis as { __nimoEmbedded?: EmbeddedServer & { dir: string } }).__nimoEmbedded = { ...server, dir };
}
