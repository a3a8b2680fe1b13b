import { containsPattern, paginate, searchText, type PageArgs } from '@nimo/kit';
import type { Context } from './context';
import { Organization } from './entities/organization';
import { SERVICE_KINDS, type ServiceCategory, type ServiceKind } from './enums';
import { dailyLifeAreaId } from './validate';

/** The organisation aggregate: the directory's organisations and the services they provide. */

export interface OrganizationFilterArgs {
  readonly serviceKinds?: readonly ServiceKind[] | null;
  readonly categories?: readonly ServiceCategory[] | null;
  readonly servesJurisdiction?: string | null;
  readonly locatedIn?: string | null;
  readonly prefectureCode?: string | null;
  readonly dailyLifeAreaId?: string | null;
  readonly search?: string | null;
}

/** Organisations ordered by the jurisdiction they are in, then by name; filtered, a page at a time. */
export function listOrganizations(ctx: Context, filter: OrganizationFilterArgs | null, page: PageArgs) {
  const query = ctx.db.getRepository(Organization).createQueryBuilder('o');
  if (filter?.serviceKinds?.length) query.andWhere('o.services && :kinds::text[]', { kinds: filter.serviceKinds });
  if (filter?.categories?.length) {
    const kinds = Object.entries(SERVICE_KINDS)
      .filter(([, v]) => filter.categories?.includes(v.category))
      .map(([k]) => k);
    query.andWhere('o.services && :categoryKinds::text[]', { categoryKinds: kinds });
  }
  if (filter?.servesJurisdiction) query.andWhere(':serves = ANY(o.service_area_codes)', { serves: filter.servesJurisdiction });
  if (filter?.locatedIn) query.andWhere('o.jurisdiction_code = :located', { located: filter.locatedIn });
  if (filter?.prefectureCode) query.andWhere('o.prefecture_code = :prefecture', { prefecture: filter.prefectureCode });
  if (filter?.dailyLifeAreaId) {
    query.andWhere(':area = ANY(o.daily_life_area_ids)', { area: dailyLifeAreaId('filter.dailyLifeAreaId', filter.dailyLifeAreaId) });
  }
  if (filter?.search !== undefined && filter.search !== null) {
    query.andWhere('o.name LIKE :name', { name: containsPattern(searchText('filter.search', filter.search)) });
  }
  return paginate(
    query,
    [
      { sql: 'o.jurisdiction_code', value: (o) => o.jurisdictionCode },
      { sql: 'o.name', value: (o) => o.name },
      { sql: 'o.id', value: (o) => o.id },
    ],
    page,
  );
}
