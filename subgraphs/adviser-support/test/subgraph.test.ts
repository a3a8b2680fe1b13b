import { createLogger, jurisdictionRows, JurisdictionKind } from '@nimo/kit';
import { subgraph } from '../src';
import { NATION, post, startAdviserSupport } from './helpers';

let hub: Awaited<ReturnType<typeof startAdviserSupport>>;
beforeAll(async () => {
  hub = await startAdviserSupport();
});
afterAll(() => hub.stop());

const COVERAGE = {
  ownForum: true,
  regions: 5,
  regionsWithForum: 4,
  municipalities: 20,
  municipalitiesWithForum: 10,
  history: [
    {
      fiscalYear: 2020,
      ownForum: true,
      regionsWithForum: 4,
      municipalitiesWithForum: 10,
      ownForumMet: true,
      regionsWithForumMet: 3,
      municipalitiesWithForumMet: 8,
    },
  ],
};

// Every list and aggregate field this subgraph adds to Jurisdiction, as the gateway asks for them.
const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Jurisdiction {
      code
      programParticipation(fiscalYear: 2023) { program itemNumbers items { number } jurisdiction { code } }
      advisers(fiscalYear: 2023) { id kind assignments(fiscalYear: 2023) { code } }
      supportRequests { id status adviser { id } topic { number } }
      evaluation(fiscalYear: 2023) { tier met notMet indicators { code value status } }
    }
  }
}`;

describe('batching', () => {
  it('resolves every prefecture, designated city and municipality in a constant number of SQL statements', async () => {
    const codes = jurisdictionRows()
      .filter((r) => !r.administrationSuspended && r.kind !== JurisdictionKind.ADMINISTRATIVE_WARD)
      .map((r) => r.code);
    expect(codes.length).toBe(47 + 1741);
    const representations = (list: string[]) => list.map((code) => ({ __typename: 'Jurisdiction', code, forumCoverage: COVERAGE }));
    const few = await post<{ _entities: { code: string }[] }>(hub.server.url, ENTITIES, { representations: representations(codes.slice(0, 20)) });
    const many = await post<{ _entities: { code: string; evaluation: { indicators: unknown[] } }[] }>(hub.server.url, ENTITIES, {
      representations: representations(codes),
    });
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(many.data?._entities).toHaveLength(codes.length);
    expect(many.data?._entities.every((e) => e.evaluation.indicators.length === 16)).toBe(true);
    // One statement per loader per level: all 1,788 jurisdictions cost no more than 20 do. The
    // evaluation's rows, reused until they change, read the generation and on a miss wait for writers first.
    expect(few.sql).toBeLessThanOrEqual(9);
    expect(many.sql).toBeLessThanOrEqual(few.sql);
  });
});

describe('seed', () => {
  it('is deterministic and idempotent', async () => {
    const count = async () =>
      await hub.server.db.query<Record<string, string>[]>(
        `SELECT (SELECT count(*) FROM program_participation) p, (SELECT count(*) FROM adviser) a, (SELECT count(*) FROM support_request) r,
                (SELECT count(*) FROM indicator_value) v, (SELECT count(*) FROM practice_case) c`,
      );
    const before = await count();
    expect(Object.values(before[0] ?? {}).every((n) => Number(n) > 0)).toBe(true);
    await subgraph.seed?.(hub.server.db, createLogger('seed-again'));
    expect(await count()).toEqual(before);
    // Every prefecture and designated city has demo data, all of it labelled.
    const [covered] = await hub.server.db.query<{ n: number }[]>(
      `SELECT count(DISTINCT jurisdiction_code)::int n FROM program_participation WHERE is_demo AND (substr(jurisdiction_code, 3, 3) = '000' OR jurisdiction_code = ANY($1))`,
      [
        jurisdictionRows()
          .filter((r) => r.kind === JurisdictionKind.DESIGNATED_CITY)
          .map((r) => r.code),
      ],
    );
    expect(covered?.n).toBe(67);
    const [unlabelled] = await hub.server.db.query<{ n: number }[]>('SELECT count(*)::int n FROM adviser WHERE NOT is_demo OR display_name NOT LIKE $1', [
      '%（デモ）',
    ]);
    expect(unlabelled?.n).toBe(0);
  });

  it('keeps the real national budgets from the migration', async () => {
    const answer = await post<{ nationalBudgets: { program: string; fiscalYear: number; thousandYen: number }[] }>(
      hub.server.url,
      '{ nationalBudgets { program fiscalYear thousandYen } }',
      undefined,
      NATION,
    );
    expect(answer.data?.nationalBudgets).toEqual([
      { program: 'CONSTRUCTION_PROMOTION', fiscalYear: 2022, thousandYen: 669312 },
      { program: 'CONSTRUCTION_SUPPORT', fiscalYear: 2022, thousandYen: 39114 },
      { program: 'CONSTRUCTION_PROMOTION', fiscalYear: 2023, thousandYen: 603031 },
      { program: 'CONSTRUCTION_SUPPORT', fiscalYear: 2023, thousandYen: 39114 },
    ]);
  });
});

describe('evaluation of a past fiscal year', () => {
  type Indicator = { code: string; value: number | null; status: string };
  const EVALUATE = `query ($r: [_Any!]!, $fy: Int!) { _entities(representations: $r) { ... on Jurisdiction { code evaluation(fiscalYear: $fy) { indicators { code value status } } } } }`;
  // 鳥取県 as the directory and the training subgraph describe it through federation: what was set
  // up or trained by 31 March 2024 counts for FY2023; what came on 1 April 2024 counts from FY2024.
  // A forum counts for a year only if it also met in it (the `…Met` counts, from the meeting records).
  const TOTTORI = {
    __typename: 'Jurisdiction',
    code: '310000',
    forumCoverage: {
      ownForum: true,
      regions: 3,
      regionsWithForum: 3,
      municipalities: 19,
      municipalitiesWithForum: 19,
      history: [
        {
          fiscalYear: 2023,
          ownForum: false,
          regionsWithForum: 1,
          municipalitiesWithForum: 5,
          ownForumMet: false,
          regionsWithForumMet: 1,
          municipalitiesWithForumMet: 4,
        },
        {
          fiscalYear: 2024,
          ownForum: true,
          regionsWithForum: 3,
          municipalitiesWithForum: 19,
          ownForumMet: true,
          regionsWithForumMet: 2,
          municipalitiesWithForumMet: 17,
        },
      ],
    },
    trainedStaffHistory: [
      { fiscalYear: 2022, trainedStaff: 7 },
      { fiscalYear: 2023, trainedStaff: 12 },
      { fiscalYear: 2024, trainedStaff: 24 },
    ],
  };
  const evaluation = async (fy: number, representation: Record<string, unknown> = TOTTORI) => {
    const answer = await post<{ _entities: { evaluation: { indicators: Indicator[] } }[] }>(hub.server.url, EVALUATE, { r: [representation], fy });
    expect(answer.errors).toBeUndefined();
    return Object.fromEntries(answer.data!._entities[0]!.evaluation.indicators.map((i) => [i.code, i]));
  };

  it('counts forums set up by the end of the year that met in it (prefecture, region and municipality forums)', async () => {
    const fy2023 = await evaluation(2023);
    expect(fy2023.FORUM_PREFECTURE).toMatchObject({ value: 0, status: 'NOT_MET' });
    expect(fy2023.FORUM_REGION).toMatchObject({ value: 33.3, status: 'NOT_MET' });
    // 5 set up by 31 March 2024, 4 of them met in FY2023.
    expect(fy2023.FORUM_MUNICIPALITY).toMatchObject({ value: 21.1, status: 'NOT_MET' });
    const fy2024 = await evaluation(2024);
    expect(fy2024.FORUM_PREFECTURE).toMatchObject({ value: 100, status: 'MET' });
    expect(fy2024.FORUM_REGION).toMatchObject({ value: 66.7, status: 'NOT_MET' });
    expect(fy2024.FORUM_MUNICIPALITY).toMatchObject({ value: 89.5, status: 'NOT_MET' });
    // Before the first forum, none counts; after the last year listed (today's), no meeting is on record.
    expect((await evaluation(2021)).FORUM_MUNICIPALITY).toMatchObject({ value: 0 });
    expect((await evaluation(2025)).FORUM_MUNICIPALITY).toMatchObject({ value: 0, status: 'NOT_MET' });
  });

  it('does not count a forum that was set up but did not meet in the year', async () => {
    const coverage = TOTTORI.forumCoverage;
    const silent = {
      ...TOTTORI,
      forumCoverage: {
        ...coverage,
        history: coverage.history.map((h) => ({ ...h, ownForumMet: false, regionsWithForumMet: 0, municipalitiesWithForumMet: 0 })),
      },
    };
    const fy2024 = await evaluation(2024, silent);
    expect(fy2024.FORUM_PREFECTURE).toMatchObject({ value: 0, status: 'NOT_MET' });
    expect(fy2024.FORUM_REGION).toMatchObject({ value: 0, status: 'NOT_MET' });
    expect(fy2024.FORUM_MUNICIPALITY).toMatchObject({ value: 0, status: 'NOT_MET' });
  });

  it('counts staff trained by the end of the year only', async () => {
    expect((await evaluation(2023)).STAFF_TRAINED?.value).toBe(12);
    expect((await evaluation(2024)).STAFF_TRAINED?.value).toBe(24);
    expect((await evaluation(2021)).STAFF_TRAINED?.value).toBe(0);
    expect((await evaluation(2026)).STAFF_TRAINED?.value).toBe(24);
    expect((await evaluation(2023, { ...TOTTORI, trainedStaffHistory: null })).STAFF_TRAINED?.status).toBe('NOT_AVAILABLE');
  });

  it('reuses the reported values and program items until either table changes', async () => {
    const ask = async () => {
      const answer = await post<{ _entities: { evaluation: { indicators: Indicator[] } }[] }>(hub.server.url, EVALUATE, { r: [TOTTORI], fy: 2022 });
      expect(answer.errors).toBeUndefined();
      return { sql: answer.sql, values: Object.fromEntries(answer.data!._entities[0]!.evaluation.indicators.map((i) => [i.code, i.value])) };
    };
    await hub.server.db.query("SELECT nextval('figures_generation')");
    const computed = await ask();
    const reused = await ask();
    expect(reused.values).toEqual(computed.values);
    // Computed: the generation, the wait for writers in flight, indicator values and participations; reused: the generation.
    expect([computed.sql, reused.sql]).toEqual([4, 1]);
    // A reported value changes: the next answer shows it.
    await hub.server.db.query(
      `UPDATE indicator_value SET value = value + 7 WHERE fiscal_year = 2022 AND jurisdiction_code = '310000' AND indicator = 'LONG_STAY_INPATIENTS'`,
    );
    const valueChanged = await ask();
    expect(valueChanged.values.LONG_STAY_INPATIENTS).toBe((computed.values.LONG_STAY_INPATIENTS ?? NaN) + 7);
    // Program items change (and nothing else): the next answer shows them too.
    const items = (
      await hub.server.db.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM program_participation WHERE fiscal_year = 2022 AND program = 'CONSTRUCTION_PROMOTION' AND jurisdiction_code LIKE '31%'`,
      )
    )[0]?.n;
    expect(Number(items)).toBeGreaterThan(0);
    await hub.server.db.query(
      `UPDATE program_participation SET item_numbers = CASE WHEN item_numbers = ARRAY[1] THEN ARRAY[1,2] ELSE ARRAY[1] END WHERE fiscal_year = 2022 AND program = 'CONSTRUCTION_PROMOTION' AND jurisdiction_code LIKE '31%'`,
    );
    const itemsChanged = await ask();
    expect(itemsChanged.values.ITEMS_IMPLEMENTED).not.toBe(valueChanged.values.ITEMS_IMPLEMENTED);
    expect({ ...itemsChanged.values, ITEMS_IMPLEMENTED: null }).toEqual({ ...valueChanged.values, ITEMS_IMPLEMENTED: null });
  });

  it("takes reported values and program items of the fiscal year only, untouched by the next year's", async () => {
    const codes = [
      'ITEMS_IMPLEMENTED',
      'CONSULTATION_SUPPORT',
      'COMMUNITY_DAYS_AFTER_DISCHARGE',
      'LONG_STAY_INPATIENTS',
      'DISCHARGE_RATE_3_MONTHS',
      'DISCHARGE_RATE_6_MONTHS',
      'DISCHARGE_RATE_12_MONTHS',
    ];
    const pick = (e: Record<string, Indicator>) => codes.map((c) => [c, e[c]?.value]);
    const before2023 = pick(await evaluation(2023));
    const before2024 = pick(await evaluation(2024));
    // Facts of the next fiscal year (from 1 April 2024) change; FY2023 must not move.
    await hub.server.db.query(`UPDATE indicator_value SET value = value + 7 WHERE fiscal_year = 2024 AND jurisdiction_code LIKE '31%'`);
    await hub.server.db.query(
      `UPDATE program_participation SET item_numbers = CASE WHEN item_numbers = ARRAY[1] THEN ARRAY[1,2] ELSE ARRAY[1] END WHERE fiscal_year = 2024 AND program = 'CONSTRUCTION_PROMOTION' AND jurisdiction_code LIKE '31%'`,
    );
    expect(pick(await evaluation(2023))).toEqual(before2023);
    expect(pick(await evaluation(2024))).not.toEqual(before2024);
  });
});
