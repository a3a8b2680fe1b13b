import { fiscalYearOf } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import type { ForumCoverage, ForumCoverageYear } from './entities/forum-coverage';

/** The directory's figures: consultation forums set up at each tier for a jurisdiction's area, and since when. */

/** Forums at each tier for each jurisdiction's area: one statement for any number of codes. */
export async function forumCoverageOf(db: DataSource, codes: readonly string[]): Promise<{ code: string; coverage: ForumCoverage }[]> {
  // Set-based: each asked-for jurisdiction's regions and municipalities are listed once with the
  // fiscal year their forum was set up (null: none), then counted by GROUP BY; one statement
  // for any number of codes, and the forum table is read once whatever their number.
  const rows = (await db.query(
    `WITH k AS (
       SELECT j.code, j.kind, j.region_id FROM unnest($1::text[]) AS u(code) JOIN jurisdiction j ON j.code = u.code
     ), forum_fy AS (
       SELECT f.level, f.jurisdiction_code, f.region_id,
              CASE WHEN f.established_on IS NULL THEN $2::int
                   ELSE extract(year FROM f.established_on - interval '3 months')::int END AS fy
         FROM forum f
     ), own_fy AS (
       SELECT jurisdiction_code AS code, min(fy) AS fy FROM forum_fy WHERE jurisdiction_code IS NOT NULL GROUP BY jurisdiction_code
     ), region_fy AS (
       SELECT region_id AS id, min(fy) AS fy FROM forum_fy WHERE region_id IS NOT NULL GROUP BY region_id
     ), municipality_fy AS (
       SELECT jurisdiction_code AS code, min(fy) AS fy FROM forum_fy WHERE level = 'MUNICIPALITY' GROUP BY jurisdiction_code
     ), area_region AS (
       SELECT k.code, r.id FROM k JOIN region r ON r.prefecture_code = k.code WHERE k.kind = 'PREFECTURE'
       UNION ALL
       SELECT k.code, k.region_id FROM k WHERE k.kind NOT IN ('PREFECTURE', 'ADMINISTRATIVE_WARD') AND k.region_id IS NOT NULL
     ), area_municipality AS (
       SELECT k.code, m.code AS municipality FROM k JOIN jurisdiction m ON m.prefecture_code = k.code OR m.code = k.code
        WHERE (k.kind = 'PREFECTURE' OR m.code = k.code) AND m.kind NOT IN ('PREFECTURE', 'ADMINISTRATIVE_WARD') AND NOT m.administration_suspended
     ), item AS (
       SELECT k.code, 'OWN' AS tier, o.fy FROM k LEFT JOIN own_fy o ON o.code = k.code WHERE k.kind <> 'ADMINISTRATIVE_WARD'
       UNION ALL
       SELECT a.code, 'REGION', r.fy FROM area_region a LEFT JOIN region_fy r ON r.id = a.id
       UNION ALL
       SELECT a.code, 'MUNICIPALITY', m.fy FROM area_municipality a LEFT JOIN municipality_fy m ON m.code = a.municipality
     )
     SELECT k.code, i.tier, i.fy, count(i.tier)::int AS n
       FROM k LEFT JOIN item i ON i.code = k.code
      GROUP BY k.code, i.tier, i.fy`,
    [codes, fiscalYearOf(new Date())],
  )) as { code: string; tier: 'OWN' | 'REGION' | 'MUNICIPALITY' | null; fy: number | null; n: number }[];
  const byCode = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byCode.get(r.code);
    if (list) list.push(r);
    else byCode.set(r.code, [r]);
  }
  return [...byCode].map(([code, list]) => ({ code, coverage: coverageOf(list) }));
}

/**
 * A jurisdiction's forum coverage from its counted items (tier, fiscal year of set-up or null, count):
 * today's counts, and the counts as they stood at the end of each fiscal year in which one changed.
 */
function coverageOf(items: readonly { tier: 'OWN' | 'REGION' | 'MUNICIPALITY' | null; fy: number | null; n: number }[]): ForumCoverage {
  const counted = (tier: string) => items.filter((i) => i.tier === tier).reduce((s, i) => s + i.n, 0);
  const years = [...new Set(items.filter((i) => i.tier !== null && i.fy !== null).map((i) => i.fy!))].sort((a, b) => a - b);
  const upTo = (tier: string, year: number) => items.filter((i) => i.tier === tier && i.fy !== null && i.fy <= year).reduce((s, i) => s + i.n, 0);
  const history: ForumCoverageYear[] = years.map((fiscalYear) => ({
    fiscalYear,
    ownForum: upTo('OWN', fiscalYear) > 0,
    regionsWithForum: upTo('REGION', fiscalYear),
    municipalitiesWithForum: upTo('MUNICIPALITY', fiscalYear),
  }));
  return {
    ownForum: items.some((i) => i.tier === 'OWN' && i.fy !== null),
    regions: counted('REGION'),
    regionsWithForum: items.filter((i) => i.tier === 'REGION' && i.fy !== null).reduce((s, i) => s + i.n, 0),
    municipalities: counted('MUNICIPALITY'),
    municipalitiesWithForum: items.filter((i) => i.tier === 'MUNICIPALITY' && i.fy !== null).reduce((s, i) => s + i.n, 0),
    history,
  };
}
