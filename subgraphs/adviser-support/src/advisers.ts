import { forbidden, requireFiscalYear, scopeCovers, scopeWhere } from '@nimo/kit';
import type { Context } from './context';
import { Adviser, PromotionSupporter } from './entities/adviser';
import type { AdviserKind } from './enums';
import { policy } from './policy';

/** The adviser organisation's roster (advisers, construction promotion supporters): reads, the policy applied. */

/** The advisers the principal may see, wide-area first, by name. */
export function advisers(ctx: Context, kind: AdviserKind | null): Promise<Adviser[]> {
  const scope = scopeWhere(policy.advisers.read(ctx.principal), {});
  const query = ctx.db.getRepository(Adviser).createQueryBuilder('a').where(scope.sql, scope.params);
  if (kind) query.andWhere('a.kind = :kind', { kind });
  return query.orderBy('a.kind', 'DESC').addOrderBy('a.display_name').getMany();
}

/** The construction promotion supporters of a jurisdiction in a fiscal year (FORBIDDEN outside the policy). */
export function promotionSupporters(ctx: Context, jurisdictionCode: string, fiscalYear: number): Promise<PromotionSupporter[]> {
  if (!scopeCovers(policy.advisers.read(ctx.principal), { jurisdictionCode })) throw forbidden('You may not see the construction promotion supporters.');
  return ctx.db
    .getRepository(PromotionSupporter)
    .find({ where: { jurisdictionCode, fiscalYear: requireFiscalYear(fiscalYear) }, order: { displayName: 'ASC' } });
}
