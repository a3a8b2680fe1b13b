import { isPrefectureCode, jurisdictionRows, type JurisdictionRow } from '@nimo/kit';

/** Staff figures of one (jurisdiction, municipality) pair; pairs are disjoint, so roll-ups are sums. */
export interface StaffGroup {
  jurisdictionCode: string;
  municipalityCode: string | null;
  enrolments: number;
  completions: number;
  staffTrained: number;
  trainedEver: number;
  consultationTrained: boolean;
}

export interface TrainingFigures {
  sessionsHeld: number;
  enrolments: number;
  completions: number;
  staffTrained: number;
  trainedStaffTotal: number;
  municipalities: number;
  municipalitiesWithTrainedConsultationStaff: number;
}

let cached: { rows: JurisdictionRow[]; municipalities: JurisdictionRow[]; byCode: Map<string, JurisdictionRow>; municipalitiesPerPrefecture: Map<string, number> } | undefined;

/** The national list of local governments (from the kit), computed once per process. */
export function jurisdictionList() {
  if (!cached) {
    const rows = jurisdictionRows();
    const municipalities = rows.filter((r) => r.kind !== 'PREFECTURE' && r.parentCode === r.prefectureCode && !r.administrationSuspended);
    const municipalitiesPerPrefecture = new Map<string, number>();
    for (const m of municipalities) municipalitiesPerPrefecture.set(m.code.slice(0, 2), (municipalitiesPerPrefecture.get(m.code.slice(0, 2)) ?? 0) + 1);
    cached = { rows, municipalities, byCode: new Map(rows.map((r) => [r.code, r])), municipalitiesPerPrefecture };
  }
  return cached;
}

/** The municipality a jurisdiction belongs to (itself, or the designated city of a ward); null for a prefecture. */
export function municipalityOf(code: string): string | null {
  const row = jurisdictionList().byCode.get(code);
  if (!row || row.kind === 'PREFECTURE') return null;
  return row.kind === 'ADMINISTRATIVE_WARD' ? row.parentCode : row.code;
}

const isMunicipality = (row: JurisdictionRow | undefined): boolean =>
  !!row && row.kind !== 'PREFECTURE' && row.parentCode === row.prefectureCode && !row.administrationSuspended;

/** Groups indexed by prefecture (first two digits), so a roll-up looks only at its own prefecture's groups. */
export function byPrefecture<T>(items: readonly T[], codeOf: (item: T) => string | null): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const code = codeOf(item);
    if (code === null) continue;
    const list = map.get(code.slice(0, 2));
    if (list) list.push(item);
    else map.set(code.slice(0, 2), [item]);
  }
  return map;
}

/**
 * Rolls staff groups and held sessions up to one code: a prefecture code covers every jurisdiction
 * of the prefecture (first two digits); a municipality covers itself and, for a designated city, its
 * wards; null is the whole nation.
 */
export function rollUp(code: string | null, groups: readonly StaffGroup[], held: readonly { code: string | null; held: number }[]): TrainingFigures {
  const { municipalities, municipalitiesPerPrefecture, byCode } = jurisdictionList();
  const prefix = code !== null && isPrefectureCode(code) ? code.slice(0, 2) : null;
  const coversStaff = (g: StaffGroup) =>
    code === null || (prefix !== null ? g.jurisdictionCode.startsWith(prefix) : g.jurisdictionCode === code || g.municipalityCode === code);
  const coversOrganiser = (c: string | null) => code === null || (c !== null && (prefix !== null ? c.startsWith(prefix) : c === code));
  const mine = groups.filter(coversStaff);
  const trainedMunicipalities = new Set(mine.filter((g) => g.consultationTrained && g.municipalityCode !== null).map((g) => g.municipalityCode));
  const municipalityCount =
    code === null
      ? municipalities.length
      : prefix !== null
        ? (municipalitiesPerPrefecture.get(prefix) ?? 0)
        : isMunicipality(byCode.get(code))
          ? 1
          : 0;
  const sum = (f: (g: StaffGroup) => number) => mine.reduce((total, g) => total + f(g), 0);
  return {
    sessionsHeld: held.filter((h) => coversOrganiser(h.code)).reduce((t, h) => t + h.held, 0),
    enrolments: sum((g) => g.enrolments),
    completions: sum((g) => g.completions),
    staffTrained: sum((g) => g.staffTrained),
    trainedStaffTotal: sum((g) => g.trainedEver),
    municipalities: municipalityCount,
    municipalitiesWithTrainedConsultationStaff: municipalityCount === 0 ? 0 : trainedMunicipalities.size,
  };
}
