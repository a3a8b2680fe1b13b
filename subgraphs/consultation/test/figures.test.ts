import { randomUUID } from 'node:crypto';
import { createLogger, nationalCodeList, openDatabase, PROTECTION_VALUES, type FiscalYear } from '@nimo/kit';
import { attackTable, createTestDatabase, dropTestDatabase } from '@nimo/kit/testing';
import type { DataSource } from 'typeorm';
import { subgraph } from '../src';
import { computeFigures, countFigures, FIGURE_COLUMNS, figureLayout, figuresFor, figuresTable, NATION, protectFigures, type Figures } from '../src/figures';
import { parseCells, type Metric } from '../src/figures-snapshot';

/**
 * The consultation figures on their own, against real PostgreSQL: a few hand-placed cases,
 * contacts and referrals in Tottori and Chiyoda, and what `computeFigures` makes of them (counts,
 * roll-ups, fiscal-year bounds, protection checked by an LP solver, medians) and how `figuresFor` serves
 * snapshots and computes the next one off the request path.
 */
const FY = 2024 as FiscalYear;
const THRESHOLD = 10;
const TOTTORI = '310000';
const CHIYODA = '131016';
const TOKYO = '130001';
const tottori = nationalCodeList()
  .municipalities.filter((m) => m.prefectureCode === TOTTORI)
  .map((m) => m.code);
// Three municipalities of Tottori: 30 cases, 12 cases, 3 cases (the last below the threshold).
const [BIG, MID, SMALL] = tottori as [string, string, string];

let url: string;
let db: DataSource;

async function addCase(municipality: string, openedOn: string, options: { status?: string; firstContactOn?: string; needs?: string[] } = {}): Promise<string> {
  const id = randomUUID();
  const status = options.status ?? 'OPEN';
  const closed = status === 'CLOSED';
  await db.query(
    `INSERT INTO consultation_case (id, municipality_code, desk_organization_id, client_reference, age_band, sex, needs, status, close_reason, opened_on, first_contact_on, closed_on)
     VALUES ($1, $2, $3, $4, 'UNKNOWN', 'UNKNOWN', $5, $6, $7, $8, $9, $10)`,
    [
      id,
      municipality,
      randomUUID(),
      `C-${id.slice(0, 8)}`,
      options.needs ?? ['MENTAL_HEALTH'],
      status,
      closed ? 'RESOLVED' : null,
      openedOn,
      options.firstContactOn ?? null,
      closed ? openedOn : null,
    ],
  );
  return id;
}

async function addContact(caseId: string, municipality: string, contactedOn: string, channel: string): Promise<void> {
  await db.query(`INSERT INTO case_contact (id, case_id, municipality_code, contacted_on, channel, staff_reference) VALUES ($1, $2, $3, $4, $5, 's-1')`, [
    randomUUID(),
    caseId,
    municipality,
    contactedOn,
    channel,
  ]);
}

async function addReferral(
  caseId: string,
  municipality: string,
  requestedOn: string,
  respondedOn: string | null,
  status: string,
  endedOn: string | null,
): Promise<void> {
  await db.query(
    `INSERT INTO referral (id, case_id, municipality_code, target, to_organization_id, status, reason_key_id, reason_ciphertext, requested_on, responded_on, ended_on)
     VALUES ($1, $2, $3, 'MENTAL_HEALTH_WELFARE_CENTRE', $4, $5, 'k', '\\x00', $6, $7, $8)`,
    [randomUUID(), caseId, municipality, randomUUID(), status, requestedOn, respondedOn, endedOn],
  );
}

const day = (start: string, plus: number): string => {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plus);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  url = await createTestDatabase('consultation_figures');
  db = await openDatabase(subgraph, url, { logger: createLogger('test') });
  // BIG: 20 open and 10 closed cases in FY2024 (the first and last day included), first contact
  // 0–4 days after opening; 12 phone and 11 e-mail contacts; 10 referrals answered after 1..10
  // days, all completed within the year.
  const big: string[] = [];
  for (let i = 0; i < 30; i += 1) {
    const openedOn = i === 0 ? '2024-04-01' : i === 1 ? '2025-03-31' : day('2024-05-01', i);
    big.push(
      await addCase(BIG, openedOn, {
        status: i < 20 ? 'OPEN' : 'CLOSED',
        firstContactOn: day(openedOn, i % 5),
        needs: i % 2 === 0 ? ['MENTAL_HEALTH', 'EMPLOYMENT'] : ['MENTAL_HEALTH'],
      }),
    );
  }
  for (let i = 0; i < 12; i += 1) await addContact(big[i] as string, BIG, day('2024-06-01', i), 'PHONE');
  for (let i = 0; i < 11; i += 1) await addContact(big[i] as string, BIG, day('2024-07-01', i), 'EMAIL');
  for (let i = 0; i < 10; i += 1) await addReferral(big[i] as string, BIG, '2024-08-01', day('2024-08-01', i + 1), 'COMPLETED', '2024-09-01');
  // Outside FY2024: the day before it starts and the day after it ends, with a contact and a referral.
  const before = await addCase(BIG, '2024-03-31');
  await addCase(BIG, '2025-04-01');
  await addContact(before, BIG, '2024-03-31', 'PHONE');
  await addReferral(before, BIG, '2024-03-31', '2024-04-02', 'COMPLETED', '2024-03-31');
  // MID: 12 open cases; SMALL: 3 open cases, each first contacted the next day.
  for (let i = 0; i < 12; i += 1) await addCase(MID, day('2024-10-01', i));
  for (let i = 0; i < 3; i += 1) await addCase(SMALL, day('2024-10-01', i), { firstContactOn: day('2024-10-01', i + 1) });
  // Chiyoda: 12 open and 3 referred cases.
  for (let i = 0; i < 15; i += 1) await addCase(CHIYODA, day('2024-11-01', i), { status: i < 12 ? 'OPEN' : 'REFERRED' });
  // A municipality code that is not on the national list counts nowhere.
  await addCase('999999', '2024-12-01');
}, 120_000);

afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

describe('parseCells', () => {
  it('reads the cells as PostgreSQL sends them, empty categories included, and refuses a line without four fields', async () => {
    const [{ cells }] = await db.query<[{ cells: string }]>(
      `SELECT string_agg(concat_ws(E'\\t', m, metric, cat, n), E'\\n') AS cells FROM (VALUES ('310000', 'opened', '', 3::bigint), ('310000', 'status', 'OPEN', 2)) c (m, metric, cat, n)`,
    );
    expect(parseCells(cells)).toEqual([
      ['310000', 'opened', '', '3'],
      ['310000', 'status', 'OPEN', '2'],
    ]);
    expect(parseCells('')).toEqual([]);
    // concat_ws drops a NULL: the line then has three fields, and the snapshot fails rather than shift them.
    const [{ dropped }] = await db.query<[{ dropped: string }]>(`SELECT concat_ws(E'\\t', '310000', 'opened', NULL, 3) AS dropped`);
    expect(() => parseCells(dropped)).toThrow(/line 1 has 3 fields, not 4/);
  });
});

describe('computeFigures', () => {
  it('counts each municipality within the fiscal year, first and last day included', async () => {
    // Threshold 1: nothing suppressed, every count as the database holds it.
    const f = await computeFigures(db, FY, 1);
    expect(f.count(BIG, 'opened')).toBe(30);
    expect([f.count(BIG, 'status', 'OPEN'), f.count(BIG, 'status', 'CLOSED'), f.count(BIG, 'status', 'REFERRED')]).toEqual([20, 10, 0]);
    expect([f.count(BIG, 'need', 'MENTAL_HEALTH'), f.count(BIG, 'need', 'EMPLOYMENT')]).toEqual([30, 15]);
    expect([f.count(BIG, 'contacts'), f.count(BIG, 'channel', 'PHONE'), f.count(BIG, 'channel', 'EMAIL')]).toEqual([23, 12, 11]);
    expect([f.count(BIG, 'referralsMade'), f.count(BIG, 'referralsCompleted')]).toEqual([10, 10]);
  });

  it('rolls municipalities up into their prefecture and the nation, ignoring codes not on the national list', async () => {
    const f = await computeFigures(db, FY, 1);
    expect(f.count(TOTTORI, 'opened')).toBe(30 + 12 + 3);
    expect(f.count(TOKYO, 'opened')).toBe(15);
    expect(f.count(NATION, 'opened')).toBe(30 + 12 + 3 + 15);
    expect(f.count(NATION, 'contacts')).toBe(23);
    expect([f.covers(BIG), f.covers(TOTTORI), f.covers(NATION), f.covers('999999'), f.covers('141011')]).toEqual([true, true, true, false, false]);
  });

  it('hides counts from 1 to 9 and enough others that an LP solver over everything published narrows no hidden count below PROTECTION_VALUES', async () => {
    const f = await computeFigures(db, FY, THRESHOLD);
    const counts = await countFigures(db, FY);
    const hidden = protectFigures(counts.values, THRESHOLD, PROTECTION_VALUES);
    // What the figures publish is exactly the protection's pattern over the same counts.
    for (const id of counts.values.keys()) {
      const [unit = '', metric = '', category = ''] = id.split('|');
      expect([id, f.count(unit, metric as 'opened', category)]).toEqual([id, hidden.has(id) ? null : counts.values.get(id)]);
    }
    expect([f.count(SMALL, 'opened'), f.count(CHIYODA, 'status', 'REFERRED')]).toEqual([null, null]);
    // More than the small counts: complements (zeros among them) keep each hidden count's range open.
    const small = [...counts.values].filter(([, v]) => v > 0 && v < THRESHOLD).map(([id]) => id);
    expect(hidden.size).toBeGreaterThan(small.length);
    for (const id of small) expect(hidden.has(id)).toBe(true);
    // The attacker: every published count of the year at every level, every relation, the bounds.
    const ranges = await attackTable(figuresTable(counts.values), new Set([...hidden].map((id) => id.replace('|', '\u0001'))));
    expect(ranges).toHaveLength(hidden.size);
    expect(ranges.filter((r) => r.values < PROTECTION_VALUES)).toEqual([]);
    // Hiding the small counts alone (what subtraction-proof suppression did first) pins some of them.
    const naive = await attackTable(figuresTable(counts.values), new Set(small.map((id) => id.replace('|', '\u0001'))));
    expect(naive.filter((r) => r.values === 1).length).toBeGreaterThan(0);
  }, 120_000);

  it('suppresses a median whenever the count it is taken over is hidden', async () => {
    const f = await computeFigures(db, FY, THRESHOLD);
    for (const unit of [BIG, MID, SMALL, TOTTORI, CHIYODA, TOKYO, NATION]) {
      if (f.count(unit, 'opened') === null) expect([unit, f.median(unit, 'firstContact').suppressed]).toEqual([unit, true]);
      if (f.count(unit, 'referralsMade') === null) expect([unit, f.median(unit, 'response').suppressed]).toEqual([unit, true]);
    }
    expect(f.median(SMALL, 'firstContact')).toEqual({ days: null, suppressed: true });
  });

  it('gives medians in days, suppressed when fewer than the threshold observations stand behind them', async () => {
    const f = await computeFigures(db, FY, THRESHOLD);
    // Responses after 1..10 days: the median of ten is the mean of the 5th and 6th.
    expect(f.median(BIG, 'response')).toEqual({ days: 5.5, suppressed: false });
    // First contact after i % 5 days for i = 0..29: six each of 0..4 days, median 2.
    expect(f.median(BIG, 'firstContact')).toEqual({ days: 2, suppressed: false });
    expect(f.median(SMALL, 'firstContact')).toEqual({ days: null, suppressed: true });
    // MID's 12 cases have no first contact: nothing to measure (with nothing hidden; with the threshold,
    // MID's count is one of the complements, and its median goes with it).
    expect((await computeFigures(db, FY, 1)).median(MID, 'firstContact')).toEqual({ days: null, suppressed: false });
  });

  it('suppresses with the threshold it is given (1: nothing)', async () => {
    const f = await computeFigures(db, FY, 1);
    expect([f.count(SMALL, 'opened'), f.count(MID, 'opened'), f.count(CHIYODA, 'status', 'REFERRED')]).toEqual([3, 12, 3]);
    expect(f.median(SMALL, 'firstContact')).toEqual({ days: 1, suppressed: false });
  });
});

describe('figuresFor', () => {
  const options = { threshold: 1, protectionValues: 1, maxAgeMs: 60_000, refreshMs: 0 };
  /** Asks until the answer is another snapshot than `than` (the next one is computed off the request path). */
  async function next(than: Figures, refresh = options): Promise<Figures> {
    for (let i = 0; i < 400; i += 1) {
      const f = await figuresFor(db, FY, refresh);
      if (f !== than) return f;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('no new snapshot in 10 s');
  }

  it('publishes off the request path (the snapshot job in the background process) exactly what is computed here', async () => {
    const protectedOptions = { threshold: THRESHOLD, protectionValues: PROTECTION_VALUES, maxAgeMs: 60_000, refreshMs: 0 };
    const [there, here] = [await figuresFor(db, FY, protectedOptions), await computeFigures(db, FY, THRESHOLD)];
    const layout = figureLayout();
    const units = [...layout.municipalities, ...layout.prefectures, NATION];
    const published = (f: Figures) =>
      units.map((unit) => [
        unit,
        f.covers(unit),
        ...FIGURE_COLUMNS.map((column) => f.count(unit, ...(column.split('|') as [Metric, string]))),
        f.median(unit, 'firstContact'),
        f.median(unit, 'response'),
      ]);
    expect(published(there)).toEqual(published(here));
    // Not trivially: some counts are shown, some hidden, some medians given.
    expect(
      published(here)
        .flat()
        .filter((v) => v === null).length,
    ).toBeGreaterThan(0);
    expect(here.count(BIG, 'opened')).toBeGreaterThan(0);
    expect(there.covers('999999')).toBe(false);
  });

  it('answers from the last snapshot, and computes the next one off the request path after a change', async () => {
    const first = await figuresFor(db, FY, options); // nothing yet: this one waits
    expect(await figuresFor(db, FY, options)).toBe(first);
    const before = first.count(MID, 'opened') ?? 0;
    await addCase(MID, '2025-01-15');
    const [{ now }] = await db.query<[{ now: Date }]>('SELECT now() AS now');
    // At once: the snapshot of before the write, whole (its counts and its suppression of one state).
    const stale = await figuresFor(db, FY, options);
    expect(stale).toBe(first);
    expect(stale.asOf.getTime()).toBeLessThan(now.getTime());
    const after = await next(first);
    expect(after.count(MID, 'opened')).toBe(before + 1);
    expect(after.asOf.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(first.count(MID, 'opened')).toBe(before);
  });

  it('computes a year at most every refreshMs under a stream of writes', async () => {
    const slow = { ...options, refreshMs: 1500 };
    let f = await figuresFor(db, FY, slow);
    const seen: Figures[] = [];
    for (let i = 0; i < 3; i += 1) {
      await addCase(MID, '2025-01-16');
      f = await next(f, slow);
      seen.push(f);
    }
    const gaps = seen.slice(1).map((s, i) => s.asOf.getTime() - (seen[i]?.asOf.getTime() ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1400);
  });
});
