import { jurisdictionRows, type Principal } from '@nimo/kit';
import { oneYearAliases, oneYearAnswers, postToSubgraph, startTestSubgraph } from '@nimo/kit/testing';
import { subgraph } from '../src';

/**
 * Trends: `consultationSummaries` and `nationalConsultationSummaries` answer, year by year, exactly
 * what the one-year fields answer (suppression included), with the same access rules, and cost the
 * same SQL statements for one year as for five and for one jurisdiction as for all of them.
 */
const NATION: Principal = { role: 'nation', subject: 'n', jurisdictionCodes: [], organizationId: null };
const TOTTORI_PREFECTURE: Principal = { role: 'prefecture', subject: 'p', jurisdictionCodes: ['310000'], organizationId: null };
const YEARS = [2022, 2023, 2024, 2025, 2026];
const FIGURES = `{ fiscalYear from to casesOpened { value suppressed } casesByStatus { status count { value suppressed } } casesByNeed { need count { value suppressed } }
  contacts { value suppressed } contactsByChannel { channel count { value suppressed } } referralsMade { value suppressed } referralsCompleted { value suppressed }
  medianDaysToFirstContact { days suppressed } medianDaysReferralToResponse { days suppressed } }`;

let hub: Awaited<ReturnType<typeof startTestSubgraph>>;
beforeAll(async () => {
  process.env.CONSULTATION_DEMO_CASES = '20000';
  hub = await startTestSubgraph(subgraph);
}, 300_000);
afterAll(() => hub.stop());

const post = <T>(query: string, variables: Record<string, unknown> = {}, principal = NATION) => postToSubgraph<T>(hub.server.url, query, variables, principal);
const ENTITIES = (fields: string) => `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Jurisdiction { code ${fields} } } }`;
const representations = (codes: readonly string[]) => codes.map((code) => ({ __typename: 'Jurisdiction', code }));
const allCodes = jurisdictionRows()
  .filter((r) => !r.administrationSuspended)
  .map((r) => r.code);

describe('consultation trends', () => {
  it('answers each year of a range exactly as the one-year field, for the nation, prefectures, municipalities and wards', async () => {
    const codes = ['310000', '312011', '131016', '130001', '011002', '011011']; // Tottori, Tottori city, Chiyoda, Tokyo, Sapporo, a ward of Sapporo
    const answer = await post<{ _entities: Record<string, unknown>[] }>(
      ENTITIES(`consultationSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) ${FIGURES} ${oneYearAliases('consultationSummary', YEARS, FIGURES)}`),
      { r: representations(codes) },
    );
    expect(answer.errors).toBeUndefined();
    const entities = answer.data?._entities ?? [];
    expect(entities).toHaveLength(codes.length);
    for (const entity of entities) {
      const years = oneYearAnswers<unknown>(entity, YEARS);
      if (years.every((y) => y === null))
        expect(entity.consultationSummaries).toBeNull(); // a ward: its city owns the cases
      else expect(entity.consultationSummaries).toEqual(years);
    }
    // The range holds real figures and suppressed ones, as the one-year fields do.
    const tottori = entities[0]?.consultationSummaries as { fiscalYear: number; casesOpened: { value: number | null } }[];
    expect(tottori.map((s) => s.fiscalYear)).toEqual(YEARS);
    // Tokyo's (a small prefecture's own total may be one of the protection's complements).
    const tokyo = entities[3]?.consultationSummaries as { casesOpened: { value: number | null } }[];
    expect(tokyo.some((s) => (s.casesOpened.value ?? 0) > 0)).toBe(true);

    const national = await post<Record<string, unknown>>(
      `{ nationalConsultationSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) ${FIGURES} ${oneYearAliases('nationalConsultationSummary', YEARS, FIGURES)} }`,
    );
    expect(national.errors).toBeUndefined();
    expect(national.data?.nationalConsultationSummaries).toEqual(oneYearAnswers(national.data ?? {}, YEARS));
  });

  it('costs the same SQL statements for 1 year as for 5, and for 1 jurisdiction as for all, computed or reused', async () => {
    const advance = () => hub.server.db.query("SELECT nextval('figures_generation')");
    const sql: Record<string, number> = {};
    for (const [years, first, last] of [
      ['1 year', 2024, 2024],
      ['5 years', 2022, 2026],
    ] as const) {
      for (const [jurisdictions, codes] of [
        ['1 jurisdiction', ['310000']],
        ['all jurisdictions', allCodes],
      ] as const) {
        const query = ENTITIES(
          `consultationSummaries(fromFiscalYear: ${first}, toFiscalYear: ${last}) { fiscalYear casesOpened { value } medianDaysToFirstContact { days } }`,
        );
        await advance();
        const computed = await post<{ _entities: unknown[] }>(query, { r: representations(codes) });
        const reused = await post<{ _entities: unknown[] }>(query, { r: representations(codes) });
        expect(computed.errors).toBeUndefined();
        expect(reused.data).toEqual(computed.data);
        expect(computed.data?._entities).toHaveLength(codes.length);
        sql[`${years}, ${jurisdictions}, computed`] = computed.sql;
        sql[`${years}, ${jurisdictions}, reused`] = reused.sql;
      }
    }
    await advance();
    const oneYear = await post<Record<string, unknown>>(
      `{ nationalConsultationSummaries(fromFiscalYear: 2024, toFiscalYear: 2024) { casesOpened { value } } }`,
    );
    await advance();
    const fiveYears = await post<Record<string, unknown>>(
      `{ nationalConsultationSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) { casesOpened { value } } }`,
    );
    // One statement, the generation, whether the years were changed since their snapshots or not: a
    // request answers with the last snapshots and the next ones are computed off the request path.
    expect(sql).toEqual({
      '1 year, 1 jurisdiction, computed': 1,
      '1 year, 1 jurisdiction, reused': 1,
      '1 year, all jurisdictions, computed': 1,
      '1 year, all jurisdictions, reused': 1,
      '5 years, 1 jurisdiction, computed': 1,
      '5 years, 1 jurisdiction, reused': 1,
      '5 years, all jurisdictions, computed': 1,
      '5 years, all jurisdictions, reused': 1,
    });
    expect([oneYear.sql, fiveYears.sql]).toEqual([1, 1]);
  });

  it("keeps the one-year field's access rules and refuses a range that is too long or upside down", async () => {
    const mine = await post<{ _entities: { consultationSummaries: unknown[] | null }[] }>(
      ENTITIES('consultationSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) { fiscalYear }'),
      { r: representations(['310000', '312011', '131016']) },
      TOTTORI_PREFECTURE,
    );
    expect(mine.data?._entities.map((e) => e.consultationSummaries?.length ?? null)).toEqual([5, 5, null]);
    expect(mine.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['_entities.2.consultationSummaries', 'FORBIDDEN']]);
    const national = await post(`{ nationalConsultationSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) { fiscalYear } }`, {}, TOTTORI_PREFECTURE);
    expect(national.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const [from, to] of [
      [2015, 2026],
      [2026, 2022],
      [1990, 1991],
    ]) {
      const refused = await post(`{ nationalConsultationSummaries(fromFiscalYear: ${from}, toFiscalYear: ${to}) { fiscalYear } }`);
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
