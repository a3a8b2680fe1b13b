import { badUserInput } from '@nimo/kit';

/** The training subgraph's checks of client input (BAD_USER_INPUT naming the argument). */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO calendar date argument (YYYY-MM-DD) that exists. */
export function requireDate(argument: string, value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw badUserInput(`\`${argument}\` must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}.`, { argument });
  }
  return value;
}

/** Free text: NFKC, trimmed, 1 to `max` characters. */
export function requireText(argument: string, value: string, max: number): string {
  const trimmed = value.normalize('NFKC').trim();
  if (trimmed.length === 0 || trimmed.length > max) throw badUserInput(`\`${argument}\` must have 1 to ${max} characters.`, { argument });
  return trimmed;
}

/** A construction promotion program item (1–14), or null when none is given. */
export function requireProgramItem(value: number | null | undefined, argument = 'programItem'): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > 14) throw badUserInput(`\`${argument}\` must be a program item from 1 to 14, got ${value}.`, { argument });
  return value;
}
