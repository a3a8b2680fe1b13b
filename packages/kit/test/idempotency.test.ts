import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource } from '../src/database/datasource';
import { idempotencyTableUp, transactionally } from '../src/database/idempotency';
import type { Principal } from '../src/auth/principal';
import { createTestDatabase, dropTestDatabase } from '../src/testing';

class IdempotencyTest1700000000000 implements MigrationInterface {
  name = 'IdempotencyTest1700000000000';
  async up(db: QueryRunner) {
    await idempotencyTableUp(db);
    await db.query('CREATE TABLE thing (id serial PRIMARY KEY, label text NOT NULL)');
  }
  async down() {}
}

const alice: Principal = { role: 'municipality', subject: 'alice', jurisdictionCodes: ['131016'], organizationId: null };
const bob: Principal = { ...alice, subject: 'bob' };

let url: string;
let db: ReturnType<typeof createDataSource>;
beforeAll(async () => {
  url = await createTestDatabase('idem');
  db = createDataSource({ url, entities: [], migrations: [IdempotencyTest1700000000000], applicationName: 'idem-test', poolSize: 12 });
  await db.initialize();
  await db.runMigrations();
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

const create = (principal: Principal, key: string | null, label: string) =>
  transactionally(db, { principal, key, operation: 'createThing', input: { label } }, async (m) => {
    const [row] = await m.query<{ id: number }[]>('INSERT INTO thing (label) VALUES ($1) RETURNING id', [label]);
    return { id: row?.id };
  });
const count = async (label: string) => Number((await db.query<{ n: string }[]>('SELECT count(*) AS n FROM thing WHERE label = $1', [label]))[0]?.n);

describe('idempotent writes', () => {
  it('keeps no stored answer past its 24 hours: expired keys are removed as new ones are stored', async () => {
    await create(alice, 'key-old-1', 'old');
    await db.query("UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = 'key-old-1'");
    await create(alice, 'key-new-1', 'new');
    const keys = (await db.query<{ key: string }[]>("SELECT key FROM idempotency_key WHERE key IN ('key-old-1', 'key-new-1') ORDER BY key")).map((r) => r.key);
    expect(keys).toEqual(['key-new-1']);
  });

  it('creates once under many concurrent retries with one key: each gets the first answer or CONFLICT, never a second write', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => create(alice, 'key-concurrent-1', 'a')));
    const answers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : []));
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { extensions?: { code?: string } }).extensions?.code] : []));
    expect(new Set(answers).size).toBe(1);
    expect(new Set(refusals)).toEqual(new Set(refusals.length > 0 ? ['CONFLICT'] : []));
    expect(await count('a')).toBe(1);
    // A retry afterwards gets the stored answer.
    expect((await create(alice, 'key-concurrent-1', 'a')).id).toBe(answers[0]);
  });

  it('answers a request whose key is still in use by a running request with CONFLICT at once, not after the first ends (issue 13)', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = transactionally(db, { principal: alice, key: 'key-in-flight-1', operation: 'createThing', input: { label: 'slow' } }, async (m) => {
      const [row] = await m.query<{ id: number }[]>("INSERT INTO thing (label) VALUES ('slow') RETURNING id");
      started();
      await held;
      return { id: row?.id };
    });
    await running;
    const at = Date.now();
    await expect(create(alice, 'key-in-flight-1', 'slow')).rejects.toMatchObject({
      message: expect.stringMatching(/still running/) as unknown,
      extensions: { code: 'CONFLICT' },
    });
    expect(Date.now() - at).toBeLessThan(5000);
    release();
    const { id } = await first;
    expect((await create(alice, 'key-in-flight-1', 'slow')).id).toBe(id);
    expect(await count('slow')).toBe(1);
  });

  it('refuses a key reused for different input, and changes nothing', async () => {
    await create(alice, 'key-reuse-0001', 'b');
    await expect(create(alice, 'key-reuse-0001', 'c')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(await count('c')).toBe(0);
  });

  it('keeps keys per principal, and writes without a key every time', async () => {
    const [a, b] = [await create(alice, 'key-shared-0001', 'd'), await create(bob, 'key-shared-0001', 'd')];
    expect(a.id).not.toBe(b.id);
    await create(alice, null, 'e');
    await create(alice, null, 'e');
    expect(await count('e')).toBe(2);
  });

  it('stores nothing when the work fails, so a retry does the work', async () => {
    await expect(
      transactionally(db, { principal: alice, key: 'key-fails-0001', operation: 'createThing', input: {} }, async (m) => {
        await m.query("INSERT INTO thing (label) VALUES ('f')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await count('f')).toBe(0);
    await create(alice, 'key-fails-0001', 'g');
    expect(await count('g')).toBe(1);
  });

  it('keeps keys per whole principal (same subject, another organisation: no replay), and tells the caller of a replay', async () => {
    const asOrgA: Principal = { ...alice, organizationId: '00000000-0000-4000-8000-00000000000a' };
    const asOrgB: Principal = { ...alice, organizationId: '00000000-0000-4000-8000-00000000000b' };
    const replays: string[] = [];
    const run = (principal: Principal) =>
      transactionally(
        db,
        {
          principal,
          key: 'key-org-scope-1',
          operation: 'createThing',
          input: { label: 'o' },
          onReplay: async () => void replays.push(principal.organizationId ?? ''),
        },
        async (m) => {
          const [row] = await m.query<{ id: number }[]>("INSERT INTO thing (label) VALUES ('o') RETURNING id");
          return { id: row?.id };
        },
      );
    const a1 = await run(asOrgA);
    const b1 = await run(asOrgB);
    const a2 = await run(asOrgA);
    expect(a2).toEqual(a1);
    expect(b1.id).not.toBe(a1.id);
    expect(replays).toEqual([asOrgA.organizationId]);
    expect(await count('o')).toBe(2);
  });

  it('refuses a malformed key with BAD_USER_INPUT', async () => {
    await expect(create(alice, 'short', 'h')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});
