import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource } from '../src/database/datasource';
import { createHash } from 'node:crypto';
import {
  auditKeyring,
  auditTableUp,
  clientOperationName,
  parseAuditKeys,
  recordAudit,
  recordAudits,
  verifyAuditChain,
  type AuditEntry,
} from '../src/database/audit';
import { AuditCheckpointStore } from '../src/database/audit-checkpoint';
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
    const rows = await source.query<{ entity_key: string }[]>('SELECT entity_key FROM audit_log ORDER BY seq');
    expect(rows).toEqual([{ entity_key: '1' }]);
  });

  it('refuses to record outside a transaction', async () => {
    await expect(recordAudit(source.manager, entry('x'))).rejects.toThrow(/inside the transaction/);
  });

  it('keeps one unforked chain under concurrent appends, and verifies it', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => source.transaction((m) => recordAudit(m, entry(`c${i}`)))));
    expect(await verifyAuditChain(source.manager)).toMatchObject({ records: 21, ok: true, brokenAt: null, legacyRecords: 0 });
  });

  it('appends many records in one call as one chain (more than one statement of rows)', async () => {
    const before = await verifyAuditChain(source.manager);
    await source.transaction((m) =>
      recordAudits(
        m,
        Array.from({ length: 2500 }, (_, i) => entry(`bulk${i}`, 'read')),
      ),
    );
    expect(await verifyAuditChain(source.manager)).toMatchObject({ records: before.records + 2500, ok: true, brokenAt: null });
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
    const seq = (await source.query<{ seq: string }[]>('SELECT seq FROM audit_log ORDER BY seq OFFSET 3 LIMIT 1'))[0]?.seq;
    await source.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await source.query("UPDATE audit_log SET outcome = 'denied' WHERE seq = $1", [seq]);
    await source.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    const report = await verifyAuditChain(source.manager);
    expect(report).toMatchObject({ records: 4, ok: false, brokenAt: seq, problem: 'altered' });
  });
});

/** A superuser's SQL, past the append-only trigger. */
async function asSuperuser(db: { query(sql: string, params?: unknown[]): Promise<unknown> }, sql: string, params: unknown[] = []): Promise<void> {
  await db.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
  try {
    await db.query(sql, params);
  } finally {
    await db.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
  }
}

/** What an attacker without the key can do: recompute every later hash as a plain SHA-256 chain. */
async function rechainWithoutKey(db: { query(sql: string, params?: unknown[]): Promise<unknown> }, fromSeq: string): Promise<void> {
  type R = {
    seq: string;
    at: Date;
    principal_role: string;
    principal_subject: string;
    organization_id: string | null;
    jurisdiction_codes: string[];
    operation: string | null;
    action: string;
    entity_type: string;
    entity_key: string;
    outcome: string;
    prev_hash: string;
    hash: string;
  };
  const rows = (await db.query('SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq', [fromSeq])) as R[];
  let prev = rows[0]?.prev_hash ?? '';
  for (const r of rows) {
    const content = JSON.stringify([
      prev,
      r.at.toISOString(),
      r.principal_role,
      r.principal_subject,
      r.organization_id,
      r.jurisdiction_codes,
      r.operation,
      r.action,
      r.entity_type,
      r.entity_key,
      r.outcome,
    ]);
    const hash = createHash('sha256').update(content).digest('hex');
    await asSuperuser(db, 'UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE seq = $1', [r.seq, prev, hash]);
    prev = hash;
  }
}

describe('audit chain keyed with HMAC, anchored by signed checkpoints (issue 13)', () => {
  let chainUrl: string;
  let checkpointUrl: string;
  let chain: ReturnType<typeof db>;
  let store: AuditCheckpointStore;
  const savedKeys = process.env.AUDIT_HMAC_KEYS;
  beforeAll(async () => {
    chainUrl = await createTestDatabase('audit_keyed');
    checkpointUrl = await createTestDatabase('audit_checkpoints');
    chain = createDataSource({ url: chainUrl, entities: [], migrations: [AuditTest1700000000000], applicationName: 'audit-test' });
    await chain.initialize();
    await chain.runMigrations();
    store = await AuditCheckpointStore.open(checkpointUrl);
  });
  afterAll(async () => {
    process.env.AUDIT_HMAC_KEYS = savedKeys;
    await store.close();
    await chain.destroy();
    await dropTestDatabase(chainUrl);
    await dropTestDatabase(checkpointUrl);
  });
  const verify = async () => verifyAuditChain(chain.manager, { checkpoints: { subgraph: 'test', list: await store.list('test') } });
  const append = (n: number, tag: string) =>
    chain.transaction((m) =>
      recordAudits(
        m,
        Array.from({ length: n }, (_, i) => entry(`${tag}${i}`)),
      ),
    );
  const seqs = async () => (await chain.query<{ seq: string }[]>('SELECT seq FROM audit_log ORDER BY seq')).map((r) => r.seq);

  it('signs each record with the current key (hmac:<key id>:…), verified only with that key', async () => {
    await append(10, 'a');
    const [row] = await chain.query<{ hash: string }[]>('SELECT hash FROM audit_log ORDER BY seq LIMIT 1');
    expect(row?.hash).toMatch(new RegExp(`^hmac:${auditKeyring().current.id}:[0-9a-f]{64}$`));
    expect(await verify()).toMatchObject({ ok: true, records: 10 });
    const otherKey = parseAuditKeys(`test:${'y'.repeat(40)}`);
    expect(await verifyAuditChain(chain.manager, { keyring: otherKey })).toMatchObject({ ok: false, problem: 'altered' });
  });

  it('rotates keys: records under the old key keep verifying while it stays in the list', async () => {
    const old = auditKeyring();
    const oldEntry = `${old.current.id}:${old.current.secret.toString('utf8')}`;
    // Rotation: the new key first, the old one kept to verify (restored after this describe).
    process.env.AUDIT_HMAC_KEYS = `next:${'n'.repeat(40)},${oldEntry}`;
    await append(3, 'rotated');
    const [row] = await chain.query<{ hash: string }[]>('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    expect(row?.hash).toMatch(/^hmac:next:/);
    expect(await verify()).toMatchObject({ ok: true, records: 13 });
    // Without the old key, its records are signed with a key the verifier does not know.
    expect(await verifyAuditChain(chain.manager, { keyring: parseAuditKeys(`next:${'n'.repeat(40)}`) })).toMatchObject({ ok: false, problem: 'unknown-key' });
    // A checkpoint under the new key; the next test starts from here.
    expect(await store.checkpoint('test', chain.manager)).toMatchObject({ seq: (await seqs()).at(-1) });
  });

  it('detects a record edited and the later hashes recomputed without the key (which passed before)', async () => {
    const [, , target] = await seqs();
    await asSuperuser(chain, "UPDATE audit_log SET outcome = 'denied' WHERE seq = $1", [target]);
    await rechainWithoutKey(chain, target ?? '');
    expect(await verify()).toMatchObject({ ok: false, brokenAt: target, problem: 'downgraded' });
  });
});

describe('truncation and rewriting against the checkpoints (issue 13)', () => {
  let chainUrl: string;
  let checkpointUrl: string;
  let chain: ReturnType<typeof db>;
  let store: AuditCheckpointStore;
  beforeEach(async () => {
    chainUrl = await createTestDatabase('audit_trunc');
    checkpointUrl = await createTestDatabase('audit_trunc_cp');
    chain = createDataSource({ url: chainUrl, entities: [], migrations: [AuditTest1700000000000], applicationName: 'audit-test' });
    await chain.initialize();
    await chain.runMigrations();
    store = await AuditCheckpointStore.open(checkpointUrl);
    await chain.transaction((m) =>
      recordAudits(
        m,
        Array.from({ length: 8 }, (_, i) => entry(`x${i}`)),
      ),
    );
    await store.checkpoint('test', chain.manager);
    await chain.transaction((m) =>
      recordAudits(
        m,
        Array.from({ length: 4 }, (_, i) => entry(`y${i}`)),
      ),
    );
    await store.checkpoint('test', chain.manager);
  });
  afterEach(async () => {
    await store.close();
    await chain.destroy();
    await dropTestDatabase(chainUrl);
    await dropTestDatabase(checkpointUrl);
  });
  const verify = async () => verifyAuditChain(chain.manager, { checkpoints: { subgraph: 'test', list: await store.list('test') } });

  it('passes an intact chain, and writes no checkpoint when the head has not moved', async () => {
    expect(await verify()).toMatchObject({ ok: true, records: 12, checkpoints: 2 });
    expect(await store.checkpoint('test', chain.manager)).toBeNull();
  });

  it('detects the newest records deleted (the rest of the chain still links)', async () => {
    const last = (await store.list('test')).at(-1)?.seq;
    await asSuperuser(chain, 'DELETE FROM audit_log WHERE seq > $1', [String(Number(last) - 2)]);
    expect(await verifyAuditChain(chain.manager)).toMatchObject({ ok: true });
    expect(await verify()).toMatchObject({ ok: false, problem: 'truncated', brokenAt: last });
  });

  it('detects a chain rebuilt from a record on by somebody who holds the key', async () => {
    // Even with the key (an insider at the application), the checkpoint outside pins the old head.
    const first = (await store.list('test'))[0]?.seq ?? '';
    await asSuperuser(chain, "UPDATE audit_log SET outcome = 'denied' WHERE seq = $1", [String(Number(first) - 3)]);
    const rows = await chain.query<{ seq: string }[]>('SELECT seq FROM audit_log WHERE seq >= $1 ORDER BY seq', [String(Number(first) - 3)]);
    // Re-append the same entries under the key from the edited record on: a consistent keyed chain.
    await asSuperuser(chain, 'DELETE FROM audit_log WHERE seq >= $1', [rows[0]?.seq]);
    await chain.transaction((m) =>
      recordAudits(
        m,
        rows.map((_, i) => entry(`rebuilt${i}`)),
      ),
    );
    expect(await verifyAuditChain(chain.manager)).toMatchObject({ ok: true });
    expect(await verify()).toMatchObject({ ok: false, problem: 'rewritten' });
  });

  it('refuses a forged or edited checkpoint', async () => {
    const list = await store.list('test');
    const [firstCheckpoint] = list;
    const forged = list.map((c) => (c === firstCheckpoint ? { ...c, seq: String(Number(c.seq) + 1) } : c));
    expect(await verifyAuditChain(chain.manager, { checkpoints: { subgraph: 'test', list: forged } })).toMatchObject({ ok: false, problem: 'bad-checkpoint' });
    expect(await verifyAuditChain(chain.manager, { checkpoints: { subgraph: 'another', list } })).toMatchObject({ ok: false, problem: 'bad-checkpoint' });
  });

  it('keeps the checkpoint store append-only', async () => {
    const direct = createDataSource({ url: checkpointUrl, entities: [], migrations: [], applicationName: 'audit-test' });
    await direct.initialize();
    try {
      await expect(direct.query('DELETE FROM audit_checkpoint')).rejects.toThrow(/append-only/);
    } finally {
      await direct.destroy();
    }
  });
});
