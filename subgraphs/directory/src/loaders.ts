import { whereAny, groupLoader, rowLoader } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { DailyLifeArea } from './entities/daily-life-area';
import { Forum, ForumMember } from './entities/forum';
import type { ForumCoverage } from './entities/forum-coverage';
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
        // Set-based: each asked-for jurisdiction's regions and municipalities are listed once and
        // counted by GROUP BY (a statement with a subquery per row and column took 3 times as long).
        const rows = (await db.query(
          `WITH k AS (
             SELECT j.code, j.kind, j.region_id FROM unnest($1::text[]) AS u(code) JOIN jurisdiction j ON j.code = u.code
           ), area_region AS (
             SELECT k.code, r.id FROM k JOIN region r ON r.prefecture_code = k.code WHERE k.kind = 'PREFECTURE'
             UNION ALL
             SELECT k.code, k.region_id FROM k WHERE k.kind NOT IN ('PREFECTURE', 'ADMINISTRATIVE_WARD') AND k.region_id IS NOT NULL
           ), area_municipality AS (
             SELECT k.code, m.code AS municipality FROM k JOIN jurisdiction m ON m.prefecture_code = k.code OR m.code = k.code
              WHERE (k.kind = 'PREFECTURE' OR m.code = k.code) AND m.kind NOT IN ('PREFECTURE', 'ADMINISTRATIVE_WARD') AND NOT m.administration_suspended
           ), regions AS (
             SELECT a.code, count(*) AS n, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM forum f WHERE f.region_id = a.id)) AS with_forum
               FROM area_region a GROUP BY a.code
           ), municipalities AS (
             SELECT a.code, count(*) AS n,
                    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM forum f WHERE f.level = 'MUNICIPALITY' AND f.jurisdiction_code = a.municipality)) AS with_forum
               FROM area_municipality a GROUP BY a.code
           )
           SELECT k.code,
                  k.kind <> 'ADMINISTRATIVE_WARD' AND EXISTS (SELECT 1 FROM forum f WHERE f.jurisdiction_code = k.code) AS own_forum,
                  coalesce(r.n, 0)::int AS regions, coalesce(r.with_forum, 0)::int AS regions_with_forum,
                  coalesce(m.n, 0)::int AS municipalities, coalesce(m.with_forum, 0)::int AS municipalities_with_forum
             FROM k LEFT JOIN regions r ON r.code = k.code LEFT JOIN municipalities m ON m.code = k.code`,
          [codes],
        )) as { code: string; own_forum: boolean; regions: number; regions_with_forum: number; municipalities: number; municipalities_with_forum: number }[];
        return rows.map((r) => ({
          code: r.code,
          coverage: {
            ownForum: r.own_forum,
            regions: r.regions,
            regionsWithForum: r.regions_with_forum,
            municipalities: r.municipalities,
            municipalitiesWithForum: r.municipalities_with_forum,
          } satisfies ForumCoverage,
        }));
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
