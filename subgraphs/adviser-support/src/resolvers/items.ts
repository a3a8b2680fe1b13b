import type { ProgramItem } from '../entities/program';
import { MANDATORY_ITEM, PROMOTION_ITEMS } from '../program';

/** The ProgramItem objects of item numbers (unknown numbers left out). */
export function itemsOf(numbers: readonly number[]): ProgramItem[] {
  return numbers.flatMap((n) => {
    const item = PROMOTION_ITEMS.find((i) => i.number === n);
    return item ? [{ ...item, mandatory: n === MANDATORY_ITEM }] : [];
  });
}
