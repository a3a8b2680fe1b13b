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
