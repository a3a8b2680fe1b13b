import { fiscalYearOf, whereAny, groupLoader, rowLoader } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { DailyLifeArea } from './entities/daily-life-area';
import { Forum, ForumMember } from './entities/forum';
import type { ForumCoverage, ForumCoverageYear } from './entities/forum-coverage';
import { Jurisdiction } from './entities/jurisdiction';
import { Organization } from './entities/organization';
import { Region } from './entities/region';

/** The directory's loaders for one request: one SQL statement per loader per tick, whatever the number of keys. */
export function createLoaders(db: DataSource) {
  const jurisdictions = db.getRepository(Jurisdiction);
  const organizations = db.getRepository(Organization);
  const forums = db.getRepository(Forum);
  return {
    jurisdiction: rowLoader((codes: readonly string[]) => whereAny(jurisdictions, 'code', codes).getMany(), (j) => j.code),
    childrenOf: groupLoader(
      (codes: readonly string[]) => whereAny(jurisdictions, 'parent_code', codes).orderBy('x.code').getMany(),
      (j) => j.parentCode ?? '',
    ),
    municipalitiesOfRegion: groupLoader(
      // Administrative wards share their city's region; a region lists municipalities only.
      (ids: readonly string[]) =>
        jurisdictions
          .createQueryBuilder('j')
          .where('j.region_id = ANY(:ids)', { ids })
          .andWhere("j.kind <> 'ADMINISTRATIVE_WARD'")
          .orderBy('j.code')
          .getMany(),
      (j) => j.regionId ?? '',
    ),
    region: rowLoader((ids: readonly string[]) => whereAny(db.getRepository(Region), 'id', ids).getMany(), (r) => r.id),
    dailyLifeArea: rowLoader((ids: readonly string[]) => whereAny(db.getRepository(DailyLifeArea), 'id', ids).getMany(), (a) => a.id),
    dailyLifeAreasOf: groupLoader(
      (codes: readonly string[]) => whereAny(db.getRepository(DailyLifeArea), 'municipality_code', codes).orderBy('x.id').getMany(),
      (a) => a.municipalityCode,
    ),
    organization: rowLoader((ids: readonly string[]) => whereAny(organizations, 'id', ids).getMany(), (o) => o.id),
    organizationsAt: groupLoader(
      (codes: readonly string[]) => whereAny(organizations, 'jurisdiction_code', codes).orderBy('x.name').addOrderBy('x.id').getMany(),
      (o) => o.jurisdictionCode,
    ),
    organizationsInArea: groupLoader(
      async (ids: readonly string[]) => {
        const rows = await organizations
          .createQueryBuilder('o')
          .where('o.daily_life_area_ids && :ids::text[]', { ids })
          .orderBy('o.name')
          .addOrderBy('o.id')
          .getMany();
        // One organisation may serve several of the areas asked for: list it under each.
        return rows.flatMap((o) => o.dailyLifeAreaIds.filter((id) => ids.includes(id)).map((areaId) => ({ areaId, o })));
      },
      (row) => row.areaId,
    ),
    forum: rowLoader((ids: readonly string[]) => whereAny(forums, 'id', ids).getMany(), (f) => f.id),
    forumOfJurisdiction: rowLoader(
      (codes: readonly string[]) => whereAny(forums, 'jurisdiction_code', codes).getMany(),
      (f) => f.jurisdictionCode ?? '',
    ),
    forumOfRegion: rowLoader((ids: readonly string[]) => whereAny(forums, 'region_id', ids).getMany(), (f) => f.regionId ?? ''),
    /** Forums at each tier for each jurisdiction's area: one statement for any number of codes. */
    forumCoverage: rowLoader(
      async (codes: readonly string[]) => {
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
      },
      (r) => r.code,
    ),
    membersOf: groupLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(ForumMember), 'forum_id', ids).orderBy('x.forum_id').addOrderBy('x.position').getMany(),
      (m) => m.forumId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

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
