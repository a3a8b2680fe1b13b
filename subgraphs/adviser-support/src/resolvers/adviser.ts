import { LocalGovCodeScalar, requireFiscalYear, requireUuid } from '@nimo/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Adviser, PromotionSupporter } from '../entities/adviser';
import { Jurisdiction } from '../entities/external';
import { ProgramItem } from '../entities/program';
import { AdviserKind } from '../enums';
import { advisers, promotionSupporters } from '../advisers';
import { yearKey } from '../loaders';
import { itemsOf } from './items';

@Resolver(() => Adviser)
export class AdviserResolver {
  @Query(() => Adviser, { nullable: true, description: 'An adviser by id; null when unknown or when the principal may not see advisers.' })
  adviser(@Arg('id', () => ID, { description: 'The adviser id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<Adviser | null> {
    return ctx.loaders.adviser.load(requireUuid('id', id));
  }

  @Query(() => [Adviser], {
    description:
      'The advisers of the national adviser organisation, wide-area first, by name. Government staff and the adviser organisation; others get an empty list.',
  })
  advisers(
    @Arg('kind', () => AdviserKind, { nullable: true, description: 'Only advisers of this kind.' }) kind: AdviserKind | null,
    @Ctx() ctx: Context,
  ): Promise<Adviser[]> {
    return advisers(ctx, kind);
  }

  @Query(() => [PromotionSupporter], {
    nullable: true,
    description:
      'The construction promotion supporters (構築推進サポーター) registered with a jurisdiction for a fiscal year. Government staff and the adviser organisation; others get FORBIDDEN.',
  })
  promotionSupporters(
    @Arg('jurisdictionCode', () => LocalGovCodeScalar, { description: 'The jurisdiction.' }) jurisdictionCode: string,
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year, e.g. 2023.' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<PromotionSupporter[]> {
    return promotionSupporters(ctx, jurisdictionCode, fiscalYear);
  }

  @FieldResolver(() => [Jurisdiction], { description: 'The jurisdictions the adviser is assigned to for a fiscal year, in code order.' })
  async assignments(
    @Root() a: Adviser,
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year, e.g. 2023.' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<Jurisdiction[]> {
    return (await ctx.loaders.assignmentsOf.load(yearKey(a.id, requireFiscalYear(fiscalYear)))).map((s) => ({ code: s.jurisdictionCode }));
  }

  @FieldResolver(() => [ProgramItem], { description: 'The items the adviser is experienced in, with their names.' })
  expertiseAreas(@Root() a: Adviser): ProgramItem[] {
    return itemsOf(a.expertiseItems);
  }
}

@Resolver(() => PromotionSupporter)
export class PromotionSupporterResolver {
  @FieldResolver(() => Jurisdiction, { description: 'The jurisdiction the supporter backs up.' })
  jurisdiction(@Root() s: PromotionSupporter): Jurisdiction {
    return { code: s.jurisdictionCode };
  }
}
