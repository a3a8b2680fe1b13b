import { groupLoader, rowLoader } from '@nimo/kit';
import { In, type DataSource } from 'typeorm';
import { DailyLifeArea } from './entities/daily-life-area';
import { Forum, ForumMember } from './entities/forum';
import { Jurisdiction } from './entities/jurisdiction';
import { Organization } from './entities/organization';
import { Region } from './entities/region';

/** The directory's loaders for one request: one SQL statement per loader per tick, whatever the number of keys. */
export function createLoaders(db: DataSource) {
  const jurisdictions = db.getRepository(Jurisdiction);
  const organizations = db.getRepository(Organization);
  const forums = db.getRepository(Forum);
  return {
    jurisdiction: rowLoader((codes: readonly string[]) => jurisdictions.findBy({ code: In([...codes]) }), (j) => j.code),
    childrenOf: groupLoader(
      (codes: readonly string[]) => jurisdictions.find({ where: { parentCode: In([...codes]) }, order: { code: 'ASC' } }),
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
    region: rowLoader((ids: readonly string[]) => db.getRepository(Region).findBy({ id: In([...ids]) }), (r) => r.id),
    dailyLifeArea: rowLoader((ids: readonly string[]) => db.getRepository(DailyLifeArea).findBy({ id: In([...ids]) }), (a) => a.id),
    dailyLifeAreasOf: groupLoader(
      (codes: readonly string[]) =>
        db.getRepository(DailyLifeArea).find({ where: { municipalityCode: In([...codes]) }, order: { id: 'ASC' } }),
      (a) => a.municipalityCode,
    ),
    organization: rowLoader((ids: readonly string[]) => organizations.findBy({ id: In([...ids]) }), (o) => o.id),
    organizationsAt: groupLoader(
      (codes: readonly string[]) => organizations.find({ where: { jurisdictionCode: In([...codes]) }, order: { name: 'ASC', id: 'ASC' } }),
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
    forum: rowLoader((ids: readonly string[]) => forums.findBy({ id: In([...ids]) }), (f) => f.id),
    forumOfJurisdiction: rowLoader(
      (codes: readonly string[]) => forums.findBy({ jurisdictionCode: In([...codes]) }),
      (f) => f.jurisdictionCode ?? '',
    ),
    forumOfRegion: rowLoader((ids: readonly string[]) => forums.findBy({ regionId: In([...ids]) }), (f) => f.regionId ?? ''),
    membersOf: groupLoader(
      (ids: readonly string[]) => db.getRepository(ForumMember).find({ where: { forumId: In([...ids]) }, order: { forumId: 'ASC', position: 'ASC' } }),
      (m) => m.forumId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
