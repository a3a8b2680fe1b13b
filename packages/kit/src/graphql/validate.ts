import { badUserInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** An argument that must be a UUID; a wrong one is BAD_USER_INPUT naming the argument. */
export function requireUuid(argument: string, value: string): string {
  if (!UUID.test(value)) throw badUserInput(`\`${argument}\` must be a UUID, got ${JSON.stringify(value)}.`, { argument });
  return value.toLowerCase();
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
