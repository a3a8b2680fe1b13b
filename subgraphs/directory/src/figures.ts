import { fiscalYearOf, GenerationCache, intFromEnv } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import type { ForumCoverage, ForumCoverageYear } from './entities/forum-coverage';

/** The directory's figures: consultation forums set up at each tier for a jurisdiction's area, and since when. */

/** One counted item of a jurisdiction's area: a tier, a fiscal year, how many; `met` marks a count of forums that met in that year. */
interface CountedItem {
  tier: 'OWN' | 'REGION' | 'MUNICIPALITY' | null;
  fy: number | null;
  n: number;
  met: boolean;
}

/** Figures kept per key: every jurisdiction's coverage, every forum's meeting counts (a few thousand of each). */
const MAX_ENTRIES = 8192;
const coverages = new GenerationCache<ForumCoverage | null>(MAX_ENTRIES);
const meetingCounts = new GenerationCache<ReadonlyMap<number, number>>(MAX_ENTRIES);

/**
 * The forum coverage of each jurisdiction asked, reused across requests until the directory's data
 * changes (kit `GenerationCache`; the DirectoryFiguresGeneration migration): one generation read, and
 * when it moved, one statement for the codes not kept. Keyed by the current fiscal year too, which
 * ends every history.
 */
export async function forumCoverages(db: DataSource, codes: readonly string[]): Promise<(ForumCoverage | null)[]> {
  const currentYear = fiscalYearOf(new Date());
  return coverages.getMany(
    db,
    codes.map((code) => ({ code, currentYear })),
    intFromEnv('FIGURES_MAX_AGE_MS', 300_000),
    (missing) => {
      const computed = forumCoverageOf(
        db,
        missing.map((key) => key.code),
        currentYear,
      ).then((rows) => new Map(rows.map((r) => [r.code, r.coverage])));
      return missing.map((key) => computed.then((byCode) => byCode.get(key.code) ?? null)); // null: no such jurisdiction
    },
  );
}

/**
 * How many meetings each forum asked held, per fiscal year, reused until the data changes (as
 * `forumCoverages`): counted in SQL, so that a count over every forum of the nation reads no minutes.
 */
export function meetingCountsOf(db: DataSource, ids: readonly string[]): Promise<ReadonlyMap<number, number>[]> {
  return meetingCounts.getMany(db, ids, intFromEnv('FIGURES_MAX_AGE_MS', 300_000), (missing) => {
    const computed = db
      .query<{ forum_id: string; fiscal_year: number; n: number }[]>(
        'SELECT forum_id, fiscal_year, count(*)::int AS n FROM forum_meeting WHERE forum_id = ANY($1::uuid[]) GROUP BY forum_id, fiscal_year',
        [missing],
      )
      .then((rows) => {
        const byForum = new Map<string, Map<number, number>>();
        for (const r of rows) {
          const years = byForum.get(r.forum_id) ?? new Map<number, number>();
          years.set(r.fiscal_year, r.n);
          byForum.set(r.forum_id, years);
        }
        return byForum;
      });
    return missing.map((id) => computed.then((byForum): ReadonlyMap<number, number> => byForum.get(id) ?? new Map<number, number>()));
  });
}

/**
 * Forums at each tier for each jurisdiction's area, and which of them met in each fiscal year:
 * one statement for any number of codes and years.
 */
async function forumCoverageOf(db: DataSource, codes: readonly string[], currentYear: number): Promise<{ code: string; coverage: ForumCoverage }[]> {
  // Set-based: each asked-for jurisdiction's regions and municipalities are listed once with the
  // fiscal year their forum was set up (null: none), then counted by GROUP BY; and, from the
  // meeting records, listed once more for each fiscal year in which a forum of theirs set up by
  // that year's end held a meeting (`met` rows). One statement for any number of codes; the forum
  // and meeting tables are read once whatever their number.
  const rows = await db.query<({ code: string } & CountedItem)[]>(
    `WITH k AS (
       SELECT j.code, j.kind, j.region_id FROM unnest($1::text[]) AS u(code) JOIN jurisdiction j ON j.code = u.code
     ), forum_fy AS (
       SELECT f.id, f.level, f.jurisdiction_code, f.region_id,
              CASE WHEN f.established_on IS NULL THEN $2::int
                   ELSE extract(year FROM f.established_on - interval '3 months')::int END AS fy
         FROM forum f
     ), forum_met AS (
       -- The fiscal years in which a forum met, counted only from the year it was set up in.
       SELECT DISTINCT f.level, f.jurisdiction_code, f.region_id, m.fiscal_year AS fy
         FROM forum_fy f JOIN forum_meeting m ON m.forum_id = f.id AND m.fiscal_year >= f.fy
     ), own_fy AS (
       SELECT jurisdiction_code AS code, min(fy) AS fy FROM forum_fy WHERE jurisdiction_code IS NOT NULL GROUP BY jurisdiction_code
     ), region_fy AS (
       SELECT region_id AS id, min(fy) AS fy FROM forum_fy WHERE region_id IS NOT NULL GROUP BY region_id
     ), municipality_fy AS (
       SELECT jurisdiction_code AS code, min(fy) AS fy FROM forum_fy WHERE level = 'MUNICIPALITY' GROUP BY jurisdiction_code
     ), own_met AS (
       SELECT DISTINCT jurisdiction_code AS code, fy FROM forum_met WHERE jurisdiction_code IS NOT NULL
     ), region_met AS (
       SELECT DISTINCT region_id AS id, fy FROM forum_met WHERE region_id IS NOT NULL
     ), municipality_met AS (
       SELECT DISTINCT jurisdiction_code AS code, fy FROM forum_met WHERE level = 'MUNICIPALITY'
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
     ), met_item AS (
       SELECT k.code, 'OWN' AS tier, o.fy FROM k JOIN own_met o ON o.code = k.code WHERE k.kind <> 'ADMINISTRATIVE_WARD'
       UNION ALL
       SELECT a.code, 'REGION', r.fy FROM area_region a JOIN region_met r ON r.id = a.id
       UNION ALL
       SELECT a.code, 'MUNICIPALITY', m.fy FROM area_municipality a JOIN municipality_met m ON m.code = a.municipality
     )
     SELECT k.code, i.tier, i.fy, count(i.tier)::int AS n, false AS met
       FROM k LEFT JOIN item i ON i.code = k.code
      GROUP BY k.code, i.tier, i.fy
     UNION ALL
     SELECT code, tier, fy, count(*)::int, true FROM met_item GROUP BY code, tier, fy`,
    [codes, currentYear],
  );
  const byCode = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byCode.get(r.code);
    if (list) list.push(r);
    else byCode.set(r.code, [r]);
  }
  return [...byCode].map(([code, list]) => ({ code, coverage: coverageOf(list, currentYear) }));
}

/**
 * A jurisdiction's forum coverage from its counted items: today's counts, and for every fiscal year
 * from the first in which a forum of its area was set up or met through the current one, the
 * counts at that year's end and the forums that met in it.
 */
function coverageOf(items: readonly CountedItem[], currentYear: number): ForumCoverage {
  const setUp = items.filter((i) => !i.met);
  const met = items.filter((i) => i.met);
  const counted = (tier: string) => setUp.filter((i) => i.tier === tier).reduce((s, i) => s + i.n, 0);
  const known = items.filter((i) => i.tier !== null && i.fy !== null).map((i) => i.fy!);
  const first = known.length > 0 ? Math.min(...known) : null;
  const last = Math.max(currentYear, ...known);
  const upTo = (tier: string, year: number) => setUp.filter((i) => i.tier === tier && i.fy !== null && i.fy <= year).reduce((s, i) => s + i.n, 0);
  const metIn = (tier: string, year: number) => met.filter((i) => i.tier === tier && i.fy === year).reduce((s, i) => s + i.n, 0);
  const history: ForumCoverageYear[] = [];
  for (let fiscalYear = first ?? last + 1; fiscalYear <= last; fiscalYear++) {
    history.push({
      fiscalYear,
      ownForum: upTo('OWN', fiscalYear) > 0,
      regionsWithForum: upTo('REGION', fiscalYear),
      municipalitiesWithForum: upTo('MUNICIPALITY', fiscalYear),
      ownForumMet: metIn('OWN', fiscalYear) > 0,
      regionsWithForumMet: metIn('REGION', fiscalYear),
      municipalitiesWithForumMet: metIn('MUNICIPALITY', fiscalYear),
    });
  }
  return {
    ownForum: setUp.some((i) => i.tier === 'OWN' && i.fy !== null),
    regions: counted('REGION'),
    regionsWithForum: setUp.filter((i) => i.tier === 'REGION' && i.fy !== null).reduce((s, i) => s + i.n, 0),
    municipalities: counted('MUNICIPALITY'),
    municipalitiesWithForum: setUp.filter((i) => i.tier === 'MUNICIPALITY' && i.fy !== null).reduce((s, i) => s + i.n, 0),
    history,
  };
}
