import { containsPattern, paginate, searchText, toHiragana, type PageArgs } from '@nimo/kit';
import type { Context } from './context';
import { Jurisdiction } from './entities/jurisdiction';
import { MUNICIPAL_KINDS, type JurisdictionKind } from './enums';
import { regionId } from './validate';

/** The jurisdiction aggregate: the national code list's reads (by one code through the loaders). */

export interface JurisdictionFilterArgs {
  readonly kinds?: readonly JurisdictionKind[] | null;
  readonly municipalitiesOnly?: boolean | null;
  readonly prefectureCode?: string | null;
  readonly parentCode?: string | null;
  readonly regionId?: string | null;
  readonly search?: string | null;
  readonly includeAdministrationSuspended?: boolean | null;
}

/** Jurisdictions in code order, filtered, a page at a time (the Northern Territories villages only when asked for). */
export function listJurisdictions(ctx: Context, filter: JurisdictionFilterArgs | null, page: PageArgs) {
  const query = ctx.db.getRepository(Jurisdiction).createQueryBuilder('j');
  if (filter?.kinds?.length) query.andWhere('j.kind IN (:...kinds)', { kinds: filter.kinds });
  if (filter?.municipalitiesOnly) query.andWhere('j.kind IN (:...municipal)', { municipal: MUNICIPAL_KINDS });
  if (filter?.prefectureCode) query.andWhere('j.prefecture_code = :prefecture', { prefecture: filter.prefectureCode });
  if (filter?.parentCode) query.andWhere('j.parent_code = :parent', { parent: filter.parentCode });
  if (filter?.regionId) query.andWhere('j.region_id = :region', { region: regionId('filter.regionId', filter.regionId) });
  if (filter?.search !== undefined && filter.search !== null) {
    const text = searchText('filter.search', filter.search);
    query.andWhere('(j.name LIKE :name OR j.name_kana LIKE :kana)', { name: containsPattern(text), kana: containsPattern(toHiragana(text)) });
  }
  if (!filter?.includeAdministrationSuspended) query.andWhere('NOT j.administration_suspended');
  return paginate(query, [{ sql: 'j.code', value: (j) => j.code }], page);
}
