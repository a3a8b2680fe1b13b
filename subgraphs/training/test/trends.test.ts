import { jurisdictionRows, type Principal } from '@nimo/kit';
import { oneYearAliases, oneYearAnswers } from '@nimo/kit/testing';
import { post, startTraining } from './helpers';

/**
 * Trends: `trainingSummaries` and `nationalTrainingSummaries` answer, year by year, exactly what the
 * one-year fields answer, with the same access rules, and cost the same SQL statements for one year
 * as for five and for one jurisdiction as for all of them.
 */
const NATION: Principal = { role: 'nation', subject: 'n', jurisdictionCodes: [], organizationId: null };
const PROVIDER: Principal = { role: 'provider', subject: 'o', jurisdictionCodes: [], organizationId: '00000000-0000-4000-8000-000000000001' };
const YEARS = [2022, 2023, 2024, 2025, 2026];
const FIGURES =
  '{ fiscalYear sessionsHeld enrolments completions staffTrained municipalities municipalitiesWithTrainedConsultationStaff shareOfMunicipalitiesWithTrainedConsultationStaff }';

let hub: Awaited<ReturnType<typeof startTraining>>;
beforeAll(async () => {
  hub = await startTraining();
}, 300_000);
afterAll(() => hub.stop());

const ENTITIES = (fields: string) => `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Jurisdiction { code ${fields} } } }`;
const representations = (codes: readonly string[]) => codes.map((code) => ({ __typename: 'Jurisdiction', code }));
const allCodes = jurisdictionRows().map((r) => r.code);

describe('training trends', () => {
  it('answers each year of a range exactly as the one-year field, for the nation, prefectures, municipalities and wards', async () => {
    const codes = ['310000', '312011', '131016', '130001', '011002', '011011'];
    const answer = await post<{ _entities: Record<string, unknown>[] }>(
      hub.server.url,
      ENTITIES(`trainingSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) ${FIGURES} ${oneYearAliases('trainingSummary', YEARS, FIGURES)}`),
      { r: representations(codes) },
      NATION,
    );
    expect(answer.errors).toBeUndefined();
    const entities = answer.data?._entities ?? [];
    expect(entities).toHaveLength(codes.length);
    for (const entity of entities) expect(entity.trainingSummaries).toEqual(oneYearAnswers(entity, YEARS));
    const tottori = entities[0]?.trainingSummaries as { fiscalYear: number; completions: number }[];
    expect(tottori.map((s) => s.fiscalYear)).toEqual(YEARS);
    expect(tottori.some((s) => s.completions > 0)).toBe(true);

    const national = await post<Record<string, unknown>>(
      hub.server.url,
      `{ nationalTrainingSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) ${FIGURES} ${oneYearAliases('nationalTrainingSummary', YEARS, FIGURES)} }`,
      {},
      NATION,
    );
    expect(national.errors).toBeUndefined();
    expect(national.data?.nationalTrainingSummaries).toEqual(oneYearAnswers(national.data ?? {}, YEARS));
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
        const query = ENTITIES(`trainingSummaries(fromFiscalYear: ${first}, toFiscalYear: ${last}) { fiscalYear completions staffTrained }`);
        await advance();
        const computed = await post<{ _entities: unknown[] }>(hub.server.url, query, { r: representations(codes) }, NATION);
        const reused = await post<{ _entities: unknown[] }>(hub.server.url, query, { r: representations(codes) }, NATION);
        expect(computed.errors).toBeUndefined();
        expect(reused.data).toEqual(computed.data);
        expect(computed.data?._entities).toHaveLength(codes.length);
        sql[`${years}, ${jurisdictions}, computed`] = computed.sql;
        sql[`${years}, ${jurisdictions}, reused`] = reused.sql;
      }
    }
    // Computed: the generation, the wait for writers in flight, the staff aggregation and the sessions held
    // (each over every year asked); reused: the generation.
    expect(sql).toEqual({
      '1 year, 1 jurisdiction, computed': 4,
      '1 year, 1 jurisdiction, reused': 1,
      '1 year, all jurisdictions, computed': 4,
      '1 year, all jurisdictions, reused': 1,
      '5 years, 1 jurisdiction, computed': 4,
      '5 years, 1 jurisdiction, reused': 1,
      '5 years, all jurisdictions, computed': 4,
      '5 years, all jurisdictions, reused': 1,
    });
  });

  it("keeps the one-year field's access rules and refuses a range that is too long or upside down", async () => {
    const refused = await post<{ _entities: { trainingSummaries: unknown }[] }>(
      hub.server.url,
      ENTITIES('trainingSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) { fiscalYear }'),
      { r: representations(['310000']) },
      PROVIDER,
    );
    expect(refused.data?._entities[0]?.trainingSummaries).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const national = await post(hub.server.url, '{ nationalTrainingSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) { fiscalYear } }', {}, PROVIDER);
    expect(national.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const [from, to] of [
      [2015, 2026],
      [2026, 2022],
      [1990, 1991],
    ]) {
      const bad = await post(hub.server.url, `{ nationalTrainingSummaries(fromFiscalYear: ${from}, toFiscalYear: ${to}) { fiscalYear } }`, {}, NATION);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
