import { whereAny, groupLoader, keyedLoader, rowLoader } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { DailyLifeArea } from './entities/daily-life-area';
import { Forum, ForumMember } from './entities/forum';
import { ForumCycle, ForumMeeting } from './entities/forum-record';
import { Jurisdiction } from './entities/jurisdiction';
import { Organization } from './entities/organization';
import { Region } from './entities/region';
import { forumCoverages, meetingCountsOf } from './figures';

/** The directory's loaders for one request: one SQL statement per loader per tick, whatever the number of keys. */
export function createLoaders(db: DataSource) {
  const jurisdictions = db.getRepository(Jurisdiction);
  const organizations = db.getRepository(Organization);
  const forums = db.getRepository(Forum);
  return {
    jurisdiction: rowLoader(
      (codes: readonly string[]) => whereAny(jurisdictions, 'code', codes).getMany(),
      (j) => j.code,
    ),
    childrenOf: groupLoader(
      (codes: readonly string[]) => whereAny(jurisdictions, 'parent_code', codes).orderBy('x.code').getMany(),
      (j) => j.parentCode ?? '',
    ),
    municipalitiesOfRegion: groupLoader(
      // Administrative wards share their city's region; a region lists municipalities only.
      (ids: readonly string[]) =>
        jurisdictions.createQueryBuilder('j').where('j.region_id = ANY(:ids)', { ids }).andWhere("j.kind <> 'ADMINISTRATIVE_WARD'").orderBy('j.code').getMany(),
      (j) => j.regionId ?? '',
    ),
    region: rowLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(Region), 'id', ids).getMany(),
      (r) => r.id,
    ),
    dailyLifeArea: rowLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(DailyLifeArea), 'id', ids).getMany(),
      (a) => a.id,
    ),
    dailyLifeAreasOf: groupLoader(
      (codes: readonly string[]) => whereAny(db.getRepository(DailyLifeArea), 'municipality_code', codes).orderBy('x.id').getMany(),
      (a) => a.municipalityCode,
    ),
    organization: rowLoader(
      (ids: readonly string[]) => whereAny(organizations, 'id', ids).getMany(),
      (o) => o.id,
    ),
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
    forum: rowLoader(
      (ids: readonly string[]) => whereAny(forums, 'id', ids).getMany(),
      (f) => f.id,
    ),
    forumOfJurisdiction: rowLoader(
      (codes: readonly string[]) => whereAny(forums, 'jurisdiction_code', codes).getMany(),
      (f) => f.jurisdictionCode ?? '',
    ),
    forumOfRegion: rowLoader(
      (ids: readonly string[]) => whereAny(forums, 'region_id', ids).getMany(),
      (f) => f.regionId ?? '',
    ),
    /** Forums at each tier for each jurisdiction's area: one statement for any number of codes, reused until the data changes. */
    forumCoverage: keyedLoader((codes: readonly string[]) => forumCoverages(db, codes)),
    meeting: rowLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(ForumMeeting), 'id', ids).getMany(),
      (m) => m.id,
    ),
    /** Every meeting of each forum, newest first (filtered by fiscal year in memory: one statement for any forums and years). */
    meetingsOf: groupLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(ForumMeeting), 'forum_id', ids).orderBy('x.held_on', 'DESC').addOrderBy('x.id', 'DESC').getMany(),
      (m) => m.forumId,
    ),
    /**
     * How many meetings each forum held, per fiscal year: counted in SQL, so that a count over every
     * forum of the nation (meetingsLastYear, meetingsHeld) reads no minutes. One statement for any forums.
     */
    meetingCounts: keyedLoader((ids: readonly string[]) => meetingCountsOf(db, ids)),
    /** Every PDCA cycle of each forum, newest fiscal year first. */
    cyclesOf: groupLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(ForumCycle), 'forum_id', ids).orderBy('x.fiscal_year', 'DESC').getMany(),
      (c) => c.forumId,
    ),
    membersOf: groupLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(ForumMember), 'forum_id', ids).orderBy('x.forum_id').addOrderBy('x.position').getMany(),
      (m) => m.forumId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
