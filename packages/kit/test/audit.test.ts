import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource } from '../src/database/datasource';
import { auditTableUp, clientOperationName, recordAudit, recordAudits, verifyAuditChain, type AuditEntry } from '../src/database/audit';
import { createTestDatabase, dropTestDatabase } from '../src/testing';

class AuditTest1700000000000 implements MigrationInterface {
  name = 'AuditTest1700000000000';
  async up(db: QueryRunner) {
    await auditTableUp(db);
    await db.query('CREATE TABLE note (id int PRIMARY KEY, text text NOT NULL)');
  }
  async down() {}
}

const entry = (key: string, outcome = 'allowed'): AuditEntry => ({
  principal: { role: 'municipality', subject: 'staff-1', jurisdictionCodes: ['131016'], organizationId: null },
  operation: 'OpenCase',
  action: 'create',
  entityType: 'Note',
  entityKey: key,
  outcome,
});

let url: string;
const db = () => createDataSource({ url, entities: [], migrations: [AuditTest1700000000000], applicationName: 'audit-test' });
let source: ReturnType<typeof db>;

beforeAll(async () => {
  url = await createTestDatabase('audit');
  source = db();
  await source.initialize();
  await source.runMigrations();
});
afterAll(async () => {
  await source.destroy();
  await dropTestDatabase(url);
});

describe('audit log', () => {
  it('commits a record with the write it records, and rolls back with it', async () => {
    await source.transaction(async (m) => {
      await m.query("INSERT INTO note VALUES (1, 'a')");
      await recordAudit(m, entry('1'));
    });
    await expect(
      source.transaction(async (m) => {
        await m.query("INSERT INTO note VALUES (2, 'b')");
        await recordAudit(m, entry('2'));
        throw new Error('the write fails');
      }),
    ).rejects.toThrow('the write fails');
    const rows = await source.query('SELECT entity_key FROM audit_log ORDER BY seq');
    expect(rows).toEqual([{ entity_key: '1' }]);
  });

  it('refuses to record outside a transaction', async () => {
    await expect(recordAudit(source.manager, entry('x'))).rejects.toThrow(/inside the transaction/);
  });

  it('keeps one unforked chain under concurrent appends, and verifies it', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => source.transaction((m) => recordAudit(m, entry(`c${i}`)))));
    expect(await verifyAuditChain(source.manager)).toEqual({ records: 21, ok: true, brokenAt: null });
  });

  it('appends many records in one call as one chain (more than one statement of rows)', async () => {
    const before = await verifyAuditChain(source.manager);
    await source.transaction((m) => recordAudits(m, Array.from({ length: 2500 }, (_, i) => entry(`bulk${i}`, 'read'))));
    expect(await verifyAuditChain(source.manager)).toEqual({ records: before.records + 2500, ok: true, brokenAt: null });
  });

  it('names the client operation, not the gateway-made subgraph operation', () => {
    const op = (value?: string) => ({ operation: { name: value === undefined ? undefined : { value } } });
    expect(clientOperationName(op('CaseList__consultation__0'))).toBe('CaseList');
    expect(clientOperationName(op('Overview__adviser_support__12'))).toBe('Overview');
    expect(clientOperationName(op('Plain'))).toBe('Plain');
    expect(clientOperationName(op())).toBeNull();
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await expect(source.query("UPDATE audit_log SET outcome = 'denied'")).rejects.toThrow(/append-only/);
    await expect(source.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(source.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('detects tampering that bypassed the trigger (a superuser edit)', async () => {
    const seq = ((await source.query('SELECT seq FROM audit_log ORDER BY seq OFFSET 3 LIMIT 1')) as { seq: string }[])[0]?.seq;
    await source.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await source.query("UPDATE audit_log SET outcome = 'denied' WHERE seq = $1", [seq]);
    await source.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    const report = await verifyAuditChain(source.manager);
    expect(report).toEqual({ records: 4, ok: false, brokenAt: seq });
  });
});
