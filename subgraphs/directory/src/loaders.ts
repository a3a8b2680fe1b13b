import { groupLoader, rowLoader } from '@nimo/kit';
import type { DataSource, ObjectLiteral, Repository } from 'typeorm';
import { DailyLifeArea } from './entities/daily-life-area';
import { Forum, ForumMember } from './entities/forum';
import type { ForumCoverage } from './entities/forum-coverage';
import { Jurisdiction } from './entities/jurisdiction';
import { Organization } from './entities/organization';
import { Region } from './entities/region';

/**
 * Rows whose `column` (a database column name) is one of `keys`, as `x`: one array parameter
 * (`= ANY($1)`), where TypeORM's In() binds and escapes a parameter per key — 1,900 of them for the
 * national overview's municipalities, a few milliseconds of the directory's CPU per request.
 */
const anyOf = <T extends ObjectLiteral>(repository: Repository<T>, column: string, keys: readonly string[]) =>
  repository.createQueryBuilder('x').where(`x.${column} = ANY(:keys)`, { keys: [...keys] });

/** The directory's loaders for one request: one SQL statement per loader per tick, whatever the number of keys. */
export function createLoaders(db: DataSource) {
  const jurisdictions = db.getRepository(Jurisdiction);
  const organizations = db.getRepository(Organization);
  const forums = db.getRepository(Forum);
  return {
    jurisdiction: rowLoader((codes: readonly string[]) => anyOf(jurisdictions, 'code', codes).getMany(), (j) => j.code),
    childrenOf: groupLoader(
      (codes: readonly string[]) => anyOf(jurisdictions, 'parent_code', codes).orderBy('x.code').getMany(),
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
    region: rowLoader((ids: readonly string[]) => anyOf(db.getRepository(Region), 'id', ids).getMany(), (r) => r.id),
    dailyLifeArea: rowLoader((ids: readonly string[]) => anyOf(db.getRepository(DailyLifeArea), 'id', ids).getMany(), (a) => a.id),
    dailyLifeAreasOf: groupLoader(
      (codes: readonly string[]) => anyOf(db.getRepository(DailyLifeArea), 'municipality_code', codes).orderBy('x.id').getMany(),
      (a) => a.municipalityCode,
    ),
    organization: rowLoader((ids: readonly string[]) => anyOf(organizations, 'id', ids).getMany(), (o) => o.id),
    organizationsAt: groupLoader(
      (codes: readonly string[]) => anyOf(organizations, 'jurisdiction_code', codes).orderBy('x.name').addOrderBy('x.id').getMany(),
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
    forum: rowLoader((ids: readonly string[]) => anyOf(forums, 'id', ids).getMany(), (f) => f.id),
    forumOfJurisdiction: rowLoader(
      (codes: readonly string[]) => anyOf(forums, 'jurisdiction_code', codes).getMany(),
      (f) => f.jurisdictionCode ?? '',
    ),
    forumOfRegion: rowLoader((ids: readonly string[]) => anyOf(forums, 'region_id', ids).getMany(), (f) => f.regionId ?? ''),
    /** Forums at each tier for each jurisdiction's area: one statement for any number of codes. */
    forumCoverage: rowLoader(
      async (codes: readonly string[]) => {
        const rows = (await db.query(
          `SELECT k.code,
                  EXISTS (SELECT 1 FROM forum f WHERE f.jurisdiction_code = k.code AND j.kind <> 'ADMINISTRATIVE_WARD') AS own_forum,
                  (SELECT count(*) FROM region r WHERE (j.kind = 'PREFECTURE' AND r.prefecture_code = j.code) OR (j.kind NOT IN ('PREFECTURE','ADMINISTRATIVE_WARD') AND r.id = j.region_id))::int AS regions,
                  (SELECT count(*) FROM region r WHERE ((j.kind = 'PREFECTURE' AND r.prefecture_code = j.code) OR (j.kind NOT IN ('PREFECTURE','ADMINISTRATIVE_WARD') AND r.id = j.region_id))
                      AND EXISTS (SELECT 1 FROM forum f WHERE f.region_id = r.id))::int AS regions_with_forum,
                  (SELECT count(*) FROM jurisdiction m WHERE m.kind NOT IN ('PREFECTURE','ADMINISTRATIVE_WARD') AND NOT m.administration_suspended
                      AND (m.code = j.code OR (j.kind = 'PREFECTURE' AND m.prefecture_code = j.code)))::int AS municipalities,
                  (SELECT count(*) FROM jurisdiction m WHERE m.kind NOT IN ('PREFECTURE','ADMINISTRATIVE_WARD') AND NOT m.administration_suspended
                      AND (m.code = j.code OR (j.kind = 'PREFECTURE' AND m.prefecture_code = j.code))
                      AND EXISTS (SELECT 1 FROM forum f WHERE f.level = 'MUNICIPALITY' AND f.jurisdiction_code = m.code))::int AS municipalities_with_forum
             FROM unnest($1::text[]) AS k(code) JOIN jurisdiction j ON j.code = k.code`,
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
      (ids: readonly string[]) => anyOf(db.getRepository(ForumMember), 'forum_id', ids).orderBy('x.forum_id').addOrderBy('x.position').getMany(),
      (m) => m.forumId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
