import { badUserInput, nationalCodeList, PROGRAM_ITEM_COUNT, type JurisdictionRow } from '@nimo/kit';
import { Program } from './enums';
import { MANDATORY_ITEM, mayRun, RUNNERS } from './program';

/** The adviser-support subgraph's checks of client input (BAD_USER_INPUT naming the argument). */

/** A jurisdiction of the national code list, or BAD_USER_INPUT. */
export function requireJurisdiction(code: string, field = 'jurisdictionCode'): JurisdictionRow {
  const row = nationalCodeList().byCode.get(code);
  if (!row) throw badUserInput(`${field}: ${code} is not a local government of the national code list.`, { argument: field });
  if (row.administrationSuspended) throw badUserInput(`${field}: ${code} ${row.name} is not under Japan's administration today.`, { argument: field });
  return row;
}

/** BAD_USER_INPUT unless the jurisdiction may run the program. */
export function requireEligible(program: Program, row: JurisdictionRow): void {
  if (!mayRun(program, row)) {
    throw badUserInput(`${row.code} ${row.name} (${row.kind}) cannot take part in ${program}: it is run by ${RUNNERS[program]}.`, {
      argument: 'jurisdictionCode',
    });
  }
}

/** BAD_USER_INPUT unless the items are 1–14, distinct, and (for the promotion program) include item 1. */
export function requireItems(program: Program, items: readonly number[], field = 'items'): number[] {
  if (program === Program.CONSTRUCTION_SUPPORT) {
    if (items.length > 0) throw badUserInput(`${field}: the construction support program has no items; leave ${field} empty.`, { argument: field });
    return [];
  }
  const bad = items.filter((i) => !Number.isInteger(i) || i < 1 || i > PROGRAM_ITEM_COUNT);
  if (bad.length > 0) throw badUserInput(`${field}: items are numbered 1 to 14; got ${bad.join(', ')}.`, { argument: field });
  if (new Set(items).size !== items.length) throw badUserInput(`${field}: each item may be listed once.`, { argument: field });
  if (!items.includes(MANDATORY_ITEM)) {
    throw badUserInput(
      `${field}: item 1 (保健・医療・福祉関係者による協議の場の設置, a consultation forum) is mandatory in the construction promotion program.`,
      { argument: field },
    );
  }
  return [...items].sort((a, b) => a - b);
}
