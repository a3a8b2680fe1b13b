import { connectionTypes, containsPattern, LocalGovCodeScalar, PageArgs, paginate, requireUuid, searchText, toHiragana } from '@nimo/kit';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Jurisdiction } from '../entities/jurisdiction';
import { PracticeCase } from '../entities/practice-case';
import { ProgramItem } from '../entities/program';
import { requireItem } from '../program';
import { itemsOf } from './items';

export const { Connection: PracticeCaseConnection } = connectionTypes(PracticeCase, 'PracticeCase', 'practice case');

/** The normalised form practice cases are searched in: NFKC, lower case, katakana as hiragana. */
export const normaliseForSearch = (text: string): string => toHiragana(text.normalize('NFKC').toLowerCase());

@InputType({ description: 'Filters for `practiceCases`; all given filters apply together.' })
export class PracticeCaseFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Text search, anywhere in the title, summary, tags and the jurisdiction\'s name or kana reading; Japanese or English, ' +
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
    const query = ctx.db.getRepository(PracticeCase).createQueryBuilder('c');
    if (filter?.search !== null && filter?.search !== undefined) {
      query.andWhere('c.search_text LIKE :text', { text: containsPattern(normaliseForSearch(searchText('filter.search', filter.search))) });
    }
    if (filter?.item !== null && filter?.item !== undefined) query.andWhere(':item = ANY(c.item_numbers)', { item: requireItem(filter.item, 'filter.item') });
    if (filter?.prefectureCode) query.andWhere('left(c.jurisdiction_code, 2) = :prefix', { prefix: filter.prefectureCode.slice(0, 2) });
    return paginate(query, [{ sql: 'c.id', value: (c) => c.id }], page);
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
