import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AuditCheckpointStore, auditTableUp, createDataSource, recordAudits, type AuditEntry } from '@nimo/kit';
import { createTestDatabase, dropTestDatabase, testServerUrl } from '@nimo/kit/testing';

/** The built commands, run as `npm run apikey` / `npm run audit:verify` run them, against real databases. */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: 'apikey' | 'documents' | 'audit-verify' | 'token', args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  // Only the URLs a test gives: never DATABASE_URL or the embedded server of a developer's `npm start`.
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/DATABASE_URL$/.test(name)));
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(__dirname, '..', 'dist', `${script}.js`), ...args], { env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run apikey', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('apikey_cli');
  });
  afterAll(() => dropTestDatabase(url));

  it('creates a key (printed once), lists it without its secret, and revokes it', async () => {
    const env = { GATEWAY_DATABASE_URL: url };
    const created = await run('apikey', ['create', '--name', 'Vendor X'], env);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^nimo_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/only time the key is shown/);
    const keyId = key.split('_')[1] ?? '';

    const listed = await run('apikey', ['list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${keyId}\\s+Vendor X`));
    expect(listed.stdout).not.toContain(key.slice(18));

    const revoked = await run('apikey', ['revoke', keyId], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`revoked ${keyId}`));
    expect((await run('apikey', ['list'], env)).stdout).toMatch(new RegExp(`${keyId}\\s+Vendor X\\s+\\S+\\s+—\\s+\\d{4}-`));

    expect((await run('apikey', ['revoke', 'nosuchkey000'], env)).code).toBe(1);
    expect((await run('apikey', ['create'], env)).code).toBe(2);
    expect((await run('apikey', ['frobnicate'], env)).code).toBe(2);
  });

  it('answers every command alike: --help on stdout with 0, a usage mistake with its usage and 2', async () => {
    const env = { GATEWAY_DATABASE_URL: url };
    for (const script of ['apikey', 'documents', 'audit-verify', 'token'] as const) {
      const help = await run(script, ['--help'], env);
      expect([script, help.code, help.stdout]).toEqual([script, 0, expect.stringMatching(/^usage:\s/)]);
      // An option the command does not know is a usage mistake too (parseArgs refuses it).
      const unknown = await run(script, ['--frobnicate'], env);
      expect([script, unknown.code, unknown.stdout]).toEqual([script, 2, '']);
      expect(unknown.stderr).toMatch(/frobnicate[\s\S]*\nusage:\s/);
    }
  });
});

describe('npm run token', () => {
  // Its own development key set, not the one of a developer's `npm start`.
  const env = { NIMO_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'nimo-token-')) };
  afterAll(() => fs.rmSync(env.NIMO_DATA_DIR, { recursive: true, force: true }));

  it('prints a token with the role and jurisdictions asked for, signed by the development key set', async () => {
    const made = await run('token', ['--role', 'municipality', '--jurisdiction', '131016,131032', '--hours', '1'], env);
    expect([made.code, made.stderr]).toEqual([0, '']);
    const [, payload] = made.stdout.trim().split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ role: 'municipality', jurisdictions: ['131016', '131032'], iss: 'nimo-hub-dev', sub: 'dev-municipality' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    const jwks = JSON.parse(fs.readFileSync(path.join(env.NIMO_DATA_DIR, 'dev-keys', 'jwks.json'), 'utf8')) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);
  });

  it('refuses a wrong role, code or lifetime as a usage mistake (2), printing no token', async () => {
    for (const args of [['--role', 'mayor'], ['--role', 'municipality', '--jurisdiction', '131017'], ['--role', 'nation', '--hours', '48'], []]) {
      const refused = await run('token', args, env);
      expect([args, refused.code, refused.stdout]).toEqual([args, 2, '']);
      expect(refused.stderr).toMatch(/^token: [\s\S]*\nusage:\s/);
    }
  });
});

class AuditOnly1700000000000 implements MigrationInterface {
  name = 'AuditOnly1700000000000';
  async up(db: QueryRunner) {
    await auditTableUp(db);
  }
  async down() {}
}

const entry = (key: string): AuditEntry => ({
  principal: { role: 'municipality', subject: 'staff-1', jurisdictionCodes: ['131016'], organizationId: null },
  operation: 'OpenCase',
  action: 'create',
  entityType: 'Case',
  entityKey: key,
  outcome: 'allowed',
});

describe('npm run audit:verify', () => {
  let url: string;
  let empty: string;
  beforeAll(async () => {
    url = await createTestDatabase('audit_cli');
    empty = await createTestDatabase('audit_cli_empty');
    const db = createDataSource({ url, entities: [], migrations: [AuditOnly1700000000000], applicationName: 'audit-cli-test' });
    await db.initialize();
    await db.runMigrations();
    await db.transaction((m) =>
      recordAudits(
        m,
        Array.from({ length: 30 }, (_, i) => entry(`c${i}`)),
      ),
    );
    await db.destroy();
  });
  afterAll(async () => {
    await dropTestDatabase(url);
    await dropTestDatabase(empty);
  });

  it('verifies an intact chain (exit 0), then names the first altered record (exit 1)', async () => {
    const ok = await run('audit-verify', ['directory'], { DIRECTORY_DATABASE_URL: url });
    expect(ok.stdout).toMatch(/directory \(nimo_test_audit_cli_\w+\): OK, 30 records checked/);
    expect(ok.code).toBe(0);

    // A superuser can get past the append-only trigger; the chain still shows it.
    const db = createDataSource({ url, entities: [], migrations: [], applicationName: 'audit-cli-test' });
    await db.initialize();
    const [row] = await db.query<{ seq: string }[]>('SELECT seq FROM audit_log ORDER BY seq OFFSET 11 LIMIT 1');
    await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await db.query("UPDATE audit_log SET outcome = 'denied' WHERE seq = $1", [row?.seq]);
    await db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    await db.destroy();

    const broken = await run('audit-verify', ['directory'], { DIRECTORY_DATABASE_URL: url });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(new RegExp(`BROKEN at record seq ${row?.seq} \\(12 records checked\\): its hash or its link`));
    // --all: every subgraph of the registry on this server; the broken chain decides the exit code.
    const all = await run('audit-verify', ['--all'], { DATABASE_URL: testServerUrl(), DIRECTORY_DATABASE_URL: url });
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/directory .*BROKEN/);
  });

  it('finds records deleted from the end against the signed checkpoints kept in another database (exit 1)', async () => {
    const chain = await createTestDatabase('audit_cli_trunc');
    const checkpoints = await createTestDatabase('audit_cli_checkpoints');
    const db = createDataSource({ url: chain, entities: [], migrations: [AuditOnly1700000000000], applicationName: 'audit-cli-test' });
    await db.initialize();
    try {
      await db.runMigrations();
      await db.transaction((m) =>
        recordAudits(
          m,
          Array.from({ length: 10 }, (_, i) => entry(`t${i}`)),
        ),
      );
      const store = await AuditCheckpointStore.open(checkpoints);
      const written = await store.checkpoint('directory', db.manager);
      await store.close();
      const env = { DIRECTORY_DATABASE_URL: chain, AUDIT_CHECKPOINT_DATABASE_URL: checkpoints };
      const ok = await run('audit-verify', ['directory'], env);
      expect(ok.stdout).toMatch(new RegExp(`OK, 10 records checked, anchored by 1 signed checkpoint\\(s\\) up to seq ${written?.seq}`));
      expect(ok.code).toBe(0);
      // The newest three records go; the rest of the chain is intact, so only the checkpoint can tell.
      await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
      await db.query('DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)');
      await db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
      const truncated = await run('audit-verify', ['directory'], env);
      expect(truncated.code).toBe(1);
      expect(truncated.stdout).toMatch(new RegExp(`BROKEN at record seq ${written?.seq} .*deleted from the end`));
    } finally {
      await db.destroy();
      await dropTestDatabase(chain);
      await dropTestDatabase(checkpoints);
    }
  });

  it('says when there is nothing to verify, and refuses unknown subgraphs', async () => {
    const none = await run('audit-verify', ['directory'], { DIRECTORY_DATABASE_URL: empty });
    expect(none.stdout).toMatch(/no audit_log table, nothing to verify/);
    expect(none.code).toBe(2);
    const missing = await run('audit-verify', ['directory'], { DIRECTORY_DATABASE_URL: `${empty}_absent` });
    expect(missing.stdout).toMatch(/the database does not exist/);
    const unknown = await run('audit-verify', ['nosuch'], { DIRECTORY_DATABASE_URL: url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown subgraph/);
    expect((await run('audit-verify', [], { DIRECTORY_DATABASE_URL: url })).code).toBe(2);
  });
});
