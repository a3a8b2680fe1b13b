import { countStatements, type StatementCounter } from '@nimo/kit';
import { createTestDatabase, dropTestDatabase } from '@nimo/kit/testing';
import pg from 'pg';
import { needsOneConnection, replay, replayDifferences, writesIn, type Script } from '../src/replay';

// The floor's two halves: what the kit's driver-level counter captures of a request, and its replay
// from another pool, which must read the same rows, and must notice when it does not.
describe('the floor: captured statements replayed', () => {
  let url: string;
  let pool: pg.Pool;

  beforeAll(async () => {
    url = await createTestDatabase('bench_floor');
    pool = new pg.Pool({ connectionString: url, max: 3 });
    await pool.query('CREATE TABLE figure (unit text PRIMARY KEY, n int NOT NULL, day date)');
    await pool.query("INSERT INTO figure VALUES ('01', 12, '2024-04-01'), ('02', 0, NULL), ('13', 431, '2025-03-31')");
  });

  afterAll(async () => {
    await pool.end();
    await dropTestDatabase(url);
  });

  /** A request's statements: two side by side through the pool, then a transaction on one connection. */
  async function request(): Promise<StatementCounter> {
    const counter: StatementCounter = { count: 0, statements: [] };
    await countStatements(counter, async () => {
      await Promise.all([
        pool.query('SELECT unit, n FROM figure WHERE n >= $1 ORDER BY unit', [1]),
        pool.query({ text: 'SELECT count(*) AS c FROM figure WHERE unit = ANY($1::text[])', values: [['01', '13']] }),
      ]);
      const client = await pool.connect();
      try {
        await client.query('START TRANSACTION');
        await client.query('SELECT day FROM figure WHERE unit = $1', ['13']);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    });
    return counter;
  }

  it('captures every statement with its parameters and rows, and the replay reads the same rows', async () => {
    const counter = await request();
    const statements = counter.statements ?? [];
    expect(counter.count).toBe(5);
    expect(statements.map((s) => [s.sql.split(' ')[0], s.params, s.rows])).toEqual([
      ['SELECT', [1], 2],
      ['SELECT', [['01', '13']], 1],
      ['START', [], 0],
      ['SELECT', ['13'], 1],
      ['COMMIT', [], 0],
    ]);
    const script: Script = { figures: statements };
    expect(needsOneConnection(statements)).toBe(true);
    expect(writesIn(script)).toEqual([]);
    const audited = { sql: 'INSERT INTO audit_log (hash) VALUES ($1)', params: ['x'], rows: 0, digest: null };
    expect(writesIn({ figures: statements, audit: [audited] })).toEqual([audited]);
    const other = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const rows = await replay(new Map([['figures', other]]), script);
      expect(rows.figures?.[0]).toEqual([
        { unit: '01', n: 12 },
        { unit: '13', n: 431 },
      ]);
      expect(replayDifferences(script, rows)).toEqual([]);
      // Other data: the replay reads other rows, and says which statement.
      await pool.query("UPDATE figure SET n = 13 WHERE unit = '01'");
      const changed = replayDifferences(script, await replay(new Map([['figures', other]]), script));
      expect(changed).toHaveLength(1);
      expect(changed[0]).toMatch(/^figures #1 /);
      await expect(replay(new Map(), script)).rejects.toThrow('no database for figures');
    } finally {
      await other.end();
    }
  });
});
