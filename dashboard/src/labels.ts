import type { Client } from '@urql/core';
import { LabelsDocument, type LabelsQuery } from './generated/graphql';
import { LABELLED_YEARS } from './preload';

/**
 * Japanese words for the API's enum values and fiscal years, served by the hub (`Query.labels`), so
 * that the dashboard shows the same words as every other front end. Loaded once when the dashboard
 * starts (the trusted document `Labels`, public); the views ask only `label()` and
 * `fiscalYearLabel()`.
 */
let enumLabels: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map();
let yearLabels: ReadonlyMap<number, string> = new Map();

/** Loads the labels from the hub; resolves once they are in place, rejects with the client's error. */
export async function loadLabels(client: Client): Promise<void> {
  const result = await client.query(LabelsDocument, LABELLED_YEARS, { requestPolicy: 'cache-first' }).toPromise();
  if (result.error) throw result.error;
  if (!result.data) throw new Error('no labels in the answer');
  setLabels(result.data.labels);
}

/** Are the hub's labels in place (a view rendered before shows codes, hidden: App)? */
export function labelsLoaded(): boolean {
  return yearLabels.size > 0;
}

/** Puts an answer of `Labels` in place (also used by tests of the views). */
export function setLabels(labels: LabelsQuery['labels']): void {
  const byEnum = new Map<string, ReadonlyMap<string, string>>();
  for (const [field, values] of Object.entries(labels)) {
    if (!Array.isArray(values) || field === 'fiscalYears') continue;
    // The field is the enum's name with a small first letter (`serviceKind` for `ServiceKind`).
    const list = values as readonly { value: string; label: string }[];
    byEnum.set(field[0]!.toUpperCase() + field.slice(1), new Map(list.map((v) => [v.value, v.label])));
  }
  enumLabels = byEnum;
  yearLabels = new Map(labels.fiscalYears.map((y) => [y.fiscalYear, y.label]));
}

/** The Japanese label of an enum value from the hub; the code itself when none is known (never blank). */
export function label(enumName: string, value: string): string {
  return enumLabels.get(enumName)?.get(value) ?? value;
}

/** FY2024 → 令和6年度 (the hub's name for the fiscal year April 2024 – March 2025); "2024年度" outside the loaded years. */
export function fiscalYearLabel(fiscalYear: number): string {
  return yearLabels.get(fiscalYear) ?? `${fiscalYear}年度`;
}

/** The Japanese name of a session's role (`nation` → 国（厚生労働省）), from the API's `ViewerRole` labels. */
export function roleLabel(role: string): string {
  return label('ViewerRole', role.toUpperCase());
}
