import { createLogger, jurisdictionRows, type Principal } from '@nimo/kit';
import { subgraph } from '../src';
import { buildTrainingDemo } from '../src/seed/demo';
import { post, startTraining } from './helpers';

let hub: Awaited<ReturnType<typeof startTraining>>;
beforeAll(async () => {
  hub = await startTraining();
});
afterAll(() => hub.stop());

const NATION: Principal = { role: 'nation', subject: 'n', jurisdictionCodes: [], organizationId: null };

describe('demo data', () => {
  it('is deterministic, labelled demo, and covers every prefecture and designated city', async () => {
    const a = buildTrainingDemo();
    const b = buildTrainingDemo();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const organisers = new Set(a.courses.map((c) => c.organiserJurisdictionCode));
    for (const r of jurisdictionRows().filter((j) => j.kind === 'PREFECTURE' || j.kind === 'DESIGNATED_CITY')) expect(organisers.has(r.code)).toBe(true);
    const [row] = await hub.server.db.query<{ n: number; demo: boolean }[]>('SELECT count(*)::int AS n, bool_and(is_demo) AS demo FROM staff_member');
    expect(row).toEqual({ n: a.staff.length, demo: true });
    const certificates = a.enrolments.map((e) => e.certificateNumber).filter(Boolean);
    expect(new Set(certificates).size).toBe(certificates.length);
    expect(certificates[0]).toMatch(/^TR-\d{4}-\d{6}-[0-9A-F]{8}-\d{4}$/);
  });

  it('loads the demo data once: a second load adds nothing', async () => {
    const count = async () =>
      await hub.server.db.query<{ n: string }[]>(
        'SELECT (SELECT count(*) FROM course) + (SELECT count(*) FROM training_session) + (SELECT count(*) FROM staff_member) + (SELECT count(*) FROM enrolment) AS n',
      );
    const before = await count();
    expect(Number(before[0]?.n)).toBeGreaterThan(0);
    await subgraph.seed?.(hub.server.db, createLogger('training-test'));
    expect(await count()).toEqual(before);
  });
});

describe('batching', () => {
  const ENTITIES = `query ($r: [_Any!]!, $fy: Int!) { _entities(representations: $r) { ... on Jurisdiction { code trainedStaffTotal trainingSummary(fiscalYear: $fy) { sessionsHeld enrolments completions staffTrained municipalities municipalitiesWithTrainedConsultationStaff shareOfMunicipalitiesWithTrainedConsultationStaff } } } }`;
  it('answers training figures for every jurisdiction in a constant number of SQL statements, computed or reused', async () => {
    const all = jurisdictionRows().map((r) => ({ __typename: 'Jurisdiction', code: r.code }));
    const ask = (r: typeof all) => post<{ _entities: { trainingSummary: { completions: number } }[] }>(hub.server.url, ENTITIES, { r, fy: 2024 }, NATION);
    // The generation moves: the next request computes the national figures, the one after reuses them.
    const advance = () => hub.server.db.query("SELECT nextval('figures_generation')");
    const sql: Record<string, number | undefined> = {};
    for (const [name, r] of [
      ['few', all.filter((_, i) => i % 100 === 0)],
      ['many', all],
    ] as const) {
      await advance();
      const computed = await ask(r);
      const reused = await ask(r);
      expect(computed.errors).toBeUndefined();
      expect(reused.data).toEqual(computed.data);
      expect(computed.data?._entities).toHaveLength(r.length);
      sql[`${name} computed`] = computed.sql;
      sql[`${name} reused`] = reused.sql;
    }
    // Computed: per figure kind the generation read twice (the second waiting for writers in flight) and
    // the staff aggregation, the sessions held, and the staff by fiscal year of first completion.
    expect(sql).toEqual({ 'few computed': 8, 'few reused': 2, 'many computed': 8, 'many reused': 2 });
  });

  it('computes the figures again once a change is committed', async () => {
    const completions = async () =>
      (
        await post<{ nationalTrainingSummary: { completions: number } }>(
          hub.server.url,
          '{ nationalTrainingSummary(fiscalYear: 2024) { completions } }',
          {},
          NATION,
        )
      ).data?.nationalTrainingSummary.completions ?? NaN;
    const before = await completions();
    expect(await completions()).toBe(before); // reused
    const [enrolment] = await hub.server.db.query<{ id: string }[]>(
      `SELECT e.id FROM enrolment e JOIN training_session ts ON ts.id = e.session_id WHERE ts.fiscal_year = 2024 AND e.state <> 'COMPLETED' LIMIT 1`,
    );
    expect(enrolment).toBeDefined();
    await hub.server.db.query(`UPDATE enrolment SET state = 'COMPLETED', completed_on = '2024-12-01', certificate_number = 'TEST-' || id WHERE id = $1`, [
      enrolment?.id,
    ]);
    expect(await completions()).toBe(before + 1);
  });

  it('never keeps figures computed while a change is being committed', async () => {
    const completions = async () =>
      (
        await post<{ nationalTrainingSummary: { completions: number } }>(
          hub.server.url,
          '{ nationalTrainingSummary(fiscalYear: 2024) { completions } }',
          {},
          NATION,
        )
      ).data?.nationalTrainingSummary.completions ?? NaN;
    const before = await completions();
    const [enrolment] = await hub.server.db.query<{ id: string }[]>(
      `SELECT e.id FROM enrolment e JOIN training_session ts ON ts.id = e.session_id WHERE ts.fiscal_year = 2024 AND e.state <> 'COMPLETED' LIMIT 1`,
    );
    // The writer's statement has moved the generation, but its change is not visible yet.
    const writer = hub.server.db.createQueryRunner();
    await writer.connect();
    await writer.startTransaction();
    await writer.query(`UPDATE enrolment SET state = 'COMPLETED', completed_on = '2024-12-02', certificate_number = 'RACE-' || id WHERE id = $1`, [
      enrolment?.id,
    ]);
    const reading = completions();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writer.commitTransaction();
    await writer.release();
    // The reader waited for the commit instead of keeping the old figures under the new generation.
    expect(await reading).toBe(before + 1);
    expect(await completions()).toBe(before + 1);
  });

  it('rolls a prefecture up from its municipalities and the nation up from everything', async () => {
    const answer = await post<{
      nationalTrainingSummary: { completions: number; municipalities: number };
      _entities: { code: string; trainingSummary: { completions: number; municipalities: number } }[];
    }>(
      hub.server.url,
      `query ($r: [_Any!]!) { nationalTrainingSummary(fiscalYear: 2024) { completions municipalities } _entities(representations: $r) { ... on Jurisdiction { code trainingSummary(fiscalYear: 2024) { completions municipalities } } } }`,
      {
        r: jurisdictionRows()
          .filter((j) => j.kind === 'PREFECTURE')
          .map((j) => ({ __typename: 'Jurisdiction', code: j.code })),
      },
      NATION,
    );
    expect(answer.errors).toBeUndefined();
    const prefectures = answer.data?._entities ?? [];
    const sum = prefectures.reduce((t, p) => t + p.trainingSummary.completions, 0);
    expect(sum).toBe(answer.data?.nationalTrainingSummary.completions);
    expect(sum).toBeGreaterThan(0);
    expect(answer.data?.nationalTrainingSummary.municipalities).toBe(1741);
  });
});

describe('staff trained by the end of each fiscal year', () => {
  const HISTORY = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Jurisdiction { code trainedStaffTotal trainedStaffHistory { fiscalYear trainedStaff } } } }`;
  type Row = { code: string; trainedStaffTotal: number; trainedStaffHistory: { fiscalYear: number; trainedStaff: number }[] };
  const at = (history: Row['trainedStaffHistory'], fiscalYear: number) => [...history].reverse().find((h) => h.fiscalYear <= fiscalYear)?.trainedStaff ?? 0;
  const ask = async (codes: string[]) => {
    const answer = await post<{ _entities: Row[] }>(hub.server.url, HISTORY, { r: codes.map((code) => ({ __typename: 'Jurisdiction', code })) }, NATION);
    expect(answer.errors).toBeUndefined();
    return answer.data!._entities;
  };

  it('counts a completion on 31 March in the fiscal year ending then, and one on 1 April in the next', async () => {
    const [staff] = await hub.server.db.query<{ jurisdiction_code: string; organization_id: string; municipality_code: string }[]>(
      `SELECT jurisdiction_code, organization_id, municipality_code FROM staff_member WHERE municipality_code IS NOT NULL LIMIT 1`,
    );
    const code = staff!.jurisdiction_code;
    const prefecture = jurisdictionRows().find((r) => r.kind === 'PREFECTURE' && r.code.startsWith(code.slice(0, 2)))!.code;
    const [beforeMine, beforePrefecture] = await ask([code, prefecture]);
    const [session] = await hub.server.db.query<{ id: string }[]>(`SELECT id FROM training_session LIMIT 1`);
    // Two new staff: one first completes on 31 March 2024 (FY2023), the other on 1 April 2024 (FY2024).
    for (const [name, completedOn] of [
      ['年度末', '2024-03-31'],
      ['年度初め', '2024-04-01'],
    ] as const) {
      const [{ id }] = await hub.server.db.query<[{ id: string }]>(
        `INSERT INTO staff_member (id, organization_id, jurisdiction_code, municipality_code, display_name, qualifications, consultation_staff, is_demo, version)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, '{}', false, true, 1) RETURNING id`,
        [staff!.organization_id, code, staff!.municipality_code, `テスト ${name}`],
      );
      await hub.server.db.query(
        `INSERT INTO enrolment (id, session_id, staff_id, state, requested_at, completed_on, certificate_number, is_demo, version)
         VALUES (gen_random_uuid(), $1, $2::uuid, 'COMPLETED', '2024-01-10T00:00:00Z', $3, 'HIST-' || $2::text, true, 1)`,
        [session!.id, id, completedOn],
      );
    }
    const [mine, pref] = await ask([code, prefecture]);
    for (const [before, after] of [
      [beforeMine!, mine!],
      [beforePrefecture!, pref!],
    ] as const) {
      expect(at(after.trainedStaffHistory, 2022) - at(before.trainedStaffHistory, 2022)).toBe(0);
      expect(at(after.trainedStaffHistory, 2023) - at(before.trainedStaffHistory, 2023)).toBe(1);
      expect(at(after.trainedStaffHistory, 2024) - at(before.trainedStaffHistory, 2024)).toBe(2);
      // The latest entry is today's cumulative figure.
      expect(after.trainedStaffHistory.at(-1)?.trainedStaff).toBe(after.trainedStaffTotal);
      expect(after.trainedStaffTotal - before.trainedStaffTotal).toBe(2);
    }
  });
});
