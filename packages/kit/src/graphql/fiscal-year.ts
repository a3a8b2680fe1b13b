import { badUserInput } from './errors';

/**
 * Japan's fiscal year (年度) runs from 1 April to 31 March: FY2024 is 2024-04-01 … 2025-03-31.
 * Every figure "per fiscal year" in the hub uses these helpers.
 */
export const FISCAL_YEAR_MIN = 2000;

/**
 * A checked fiscal year: the one type a fiscal year travels in from a GraphQL argument
 * ({@link requireFiscalYear}) through loaders (as part of their keys) down to SQL parameters.
 */
export type FiscalYear = number & { readonly __brand: 'FiscalYear' };
export const FISCAL_YEAR_MAX = 2100;

/** The fiscal year a date falls in (by its date in Japan). */
export function fiscalYearOf(date: Date): FiscalYear {
  const jst = new Date(date.getTime() + 9 * 3600_000);
  return (jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1) as FiscalYear;
}

/** A day's date in Japan (YYYY-MM-DD); today's by default. */
export function dateInJapan(at: Date = new Date()): string {
  return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** First and last day of a fiscal year, as ISO dates (YYYY-MM-DD), inclusive. */
export function fiscalYearDates(fiscalYear: FiscalYear): { from: string; to: string } {
  return { from: `${fiscalYear}-04-01`, to: `${fiscalYear + 1}-03-31` };
}

/** BAD_USER_INPUT unless the argument is a plausible fiscal year. */
export function requireFiscalYear(value: number, field = 'fiscalYear'): FiscalYear {
  if (!Number.isInteger(value) || value < FISCAL_YEAR_MIN || value > FISCAL_YEAR_MAX) {
    throw badUserInput(`${field} must be a fiscal year between ${FISCAL_YEAR_MIN} and ${FISCAL_YEAR_MAX} (FY2024 = April 2024 to March 2025).`, {
      argument: field,
    });
  }
  return value as FiscalYear;
}

/**
 * The most fiscal years one trend field answers (`consultationSummaries(fromFiscalYear, toFiscalYear)`
 * and the like): ten, enough for a chart of a planning period and a half; more is BAD_USER_INPUT.
 */
export const MAX_FISCAL_YEAR_SPAN = 10;

/**
 * The fiscal years `from` … `to` (inclusive, oldest first), checked: each a fiscal year, `to` not
 * before `from`, at most {@link MAX_FISCAL_YEAR_SPAN} of them; BAD_USER_INPUT otherwise. Every trend
 * field (a plural of a one-year figure) takes its arguments through this.
 */
export function requireFiscalYearRange(from: number, to: number): FiscalYear[] {
  const first = requireFiscalYear(from, 'fromFiscalYear');
  const last = requireFiscalYear(to, 'toFiscalYear');
  if (last < first) throw badUserInput('toFiscalYear must not be before fromFiscalYear.', { field: 'toFiscalYear' });
  if (last - first + 1 > MAX_FISCAL_YEAR_SPAN) {
    throw badUserInput(`A range covers at most ${MAX_FISCAL_YEAR_SPAN} fiscal years (asked for ${last - first + 1}).`, { field: 'toFiscalYear' });
  }
  return Array.from({ length: last - first + 1 }, (_, i) => (first + i) as FiscalYear);
}

/** The descriptions every trend field shares, so that the schema says the same thing everywhere. */
export const FISCAL_YEAR_RANGE_ARGS = {
  from: { description: 'The first fiscal year of the range (e.g. 2020).' },
  to: { description: `The last fiscal year of the range (not before fromFiscalYear; at most ${MAX_FISCAL_YEAR_SPAN} years in all).` },
} as const;

/** The description of a trend field: what it answers per year, then the rule every trend field follows. */
export function trendDescription(oneYearField: string, access: string): string {
  return (
    `\`${oneYearField}\` for every fiscal year from \`fromFiscalYear\` to \`toFiscalYear\` (inclusive, at most ${MAX_FISCAL_YEAR_SPAN}), ` +
    `oldest first, each element exactly what \`${oneYearField}\` answers for that year (same type, same suppression), ` +
    `so a chart reuses the one-year fragment. One request costs the same SQL statements for one year as for ten. ${access}`
  );
}

/**
 * From a history listing a figure only in the fiscal years it changed (oldest first), the entry in
 * force at the end of `fiscalYear`: the latest at or before it; undefined before the first.
 */
export function atYearEnd<T extends { readonly fiscalYear: number }>(history: readonly T[], fiscalYear: number): T | undefined {
  let found: T | undefined;
  for (const entry of history) if (entry.fiscalYear <= fiscalYear && (!found || entry.fiscalYear >= found.fiscalYear)) found = entry;
  return found;
}
