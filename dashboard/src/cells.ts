/**
 * One value as a screen, a CSV file and a spreadsheet show it. A suppressed count (1–9, or what
 * would let one be recovered by subtraction) is 「秘匿」, a field the principal may not see is
 * 「権限なし」: never zero, never blank, the same in every export.
 */
export type Cell =
  | { readonly kind: 'number'; readonly value: number; readonly unit?: string; readonly digits?: number }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'suppressed' }
  | { readonly kind: 'refused' }
  | { readonly kind: 'missing' };

export const SUPPRESSED_TEXT = '秘匿';
export const REFUSED_TEXT = '権限なし';
export const MISSING_TEXT = '—';
export const SUPPRESSED_EXPLANATION =
  '「秘匿」: 1〜9件の小さな件数と、差し引きでそれを割り出せてしまう件数は、個人が特定されないよう公表しません（0件は表示します）。';
export const REFUSED_EXPLANATION = '「権限なし」: ご利用の権限ではこの項目を閲覧できません。';

const numberFormat = new Intl.NumberFormat('ja-JP');

export const num = (value: number | null | undefined, unit?: string, digits?: number): Cell =>
  value === null || value === undefined
    ? { kind: 'missing' }
    : { kind: 'number', value, ...(unit ? { unit } : {}), ...(digits !== undefined ? { digits } : {}) };
export const text = (value: string | null | undefined): Cell =>
  value === null || value === undefined || value === '' ? { kind: 'missing' } : { kind: 'text', value };
export const REFUSED: Cell = { kind: 'refused' };
/** A null field: refused when the hub said FORBIDDEN there, else missing. */
export const refusedCell = (refused: boolean): Cell => (refused ? REFUSED : { kind: 'missing' });

/** A published `Count` (or `MedianDays`): suppressed stays suppressed, null without suppression is missing. */
export function count(c: { value?: number | null; days?: number | null; suppressed: boolean } | null | undefined, refused = false, unit?: string): Cell {
  if (c === null || c === undefined) return refused ? REFUSED : { kind: 'missing' };
  if (c.suppressed) return { kind: 'suppressed' };
  const v = c.value ?? c.days;
  return num(v, unit, c.days !== undefined ? 1 : undefined);
}

/** What a screen shows. */
export function display(cell: Cell): string {
  switch (cell.kind) {
    case 'number':
      return `${cell.digits !== undefined ? cell.value.toLocaleString('ja-JP', { maximumFractionDigits: cell.digits, minimumFractionDigits: 0 }) : numberFormat.format(cell.value)}${cell.unit ?? ''}`;
    case 'text':
      return cell.value;
    case 'suppressed':
      return SUPPRESSED_TEXT;
    case 'refused':
      return REFUSED_TEXT;
    case 'missing':
      return MISSING_TEXT;
  }
}

/** What a spreadsheet cell holds: numbers stay numbers, everything else is its text. */
export function exportValue(cell: Cell): string | number {
  return cell.kind === 'number' ? cell.value : cell.kind === 'missing' ? '' : display(cell);
}

/** Sort key: numbers by value, then text, then the missing, suppressed and refused last. */
export function sortKey(cell: Cell): [number, number | string] {
  switch (cell.kind) {
    case 'number':
      return [0, cell.value];
    case 'text':
      return [1, cell.value];
    case 'missing':
      return [2, ''];
    case 'suppressed':
      return [3, ''];
    case 'refused':
      return [4, ''];
  }
}
