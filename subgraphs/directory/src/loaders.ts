import { GenerationCache, intFromEnv, whereAny, groupLoader, keyedLoader, rowLoader } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { DailyLifeArea } from './entities/daily-life-area';
import { Forum, ForumMember } from './entities/forum';
import { ForumCycle, ForumMeeting } from './entities/forum-record';
import { Jurisdiction } from './entities/jurisdiction';
import { Organization } from './entities/organization';
import { Region } from './entities/region';
import { forumCoverages, meetingCountsOf } from './figures';

/** Per key: every jurisdiction (a few thousand). */
const MAX_KEPT = 8192;
const childrenKept = new GenerationCache<Jurisdiction[]>(MAX_KEPT);
/** A jurisdiction's own forum: a list of one or none (a unique index). */
const forumsOfJurisdictionKept = new GenerationCache<Forum[]>(MAX_KEPT);

/**
 * Rows that a national overview reads in full (every municipality, every municipality's forum), reused
 * across requests until the directory's data changes (kit `GenerationCache`; the
 * DirectoryFiguresGeneration triggers on jurisdiction and forum), so that no answer reads and decodes
 * them again: one generation read, and for the keys not kept one statement, grouped by `keyOf`.
 */
function keptGroups<V>(
  db: DataSource,
  cache: GenerationCache<V[]>,
  keys: readonly string[],
  fetch: (missing: readonly string[]) => Promise<V[]>,
  keyOf: (row: V) => string,
): Promise<V[][]> {
  return cache.getMany(db, keys, intFromEnv('FIGURES_MAX_AGE_MS', 300_000), (missing) => {
    const grouped = fetch(missing).then((rows) => {
      const byKey = new Map<string, V[]>();
      for (const row of rows) {
        const list = byKey.get(keyOf(row));
        if (list) list.push(row);
        else byKey.set(keyOf(row), [row]);
      }
      return byKey;
    });
    return missing.map((key) => grouped.then((byKey) => byKey.get(key) ?? []));
  });
}

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
    /** The children of each jurisdiction, by code (reused until the data changes: a national overview lists every municipality). */
    childrenOf: keyedLoader((codes: readonly string[]) =>
      keptGroups(
        db,
        childrenKept,
        codes,
        (missing) => whereAny(jurisdictions, 'parent_code', missing).orderBy('x.code').getMany(),
        (j) => j.parentCode ?? '',
      ),
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
    /** Each jurisdiction's own forum (reused until the data changes: a national overview asks every municipality's). */
    forumOfJurisdiction: keyedLoader(async (codes: readonly string[]) =>
      (
        await keptGroups(
          db,
          forumsOfJurisdictionKept,
          codes,
          (missing) => whereAny(forums, 'jurisdiction_code', missing).getMany(),
          (f) => f.jurisdictionCode ?? '',
        )
      ).map((list): Forum | null => list[0] ?? null),
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
