import { badUserInput } from '@nimo/kit';

/** Today's date in Japan (YYYY-MM-DD): the day a desk works in. */
export const todayInJapan = (): string => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);

const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;

/**
 * A pseudonymous reference (client or staff): 2–40 letters, digits and . _ -, in ASCII. A name in
 * Japanese can't pass; a 12-digit number (the shape of an Individual Number, マイナンバー) is refused.
 */
export function requireReference(field: string, value: string): string {
  const trimmed = value.trim();
  if (!REFERENCE.test(trimmed)) {
    throw badUserInput(`${field} must be a pseudonymous reference: 2–40 letters, digits and . _ - (never a name).`, { argument: field });
  }
  if (/^\d{12}$/.test(trimmed.replace(/[._-]/g, ''))) {
    throw badUserInput(`${field} looks like an Individual Number (12 digits); use the municipality's own pseudonymous reference.`, { argument: field });
  }
  return trimmed;
}

/** A date given by a client: not in the future, not before `notBefore` (when given). */
export function requireDate(field: string, value: string, notBefore?: { date: string; what: string }): string {
  if (value > todayInJapan()) throw badUserInput(`${field} (${value}) is in the future.`, { argument: field });
  if (notBefore && value < notBefore.date) throw badUserInput(`${field} (${value}) is before ${notBefore.what} (${notBefore.date}).`, { argument: field });
  return value;
}
