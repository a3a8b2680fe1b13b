import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Principal } from '../src/auth/principal';
import { forbidden } from '../src/auth/policy';
import { auditTableUp } from '../src/database/audit';
import { createDataSource } from '../src/database/datasource';
import { idempotencyTableUp } from '../src/database/idempotency';
import { checkVersion, lockRow, mutate, type MutationSpec } from '../src/database/mutation';
import { countStatements, type StatementCounter } from '../src/database/sql-counter';
import { badUserInput } from '../src/graphql/errors';
import { createTestDatabase, dropTestDatabase } from '../src/testing';

class MutationTest1700000000000 implements MigrationInterface {
  name = 'MutationTest1700000000000';
  async up(db: QueryRunner) {
    await idempotencyTableUp(db);
    await auditTableUp(db);
    await db.query('CREATE TABLE note (id text PRIMARY KEY, owner text NOT NULL, body text NOT NULL, version int NOT NULL DEFAULT 1)');
  }
  async down() {}
}

const alice: Principal = { role: 'municipality', subject: 'alice', jurisdictionCodes: ['131016'], organizationId: null };
const bob: Principal = { ...alice, subject: 'bob', jurisdictionCodes: ['131130'] };
const anonymous: Principal = { role: 'public', subject: '', jurisdictionCodes: [], organizationId: null };
const info = { operation: { name: { value: 'Edit__notes__0' } } } as never;

let url: string;
let db: ReturnType<typeof createDataSource>;
beforeAll(async () => {
  url = await createTestDatabase('mutation');
  db = createDataSource({ url, entities: [], migrations: [MutationTest1700000000000], applicationName: 'mutation-test' });
  await db.initialize();
  await db.runMigrations();
  await db.query("INSERT INTO note (id, owner, body) VALUES ('n1', '131016', 'first'), ('n2', '131016', 'second'), ('n3', '131016', 'third')");
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

interface NoteRow {
  id: string;
  owner: string;
  body: string;
  version: number;
}

/** An edit of a note: the owner's jurisdiction only, at the version read. */
const edit = (principal: Principal, id: string, body: string, expectedVersion: number, key: string | null = null) =>
  mutate({ db, principal }, info, {
    action: 'editNote',
    entityType: 'Note',
    input: { id, body, expectedVersion },
    idempotencyKey: key,
    refusedKey: id,
    validate: () => {
      if (body.trim() === '') throw badUserInput('body must not be empty.');
      return { id, body: body.trim() };
    },
    authorize: (p) => {
      if (p.jurisdictionCodes.length === 0) throw forbidden('You may not edit notes.');
    },
    lock: {
      what: 'note',
      row: (m, v) => lockRow<NoteRow>(m, { sql: 'SELECT id, owner, body, version FROM note WHERE id = $1', params: [v.id] }, 'note', v.id),
      authorize: (p, row) => {
        if (!p.jurisdictionCodes.includes(row.owner)) throw forbidden('You may not edit this note.');
      },
      expectedVersion,
    },
    write: async (m, v, row) => {
      await m.query('UPDATE note SET body = $2, version = version + 1 WHERE id = $1', [row.id, v.body]);
      return { id: row.id, version: row.version + 1 };
    },
    audit: (result) => [{ entityType: 'Note', entityKey: result.id }],
  } satisfies MutationSpec<{ id: string; body: string }, { id: string; version: number }, NoteRow>);

const trail = async (key: string) =>
  (
    await db.query<Record<string, string>[]>('SELECT action, outcome, principal_subject, operation FROM audit_log WHERE entity_key = $1 ORDER BY seq', [key])
  ).map((r) => `${r.action}/${r.outcome}/${r.principal_subject}/${r.operation}`);

describe('the mutation pipeline', () => {
  it('writes, bumps the version and audits the change in one transaction', async () => {
    await expect(edit(alice, 'n1', 'changed', 1)).resolves.toEqual({ id: 'n1', version: 2 });
    expect(await db.query("SELECT body, version FROM note WHERE id = 'n1'")).toEqual([{ body: 'changed', version: 2 }]);
    expect(await trail('n1')).toEqual(['editNote/allowed/alice/Edit']);
  });

  it('refuses a stale version with the one CONFLICT shape (what changed, the current version) and changes nothing', async () => {
    await expect(edit(alice, 'n1', 'stale', 1)).rejects.toMatchObject({ extensions: { code: 'CONFLICT', currentVersion: 2 } });
    await expect(edit(alice, 'n1', 'stale', 1)).rejects.toThrow(/at version 2, you sent 1/);
    expect(await db.query("SELECT body FROM note WHERE id = 'n1'")).toEqual([{ body: 'changed' }]);
    expect(await trail('n1')).toEqual(['editNote/allowed/alice/Edit']);
  });

  it('validates before anything else: bad input is refused even for someone who may not write, and is not audited', async () => {
    await expect(edit(anonymous, 'n2', ' ', 1)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(await trail('n2')).toEqual([]);
  });

  it('audits a refusal on the row (denied, in its own transaction) and changes nothing; anonymous refusals are not recorded', async () => {
    await expect(edit(bob, 'n2', 'not yours', 1)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(edit(anonymous, 'n2', 'nobody', 1)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await db.query("SELECT body, version FROM note WHERE id = 'n2'")).toEqual([{ body: 'second', version: 1 }]);
    expect(await trail('n2')).toEqual(['editNote/denied/bob/Edit']);
  });

  it('answers a missing row with NOT_FOUND', async () => {
    await expect(edit(alice, 'nope', 'x', 1)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('replays a retried write with its first result, writing nothing twice, and audits the replay', async () => {
    const first = await edit(alice, 'n3', 'once', 1, 'key-mutation-0001');
    const again = await edit(alice, 'n3', 'once', 1, 'key-mutation-0001');
    expect(again).toEqual(first);
    expect(await db.query("SELECT version FROM note WHERE id = 'n3'")).toEqual([{ version: 2 }]);
    expect(await trail('n3')).toEqual(['editNote/allowed/alice/Edit', 'editNote:replayed/allowed/alice/Edit']);
  });

  it('takes the audit chain’s lock last, right before the commit, on a write and on its replay', async () => {
    const statementsOf = async (write: () => Promise<unknown>) => {
      const counter: StatementCounter = { count: 0, statements: [] };
      await countStatements(counter, write);
      return (counter.statements ?? []).map((st) => st.sql.trim().split(/\s+/).slice(0, 3).join(' '));
    };
    for (const sql of [
      await statementsOf(() => edit(alice, 'n1', 'locked late', 2, 'key-mutation-0002')),
      await statementsOf(() => edit(alice, 'n1', 'locked late', 2, 'key-mutation-0002')),
    ]) {
      // Before the lock: the idempotency record (and, on a first write, the write itself).
      expect(sql.slice(0, -4).some((st) => st.startsWith('SELECT operation, request_hash'))).toBe(true);
      expect(sql.slice(-4)).toEqual(['LOCK TABLE audit_log', 'SELECT hash, clock_timestamp()', 'INSERT INTO audit_log', 'COMMIT']);
    }
  });
});

describe('checkVersion', () => {
  it('checks a number, "none yet" (null) and nothing (undefined)', () => {
    expect(() => checkVersion('note', { version: 3 }, 3)).not.toThrow();
    expect(() => checkVersion('note', { version: 3 }, undefined)).not.toThrow();
    expect(() => checkVersion('note', null, null)).not.toThrow();
    const thrown = (check: () => void): unknown => {
      try {
        check();
      } catch (error) {
        return error;
      }
      throw new Error('nothing was thrown');
    };
    expect(thrown(() => checkVersion('note', { version: 3 }, null))).toMatchObject({ extensions: { code: 'CONFLICT', currentVersion: 3 } });
    expect(thrown(() => checkVersion('note', null, 2))).toMatchObject({ extensions: { code: 'CONFLICT', currentVersion: null } });
  });
});
