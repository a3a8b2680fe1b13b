import { containsPattern, paginate, requireProgramItem, searchText, toHiragana, type PageArgs } from '@nimo/kit';
import type { Context } from './context';
import { PracticeCase } from './entities/practice-case';

/** Practice cases (事例集): public reads. */

/** The normalised form practice cases are searched in: NFKC, lower case, katakana as hiragana. */
export const normaliseForSearch = (text: string): string => toHiragana(text.normalize('NFKC').toLowerCase());

export interface PracticeCaseFilterArgs {
  readonly search?: string | null;
  readonly item?: number | null;
  readonly prefectureCode?: string | null;
}

/** Practice cases in id order, filtered, a page at a time. */
export function listPracticeCases(ctx: Context, filter: PracticeCaseFilterArgs | null, page: PageArgs) {
  const query = ctx.db.getRepository(PracticeCase).createQueryBuilder('c');
  if (filter?.search !== null && filter?.search !== undefined) {
    query.andWhere('c.search_text LIKE :text', { text: containsPattern(normaliseForSearch(searchText('filter.search', filter.search))) });
  }
  if (filter?.item !== null && filter?.item !== undefined)
    query.andWhere(':item = ANY(c.item_numbers)', { item: requireProgramItem('filter.item', filter.item) });
  if (filter?.prefectureCode) query.andWhere('left(c.jurisdiction_code, 2) = :prefix', { prefix: filter.prefectureCode.slice(0, 2) });
  return paginate(query, [{ sql: 'c.id', value: (c) => c.id }], page);
}
