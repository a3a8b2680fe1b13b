import { badUserInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** An argument that must be a UUID; a wrong one is BAD_USER_INPUT naming the argument. */
export function requireUuid(argument: string, value: string): string {
  if (!UUID.test(value)) throw badUserInput(`\`${argument}\` must be a UUID, got ${JSON.stringify(value)}.`, { argument });
  return value.toLowerCase();
}

/** The longest free text the hub stores (notes, reasons, details): 4,000 characters. */
export const MAX_TEXT = 4000;

/**
 * Free text given by a client (a title, a note, a reason): trimmed, 1 to `max` characters, else
 * BAD_USER_INPUT naming the argument. `nfkc` folds full-width letters and digits for names and titles
 * that are searched and compared; notes keep what the person wrote. (Null bytes and lone surrogates
 * are refused for every string before any resolver runs: see text.ts.)
 */
export function requireText(argument: string, value: string, max: number = MAX_TEXT, options: { nfkc?: boolean } = {}): string {
  const text = (options.nfkc ? value.normalize('NFKC') : value).trim();
  if (text.length === 0 || text.length > max) throw badUserInput(`\`${argument}\` must have 1 to ${max.toLocaleString('en')} characters.`, { argument });
  return text;
}

/** The construction promotion program's items are numbered 1 to 14 (the seed document). */
export const PROGRAM_ITEM_COUNT = 14;

/** A construction promotion program item number (1–14), else BAD_USER_INPUT naming the argument. */
export function requireProgramItem(argument: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > PROGRAM_ITEM_COUNT) {
    throw badUserInput(`\`${argument}\` must be a program item from 1 to ${PROGRAM_ITEM_COUNT}; got ${value}.`, { argument });
  }
  return value;
}

/** An argument that must match a pattern described in words. */
export function requirePattern(argument: string, value: string, pattern: RegExp, shape: string): string {
  if (!pattern.test(value)) throw badUserInput(`\`${argument}\` must be ${shape}, got ${JSON.stringify(value)}.`, { argument });
  return value;
}

/** Free-text search: trimmed, 1 to `max` characters, katakana folded to hiragana (kana are stored in hiragana). */
export function searchText(argument: string, value: string, max = 100): string {
  const text = value.normalize('NFKC').trim();
  if (text.length === 0 || text.length > max) {
    throw badUserInput(`\`${argument}\` must have 1 to ${max} characters.`, { argument });
  }
  return text;
}

/** Katakana → hiragana, so that ミナト finds みなとく. */
export function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** A LIKE pattern that matches `text` anywhere, with LIKE's own wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
