import { jurisdictionRows, JurisdictionKind, type Principal } from '@nimo/kit';
import { oneYearAliases, oneYearAnswers } from '@nimo/kit/testing';
import { post, startAdviserSupport } from './helpers';

/**
 * Trends: `evaluations`, `programParticipations` and `nationalEvaluations` answer, year by year,
 * exactly what the one-year fields answer, with the same access rules, and cost the same SQL
 * statements for one year as for five and for one jurisdiction as for all of them.
 */
const TOTTORI_CITY: Principal = { role: 'municipality', subject: 'm', jurisdictionCodes: ['312011'], organizationId: null };
const YEARS = [2021, 2022, 2023, 2024, 2025];
const EVALUATION = '{ fiscalYear tier met notMet indicators { code value target targetSource status basis note isDemo } }';
const PARTICIPATION = '{ id fiscalYear program itemNumbers budgetThousandYen }';
// The fields the gateway sends for @requires: forums set up in FY2022 and FY2024 (not all of them
// meeting every year), staff trained from FY2021.
const COVERAGE = {
  ownForum: true,
  regions: 5,
  regionsWithForum: 4,
  municipalities: 20,
  municipalitiesWithForum: 10,
  history: [
    {
      fiscalYear: 2022,
      ownForum: true,
      regionsWithForum: 2,
      municipalitiesWithForum: 4,
      ownForumMet: true,
      regionsWithForumMet: 2,
      municipalitiesWithForumMet: 3,
    },
    {
      fiscalYear: 2023,
      ownForum: true,
      regionsWithForum: 2,
      municipalitiesWithForum: 4,
      ownForumMet: true,
      regionsWithForumMet: 1,
      municipalitiesWithForumMet: 4,
    },
    {
      fiscalYear: 2024,
      ownForum: true,
      regionsWithForum: 4,
      municipalitiesWithForum: 10,
      ownForumMet: true,
      regionsWithForumMet: 4,
      municipalitiesWithForumMet: 9,
    },
    {
      fiscalYear: 2025,
      ownForum: true,
      regionsWithForum: 4,
      municipalitiesWithForum: 10,
      ownForumMet: false,
      regionsWithForumMet: 3,
      municipalitiesWithForumMet: 10,
    },
  ],
};
const TRAINED = [
  { fiscalYear: 2021, trainedStaff: 3 },
  { fiscalYear: 2023, trainedStaff: 9 },
];

let hub: Awaited<ReturnType<typeof startAdviserSupport>>;
beforeAll(async () => {
  hub = await startAdviserSupport();
}, 300_000);
afterAll(() => hub.stop());

const ENTITIES = (fields: string) => `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Jurisdiction { code ${fields} } } }`;
const representations = (codes: readonly string[], coverage: typeof COVERAGE = COVERAGE) =>
  codes.map((code) => ({ __typename: 'Jurisdiction', code, forumCoverage: coverage, trainedStaffHistory: TRAINED }));
// For the SQL count over every jurisdiction: one year of history keeps 1,788 representations under the subgraph's 1 MB body limit.
const SHORT_COVERAGE = { ...COVERAGE, history: COVERAGE.history.slice(0, 1) };
const allCodes = jurisdictionRows()
  .filter((r) => !r.administrationSuspended && r.kind !== JurisdictionKind.ADMINISTRATIVE_WARD)
  .map((r) => r.code);

describe('adviser-support trends', () => {
  it('answers each year of a range exactly as the one-year fields', async () => {
    const codes = ['310000', '312011', '131016', '130001', '011002'];
    const answer = await post<{ _entities: Record<string, unknown>[] }>(
      hub.server.url,
      ENTITIES(
        `evaluations(fromFiscalYear: 2021, toFiscalYear: 2025) ${EVALUATION} ${oneYearAliases('evaluation', YEARS, EVALUATION)}
         programParticipations(fromFiscalYear: 2021, toFiscalYear: 2025) ${PARTICIPATION} ${oneYearAliases('programParticipation', YEARS, PARTICIPATION).replace(/\by(\d{4}):/g, 'p$1:')}`,
      ),
      { r: representations(codes) },
    );
    expect(answer.errors).toBeUndefined();
    const entities = answer.data?._entities ?? [];
    expect(entities).toHaveLength(codes.length);
    for (const entity of entities) {
      expect(entity.evaluations).toEqual(oneYearAnswers(entity, YEARS));
      expect(entity.programParticipations).toEqual(YEARS.flatMap((y) => entity[`p${y}`] as unknown[]));
    }
    // Each year counts only what was true by its end: the forums set up by then that met in it (the forum history above).
    const tottori = entities[0]?.evaluations as { fiscalYear: number; indicators: { code: string; value: number | null }[] }[];
    expect(tottori.map((e) => [e.fiscalYear, e.indicators.find((i) => i.code === 'FORUM_REGION')?.value])).toEqual([
      [2021, 0],
      [2022, 40],
      [2023, 20],
      [2024, 80],
      [2025, 60],
    ]);
    expect(tottori.map((e) => [e.fiscalYear, e.indicators.find((i) => i.code === 'FORUM_PREFECTURE')?.value])).toEqual([
      [2021, 0],
      [2022, 100],
      [2023, 100],
      [2024, 100],
      [2025, 0],
    ]);
    expect((entities[0]?.programParticipations as unknown[]).length).toBeGreaterThan(0);

    const NATIONAL = '{ fiscalYear prefectures { code } indicators { code value status note } }';
    const national = await post<Record<string, unknown>>(
      hub.server.url,
      `{ nationalEvaluations(fromFiscalYear: 2021, toFiscalYear: 2025) ${NATIONAL} ${oneYearAliases('nationalEvaluation', YEARS, NATIONAL)} }`,
    );
    expect(national.errors).toBeUndefined();
    expect(national.data?.nationalEvaluations).toEqual(oneYearAnswers(national.data ?? {}, YEARS));
  });

  it('costs the same SQL statements for 1 year as for 5, and for 1 jurisdiction as for all', async () => {
    const sql: Record<string, number> = {};
    for (const [years, first, last] of [
      ['1 year', 2023, 2023],
      ['5 years', 2021, 2025],
    ] as const) {
      for (const [jurisdictions, codes] of [
        ['1 jurisdiction', ['310000']],
        ['all jurisdictions', allCodes],
      ] as const) {
        await hub.server.db.query("SELECT nextval('figures_generation')"); // the evaluation's rows computed, not reused
        const answer = await post<{ _entities: unknown[] }>(
          hub.server.url,
          ENTITIES(
            `evaluations(fromFiscalYear: ${first}, toFiscalYear: ${last}) { met } programParticipations(fromFiscalYear: ${first}, toFiscalYear: ${last}) { program }`,
          ),
          { r: representations(codes, SHORT_COVERAGE) },
        );
        expect(answer.errors).toBeUndefined();
        expect(answer.data?._entities).toHaveLength(codes.length);
        sql[`${years}, ${jurisdictions}`] = answer.sql;
      }
    }
    // The generation and the wait for writers in flight, the indicator values and the promotion
    // participations of the areas, and the participations asked for.
    expect(sql).toEqual({ '1 year, 1 jurisdiction': 5, '1 year, all jurisdictions': 5, '5 years, 1 jurisdiction': 5, '5 years, all jurisdictions': 5 });
  });

  it("keeps the one-year fields' access rules and refuses a range that is too long or upside down", async () => {
    const answer = await post<{ _entities: { code: string; evaluations: unknown[] | null; programParticipations: unknown[] | null }[] }>(
      hub.server.url,
      ENTITIES(
        'evaluations(fromFiscalYear: 2021, toFiscalYear: 2025) { fiscalYear } programParticipations(fromFiscalYear: 2021, toFiscalYear: 2025) { fiscalYear }',
      ),
      { r: representations(['312011', '310000']) },
      TOTTORI_CITY,
    );
    expect(answer.data?._entities.map((e) => [e.code, e.evaluations?.length ?? null, e.programParticipations === null])).toEqual([
      ['312011', 5, false],
      ['310000', null, true],
    ]);
    expect(new Set(answer.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
    const national = await post(hub.server.url, '{ nationalEvaluations(fromFiscalYear: 2021, toFiscalYear: 2025) { fiscalYear } }', {}, TOTTORI_CITY);
    expect(national.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const [from, to] of [
      [2015, 2026],
      [2026, 2022],
      [1990, 1991],
    ]) {
      const bad = await post(hub.server.url, `{ nationalEvaluations(fromFiscalYear: ${from}, toFiscalYear: ${to}) { fiscalYear } }`);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
