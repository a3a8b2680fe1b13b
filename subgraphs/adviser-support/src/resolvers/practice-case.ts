import { connectionTypes, LocalGovCodeScalar, PageArgs, requireUuid } from '@nimo/kit';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Jurisdiction } from '../entities/external';
import { PracticeCase } from '../entities/practice-case';
import { ProgramItem } from '../entities/program';
import { listPracticeCases } from '../practice-cases';
import { itemsOf } from './items';

export const { Connection: PracticeCaseConnection } = connectionTypes(PracticeCase, 'PracticeCase', 'practice case');

@InputType({ description: 'Filters for `practiceCases`; all given filters apply together.' })
export class PracticeCaseFilter {
  @Field(() => String, {
    nullable: true,
    description:
      "Text search, anywhere in the title, summary, tags and the jurisdiction's name or kana reading; Japanese or English, " +
      'full- or half-width, katakana or hiragana alike (e.g. "ピア", "ぴあ", "住まい", "横浜").',
  })
  search?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only cases addressing this item (1–14).' })
  item?: number | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only cases of jurisdictions in this prefecture (e.g. "140007" 神奈川県).' })
  prefectureCode?: string | null;
}

@Resolver(() => PracticeCase)
export class PracticeCaseResolver {
  @Query(() => PracticeCase, { nullable: true, description: 'A practice case by id; null when unknown. Public.' })
  practiceCase(@Arg('id', () => ID, { description: 'The case id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<PracticeCase | null> {
    return ctx.loaders.practiceCase.load(requireUuid('id', id));
  }

  @Query(() => PracticeCaseConnection, {
    description:
      'Practice cases (事例集) for the portal, in id order, filtered, a page at a time. Public. The text search is a LIKE on a ' +
      'normalised column (NFKC, lower case, katakana folded to hiragana).',
  })
  practiceCases(
    @Arg('filter', () => PracticeCaseFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: PracticeCaseFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listPracticeCases(ctx, filter, page);
  }

  @FieldResolver(() => Jurisdiction, { description: 'The jurisdiction the practice is from.' })
  jurisdiction(@Root() c: PracticeCase): Jurisdiction {
    return { code: c.jurisdictionCode };
  }

  @FieldResolver(() => [ProgramItem], { description: 'The items addressed, with their names.' })
  items(@Root() c: PracticeCase): ProgramItem[] {
    return itemsOf(c.itemNumbers);
  }
}
