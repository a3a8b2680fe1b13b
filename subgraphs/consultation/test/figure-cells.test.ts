import { randomUUID } from 'node:crypto';
import { createLogger, openDatabase, type FiscalYear } from '@nimo/kit';
import { createTestDatabase, dropTestDatabase } from '@nimo/kit/testing';
import type { DataSource } from 'typeorm';
import { subgraph } from '../src';
import { computeFigures, NATION, SCAN_SQL } from '../src/figures';

// figure_cell, kept by the writing statements' triggers, must always hold what a scan of the cases,
// contacts and referrals counts: after inserts one by one and in bulk, updates that move a row between
// cells (status, needs, first contact, the opening day across a fiscal year's end, the municipality),
// deletes, and a TRUNCATE; and the migration fills it from rows that were there before it.

let url: string;
let db: DataSource;
beforeAll(async () => {
  url = await createTestDatabase('figure_cells');
  db = await openDatabase(subgraph, url, { logger: createLogger('test') });
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

const YEARS = [2023, 2024, 2025, 2026];
const CODES = ['131016', '131130', '011002', '312011'];

/** Every cell as a scan counts it and as figure_cell holds it, for each year: `cat|m|metric → n`. */
async function both(): Promise<{ scan: Record<string, number>; cells: Record<string, number> }> {
  const scan: Record<string, number> = {};
  const cells: Record<string, number> = {};
  for (const year of YEARS) {
    for (const r of await db.query<{ m: string; metric: string; cat: string; n: string }[]>(SCAN_SQL, [`${year}-04-01`, `${year + 1}-03-31`])) {
      scan[`${year}|${r.m}|${r.metric}|${r.cat}`] = Number(r.n);
    }
    for (const r of await db.query<{ m: string; metric: string; cat: string; n: string }[]>(
      'SELECT municipality_code AS m, metric, cat, n FROM figure_cell WHERE fiscal_year = $1 AND n <> 0',
      [year],
    )) {
      cells[`${year}|${r.m}|${r.metric}|${r.cat}`] = Number(r.n);
    }
  }
  return { scan, cells };
}

async function expectSame(): Promise<void> {
  const { scan, cells } = await both();
  expect(Object.keys(scan).length).toBeGreaterThan(0);
  expect(cells).toEqual(scan);
}

const day = (year: number, n: number) => new Date(Date.UTC(year, 3, 1) + n * 86_400_000).toISOString().slice(0, 10);

async function addCase(code: string, openedOn: string, options: { needs?: string[]; firstContactOn?: string | null; status?: string } = {}): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO consultation_case (id, municipality_code, desk_organization_id, client_reference, age_band, sex, needs, status, opened_on, first_contact_on)
     VALUES ($1, $2, $3, 'C-1', 'UNKNOWN', 'UNKNOWN', $4, $5, $6, $7)`,
    [id, code, randomUUID(), options.needs ?? ['MENTAL_HEALTH'], options.status ?? 'OPEN', openedOn, options.firstContactOn ?? null],
  );
  return id;
}

async function addReferral(
  caseId: string,
  code: string,
  requestedOn: string,
  status: string,
  respondedOn: string | null,
  endedOn: string | null,
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO referral (id, case_id, municipality_code, target, to_organization_id, status, reason_key_id, reason_ciphertext, requested_on, responded_on, ended_on)
     VALUES ($1, $2, $3, 'MENTAL_HEALTH_WELFARE_CENTRE', $4, $5, 'k', '\\x00', $6, $7, $8)`,
    [id, caseId, code, randomUUID(), status, requestedOn, respondedOn, endedOn],
  );
  return id;
}

it('holds what a scan counts, through inserts, moves between cells, deletes and a bulk load', async () => {
  const cases: string[] = [];
  for (let i = 0; i < 24; i++) {
    const code = CODES[i % CODES.length] ?? '131016';
    const opened = day(YEARS[i % 3] ?? 2024, (i * 37) % 365);
    const id = await addCase(code, opened, {
      needs: i % 2 ? ['MENTAL_HEALTH', 'EMPLOYMENT'] : ['HOUSING'],
      firstContactOn: i % 4 ? day(YEARS[i % 3] ?? 2024, ((i * 37) % 365) + (i % 9)) : null,
    });
    cases.push(id);
    await db.query(`INSERT INTO case_contact (id, case_id, municipality_code, contacted_on, channel, staff_reference) VALUES ($1, $2, $3, $4, $5, 's')`, [
      randomUUID(),
      id,
      code,
      opened,
      i % 3 ? 'PHONE' : 'VISIT',
    ]);
    if (i % 3 === 0) await addReferral(id, code, opened, i % 2 ? 'COMPLETED' : 'REQUESTED', i % 2 ? day(2025, 10) : null, i % 2 ? day(2025, 40) : null);
  }
  await expectSame();

  // Bulk: many rows in one statement (as the demo seed loads them).
  await db.query(
    `INSERT INTO consultation_case (id, municipality_code, desk_organization_id, client_reference, age_band, sex, needs, status, opened_on, first_contact_on)
     SELECT gen_random_uuid(), (ARRAY['131016','011002'])[1 + g % 2], gen_random_uuid(), 'B', 'UNKNOWN', 'UNKNOWN', ARRAY['MENTAL_HEALTH','OTHER'], 'OPEN',
            date '2024-04-01' + g, date '2024-04-01' + g + g % 5 FROM generate_series(0, 499) AS g`,
  );
  await expectSame();

  // Moves between cells, one statement each and several rows at once.
  const [a, b, c, d] = cases;
  await db.query("UPDATE consultation_case SET status = 'REFERRED', version = version + 1 WHERE id = $1", [a]);
  await db.query("UPDATE consultation_case SET needs = ARRAY['EMPLOYMENT','HOUSING','OTHER'] WHERE id = $1", [b]);
  await db.query('UPDATE consultation_case SET first_contact_on = opened_on + 3 WHERE first_contact_on IS NULL AND id = ANY($1)', [cases]);
  await db.query("UPDATE consultation_case SET opened_on = date '2025-03-31' + 1 WHERE id = $1", [c]); // into the next fiscal year
  await db.query("UPDATE consultation_case SET municipality_code = '312011' WHERE id = $1", [d]);
  await db.query("UPDATE consultation_case SET version = version + 1 WHERE municipality_code = '131016'"); // changes no cell
  await db.query("UPDATE referral SET status = 'COMPLETED', responded_on = requested_on + 2, ended_on = requested_on + 9 WHERE status = 'REQUESTED'");
  await db.query("UPDATE case_contact SET channel = 'ONLINE', contacted_on = contacted_on + 200 WHERE channel = 'VISIT'");
  await expectSame();

  await db.query("DELETE FROM case_contact WHERE channel = 'PHONE' AND municipality_code = '011002'");
  await db.query('DELETE FROM referral WHERE case_id = $1', [a]);
  await expectSame();

  // What the figures then say equals what a scan says: every count (nothing hidden), and what is
  // hidden and shown under the threshold and protection of production.
  const year = 2024 as FiscalYear;
  for (const [threshold, protection] of [
    [1, 1],
    [10, 5],
  ] as const) {
    const [fromCells, fromScan] = [
      await computeFigures(db, year, threshold, protection, 'cells'),
      await computeFigures(db, year, threshold, protection, 'scan'),
    ];
    for (const unit of [NATION, '130001', ...CODES]) {
      for (const metric of ['opened', 'contacts', 'referralsMade', 'referralsCompleted'] as const)
        expect(fromCells.count(unit, metric)).toBe(fromScan.count(unit, metric));
      expect(fromCells.median(unit, 'firstContact')).toEqual(fromScan.median(unit, 'firstContact'));
    }
    if (threshold === 1) expect(fromCells.count(NATION, 'opened')).toBeGreaterThan(250);
  }
});

it('is filled from the rows already there when the migration runs, and emptied by TRUNCATE', async () => {
  await db.undoLastMigration({ transaction: 'each' });
  await addCase('131016', '2024-05-01', { firstContactOn: '2024-05-03' });
  await db.runMigrations({ transaction: 'each' });
  await expectSame();
  await db.query('TRUNCATE case_contact, referral, consultation_case');
  expect(await db.query('SELECT count(*)::int AS n FROM figure_cell')).toEqual([{ n: 0 }]);
});
