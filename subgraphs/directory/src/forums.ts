import { paginate, type PageArgs } from '@nimo/kit';
import type { Context } from './context';
import { Forum } from './entities/forum';
import type { ForumLevel } from './enums';

/** The consultation forum aggregate (協議の場): forums at each tier and their members. */

export interface ForumFilterArgs {
  readonly level?: ForumLevel | null;
  readonly prefectureCode?: string | null;
}

/** Consultation forums ordered by prefecture, then id; filtered, a page at a time. */
export function listForums(ctx: Context, filter: ForumFilterArgs | null, page: PageArgs) {
  const query = ctx.db.getRepository(Forum).createQueryBuilder('f');
  if (filter?.level) query.andWhere('f.level = :level', { level: filter.level });
  if (filter?.prefectureCode) query.andWhere('f.prefecture_code = :prefecture', { prefecture: filter.prefectureCode });
  return paginate(
    query,
    [
      { sql: 'f.prefecture_code', value: (f) => f.prefectureCode },
      { sql: 'f.id', value: (f) => f.id },
    ],
    page,
  );
}
