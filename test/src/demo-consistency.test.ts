import { JurisdictionKind } from '@nimo/kit';
import { startTestHub, type TestHub } from './hub';

/**
 * The demo data agrees with itself across subgraphs, read from each owning subgraph's database:
 * no jurisdiction runs the construction promotion program's item 1 (the forum, 協議の場) in a fiscal
 * year before its forum was set up, and the participants' national subsidies of a year stay within
 * that year's national budget (ProgramParticipation.budgetThousandYen, as the schema defines it).
 */

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const db = (name: string) => {
  const subgraph = hub.subgraphs[name];
  if (!subgraph) throw new Error(`no ${name} subgraph in the test hub`);
  return subgraph.db;
};

describe('demo data consistency', () => {
  it('runs item 1 only from the fiscal year the own forum was set up in (prefecture, designated city region, municipality)', async () => {
    const runs = await db('adviser-support').query<{ code: string; first_year: number }[]>(
      `SELECT jurisdiction_code AS code, min(fiscal_year)::int AS first_year FROM program_participation
        WHERE program = 'CONSTRUCTION_PROMOTION' AND 1 = ANY(item_numbers) GROUP BY jurisdiction_code`,
    );
    expect(runs.length).toBeGreaterThan(67);
    const forums = await db('directory').query<{ code: string; kind: string; own_on: string | null; region_on: string | null }[]>(
      `SELECT j.code, j.kind, own.established_on::text AS own_on, rf.established_on::text AS region_on
         FROM jurisdiction j
         LEFT JOIN forum own ON own.jurisdiction_code = j.code AND own.level IN ('PREFECTURE', 'MUNICIPALITY')
         LEFT JOIN forum rf ON rf.region_id = j.region_id AND j.kind = 'DESIGNATED_CITY'`,
    );
    const byCode = new Map(forums.map((f) => [f.code, f]));
    const contradictions: string[] = [];
    for (const { code, first_year } of runs) {
      const end = `${first_year + 1}-03-31`;
      const f = byCode.get(code);
      if (!f) {
        contradictions.push(`${code}: not in the directory`);
        continue;
      }
      if (f.own_on === null || f.own_on > end) contradictions.push(`${code} runs item 1 in FY${first_year}; its forum: ${f.own_on ?? 'none'}`);
      if (f.kind === JurisdictionKind.DESIGNATED_CITY && (f.region_on === null || f.region_on > end)) {
        contradictions.push(`${code} (a region of its own) runs item 1 in FY${first_year}; its region's forum: ${f.region_on ?? 'none'}`);
      }
    }
    expect(contradictions).toEqual([]);
  });

  it("keeps each year's subsidies within the national budget, and none for the construction support program", async () => {
    const rows = await db('adviser-support').query<
      { fiscal_year: number; granted: number; reported: number; national: number; national_of_year: number | null }[]
    >(
      `SELECT p.fiscal_year::int AS fiscal_year, sum(p.budget_thousand_yen)::int AS granted, count(p.budget_thousand_yen)::int AS reported,
              (SELECT b.thousand_yen FROM national_budget b WHERE b.program = p.program AND b.fiscal_year <= p.fiscal_year ORDER BY b.fiscal_year DESC LIMIT 1) AS national,
              (SELECT b.thousand_yen FROM national_budget b WHERE b.program = p.program AND b.fiscal_year = p.fiscal_year) AS national_of_year
         FROM program_participation p WHERE p.program = 'CONSTRUCTION_PROMOTION' GROUP BY p.program, p.fiscal_year ORDER BY p.fiscal_year`,
    );
    expect(rows.map((r) => r.fiscal_year)).toEqual([2022, 2023, 2024, 2025, 2026]);
    // The seed's figures: FY2022 669,312 and FY2023 603,031 thousand yen; later demo years share the latest.
    expect(rows.slice(0, 2).map((r) => r.national_of_year)).toEqual([669312, 603031]);
    for (const r of rows) {
      expect(r.reported).toBeGreaterThan(0);
      expect(r.granted).toBeLessThanOrEqual(r.national);
      expect(r.granted).toBeGreaterThan(r.national * 0.8);
    }
    const [support] = await db('adviser-support').query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM program_participation WHERE program = 'CONSTRUCTION_SUPPORT' AND budget_thousand_yen IS NOT NULL",
    );
    expect(support?.n).toBe(0);
  });
});
