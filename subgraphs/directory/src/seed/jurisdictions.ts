/** The national code list now lives in the kit (one derivation for every subgraph); re-exported here. */
export { CORE_CITY_CODES, jurisdictionRows, NORTHERN_TERRITORIES_CODES, OTHER_HEALTH_CENTRE_CITY_CODES, type JurisdictionRow } from '@nimo/kit';
