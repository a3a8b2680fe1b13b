import { atYearEnd, jurisdictionRows } from '@nimo/kit';
import { post, startDirectory } from './helpers';

/**
 * Trends: `ForumCoverage.years(fromFiscalYear, toFiscalYear)` lists every year of the range with the
 * counts `history` gives at its end, and costs the same SQL statements for one year as for five and
 * for one jurisdiction as for all of them.
 */
let hub: Awaited<ReturnType<typeof startDirectory>>;
beforeAll(async () => {
  hub = await startDirectory();
}, 300_000);
afterAll(() => hub.stop());

type Year = {
  fiscalYear: number;
  ownForum: boolean;
  regionsWithForum: number;
  municipalitiesWithForum: number;
  ownForumMet: boolean;
  regionsWithForumMet: number;
  municipalitiesWithForumMet: number;
};
const FIELDS = 'fiscalYear ownForum regionsWithForum municipalitiesWithForum ownForumMet regionsWithForumMet municipalitiesWithForumMet';
const ENTITIES = (from: number, to: number) =>
  `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Jurisdiction { code forumCoverage {
     history { ${FIELDS} }
     years(fromFiscalYear: ${from}, toFiscalYear: ${to}) { ${FIELDS} } } } } }`;
const representations = (codes: readonly string[]) => codes.map((code) => ({ __typename: 'Jurisdiction', code }));
const allCodes = jurisdictionRows().map((r) => r.code);

describe('forum coverage trends', () => {
  it('lists every year of the range with the counts at its end, and the forums that met in it', async () => {
    const answer = await post<{ _entities: { code: string; forumCoverage: { history: Year[]; years: Year[] } }[] }>(hub.server.url, ENTITIES(2020, 2026), {
      r: representations(allCodes),
    });
    expect(answer.errors).toBeUndefined();
    let changing = 0;
    for (const { forumCoverage } of answer.data?._entities ?? []) {
      expect(forumCoverage.years.map((y) => y.fiscalYear)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
      for (const year of forumCoverage.years) {
        const at = atYearEnd(forumCoverage.history, year.fiscalYear);
        const met = forumCoverage.history.find((h) => h.fiscalYear === year.fiscalYear);
        expect(year).toEqual({
          fiscalYear: year.fiscalYear,
          ownForum: at?.ownForum ?? false,
          regionsWithForum: at?.regionsWithForum ?? 0,
          municipalitiesWithForum: at?.municipalitiesWithForum ?? 0,
          ownForumMet: met?.ownForumMet ?? false,
          regionsWithForumMet: met?.regionsWithForumMet ?? 0,
          municipalitiesWithForumMet: met?.municipalitiesWithForumMet ?? 0,
        });
      }
      if (new Set(forumCoverage.years.map((y) => y.municipalitiesWithForum)).size > 1) changing += 1;
    }
    expect(changing).toBeGreaterThan(0); // the demo forums were set up over several years
  });

  it('costs the same SQL statements for 1 year as for 5, and for 1 jurisdiction as for all', async () => {
    const sql: Record<string, number> = {};
    for (const [years, from, to] of [
      ['1 year', 2024, 2024],
      ['5 years', 2020, 2024],
    ] as const) {
      for (const [jurisdictions, codes] of [
        ['1 jurisdiction', ['310000']],
        ['all jurisdictions', allCodes],
      ] as const) {
        const answer = await post<{ _entities: unknown[] }>(hub.server.url, ENTITIES(from, to), { r: representations(codes) });
        expect(answer.errors).toBeUndefined();
        sql[`${years}, ${jurisdictions}`] = answer.sql;
      }
    }
    expect(new Set(Object.values(sql)).size).toBe(1);
  });

  it('refuses a range that is too long or upside down', async () => {
    for (const [from, to] of [
      [2015, 2026],
      [2026, 2022],
      [1990, 1991],
    ] as const) {
      const bad = await post(hub.server.url, ENTITIES(from, to), { r: representations(['310000']) });
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
