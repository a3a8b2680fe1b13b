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
    throw badUserInput(`${field} must be a fiscal year between ${FISCAL_YEAR_MIN} and ${FISCAL_YEAR_MAX} (FY2024 = April 2024 to March 2025).`, { field });
  }
  return value as FiscalYear;
}
