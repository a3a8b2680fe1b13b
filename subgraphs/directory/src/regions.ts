import type { Context } from './context';
import { Region } from './entities/region';

/** The disability health and welfare region aggregate (障害保健福祉圏域, demo data). */

/** The regions of a prefecture, in id order. */
export function regionsOfPrefecture(ctx: Context, prefectureCode: string): Promise<Region[]> {
  return ctx.db.getRepository(Region).find({ where: { prefectureCode }, order: { id: 'ASC' } });
}
