import { GenerationCache, intFromEnv, isMunicipalityCode, isPrefectureCode, MAX_FISCAL_YEAR_SPAN, nationalCodeList, type FiscalYear } from '@nimo/kit';
import type { DataSource } from 'typeorm';

/**
 * Training figures: the nation's staff groups and held sessions of a fiscal year (or of several, for a
 * trend), computed in two statements, reused across requests until the training data changes, and rolled up in memory to any
 * jurisdiction (a prefecture code rolls up its jurisdictions, a designated city its wards) or the nation.
 */

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

/** Staff of one (jurisdiction, municipality) pair whose first completion fell in a fiscal year. */
export interface FirstCompletionGroup {
  jurisdictionCode: string;
  municipalityCode: string | null;
  fiscalYear: number;
  staff: number;
}

/** Whether a staff group of (jurisdiction, municipality) counts for a code (see `rollUp`). */
function coversStaffOf(code: string | null): (g: { jurisdictionCode: string; municipalityCode: string | null }) => boolean {
  const prefix = code !== null && isPrefectureCode(code) ? code.slice(0, 2) : null;
  return (g) => code === null || (prefix !== null ? g.jurisdictionCode.startsWith(prefix) : g.jurisdictionCode === code || g.municipalityCode === code);
}

/**
 * Distinct staff trained by the end of each fiscal year in which the number grew, oldest first, for a
 * code (rolled up like `rollUp`): a staff member counts from the fiscal year of their first completion.
 */
export function trainedStaffHistory(code: string | null, groups: readonly FirstCompletionGroup[]): { fiscalYear: number; trainedStaff: number }[] {
  const covers = coversStaffOf(code);
  const perYear = new Map<number, number>();
  for (const g of groups) if (covers(g)) perYear.set(g.fiscalYear, (perYear.get(g.fiscalYear) ?? 0) + g.staff);
  let total = 0;
  return [...perYear.keys()].sort((a, b) => a - b).map((fiscalYear) => ({ fiscalYear, trainedStaff: (total += perYear.get(fiscalYear) ?? 0) }));
}

/**
 * Rolls staff groups and held sessions up to one code: a prefecture code covers every jurisdiction
 * of the prefecture (first two digits); a municipality covers itself and, for a designated city, its
 * wards; null is the whole nation.
 */
export function rollUp(code: string | null, groups: readonly StaffGroup[], held: readonly { code: string | null; held: number }[]): TrainingFigures {
  const { municipalities, municipalitiesPerPrefecture } = nationalCodeList();
  const prefix = code !== null && isPrefectureCode(code) ? code.slice(0, 2) : null;
  const coversStaff = coversStaffOf(code);
  const coversOrganiser = (c: string | null) => code === null || (c !== null && (prefix !== null ? c.startsWith(prefix) : c === code));
  const mine = groups.filter(coversStaff);
  const trainedMunicipalities = new Set(mine.filter((g) => g.consultationTrained && g.municipalityCode !== null).map((g) => g.municipalityCode));
  const municipalityCount =
    code === null ? municipalities.length : prefix !== null ? (municipalitiesPerPrefecture.get(prefix) ?? 0) : isMunicipalityCode(code) ? 1 : 0;
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

/** The key of a jurisdiction's training figures in a fiscal year; code null: the nation. */
// A type alias (not an interface) so that it fits the kit's LoaderKey.
export type FiguresKey = { readonly code: string | null; readonly fiscalYear: FiscalYear };

/** The nation's staff groups and held sessions of a fiscal year (null: every year), indexed by prefecture. */
interface NationalFigures {
  readonly groups: StaffGroup[];
  readonly held: { code: string | null; held: number }[];
  readonly groupsOf: Map<string, StaffGroup[]>;
  readonly heldOf: Map<string, { code: string | null; held: number }[]>;
  /** Staff by the fiscal year of their first completion (every-year figures only), indexed by prefecture. */
  readonly firstCompletionsOf: Map<string, FirstCompletionGroup[]>;
  /** `figuresOf` each code asked so far (null: the nation): worked out once per generation, not per request. */
  readonly rolledUp: Map<string | null, Readonly<TrainingFigures>>;
}

/** The national figures of a whole trend (kit MAX_FISCAL_YEAR_SPAN) and a few more (a few hundred KB each). */
const national = new GenerationCache<NationalFigures>(MAX_FISCAL_YEAR_SPAN + 2);

/**
 * The national figures of a fiscal year, reused across requests until the training data changes
 * (kit `GenerationCache`; the TrainingFiguresGeneration migration): a request for any number of
 * jurisdictions reads one generation and, when it moved, runs two aggregations for the whole nation.
 */
export async function nationalFigures(db: DataSource, fiscalYear: FiscalYear | null): Promise<NationalFigures> {
  const [figures] = await nationalFiguresOfYears(db, [fiscalYear]);
  if (!figures) throw new Error(`no training figures computed for FY${fiscalYear ?? 'all'}`);
  return figures;
}

/**
 * `nationalFigures` of several fiscal years (a trend), in the order asked, at the cost of one: one
 * generation read, and the years not kept computed by the same aggregations over all of them at once.
 */
export function nationalFiguresOfYears(db: DataSource, fiscalYears: readonly (FiscalYear | null)[]): Promise<NationalFigures[]> {
  return national.getMany(
    db,
    fiscalYears.map((fiscalYear) => ({ fiscalYear })),
    intFromEnv('FIGURES_MAX_AGE_MS', 300_000),
    (missing) => {
      const years = missing.map((key) => key.fiscalYear);
      const computed = computeNationalFigures(db, years);
      return years.map((_, i) => computed.then((all) => all[i] as NationalFigures));
    },
  );
}

async function computeNationalFigures(db: DataSource, fiscalYears: readonly (FiscalYear | null)[]): Promise<NationalFigures[]> {
  const dated = fiscalYears.filter((fy): fy is FiscalYear => fy !== null);
  const [groups, held, firsts] = await Promise.all([
    staffGroups(db, fiscalYears),
    dated.length === 0 ? new Map<number, HeldRow[]>() : sessionsHeld(db, dated),
    fiscalYears.includes(null) ? firstCompletions(db) : [],
  ]);
  return fiscalYears.map((fiscalYear) => {
    const yearGroups = groups.get(fiscalYear) ?? [];
    const yearHeld = fiscalYear === null ? [] : (held.get(fiscalYear) ?? []);
    return {
      groups: yearGroups,
      held: yearHeld,
      groupsOf: byPrefecture(yearGroups, (g) => g.jurisdictionCode),
      heldOf: byPrefecture(yearHeld, (h) => h.code),
      firstCompletionsOf: byPrefecture(fiscalYear === null ? firsts : [], (g) => g.jurisdictionCode),
      rolledUp: new Map(),
    };
  });
}

/**
 * The nation's staff figures of each fiscal year asked (null: every year), grouped by the staff's
 * jurisdiction and municipality. Groups are disjoint, so roll-ups are sums.
 */
async function staffGroups(db: DataSource, fiscalYears: readonly (FiscalYear | null)[]): Promise<Map<number | null, StaffGroup[]>> {
  const rows = await db.query<
    {
      fy: number | null;
      jurisdiction_code: string;
      municipality_code: string | null;
      enrolments: number;
      completions: number;
      staff_trained: number;
      trained_ever: number;
      consultation_trained: boolean | null;
    }[]
  >(
    `SELECT y.fy, s.jurisdiction_code, s.municipality_code,
            count(e.id) FILTER (WHERE e.state <> 'CANCELLED' AND ts.fiscal_year = y.fy)::int AS enrolments,
            count(e.id) FILTER (WHERE e.state = 'COMPLETED' AND ts.fiscal_year = y.fy)::int AS completions,
            count(DISTINCT s.id) FILTER (WHERE e.state = 'COMPLETED' AND ts.fiscal_year = y.fy)::int AS staff_trained,
            count(DISTINCT s.id) FILTER (WHERE e.state = 'COMPLETED')::int AS trained_ever,
            bool_or(s.consultation_staff AND e.state = 'COMPLETED' AND (y.fy IS NULL OR e.completed_on <= make_date(y.fy + 1, 3, 31))) AS consultation_trained
       FROM unnest($1::int[]) AS y(fy)
      CROSS JOIN staff_member s
       JOIN enrolment e ON e.staff_id = s.id
       JOIN training_session ts ON ts.id = e.session_id
      GROUP BY y.fy, s.jurisdiction_code, s.municipality_code`,
    [fiscalYears],
  );
  const byYear = new Map<number | null, StaffGroup[]>(fiscalYears.map((fy) => [fy, []]));
  for (const r of rows) {
    byYear.get(r.fy)?.push({
      jurisdictionCode: r.jurisdiction_code,
      municipalityCode: r.municipality_code,
      enrolments: r.enrolments,
      completions: r.completions,
      staffTrained: r.staff_trained,
      trainedEver: r.trained_ever,
      consultationTrained: r.consultation_trained === true,
    });
  }
  return byYear;
}

/** The nation's trained staff grouped by jurisdiction, municipality and the fiscal year of their first completion. */
async function firstCompletions(db: DataSource): Promise<FirstCompletionGroup[]> {
  const rows = await db.query<{ jurisdiction_code: string; municipality_code: string | null; fiscal_year: number; staff: number }[]>(
    `SELECT jurisdiction_code, municipality_code, extract(year FROM first_on - interval '3 months')::int AS fiscal_year, count(*)::int AS staff
       FROM (SELECT s.id, s.jurisdiction_code, s.municipality_code, min(e.completed_on) AS first_on
               FROM staff_member s JOIN enrolment e ON e.staff_id = s.id
              WHERE e.state = 'COMPLETED' AND e.completed_on IS NOT NULL
              GROUP BY s.id, s.jurisdiction_code, s.municipality_code) first
      GROUP BY jurisdiction_code, municipality_code, fiscal_year`,
  );
  return rows.map((r) => ({ jurisdictionCode: r.jurisdiction_code, municipalityCode: r.municipality_code, fiscalYear: r.fiscal_year, staff: r.staff }));
}

type HeldRow = { code: string | null; held: number };

/** Sessions held in each fiscal year asked, by organiser jurisdiction. */
async function sessionsHeld(db: DataSource, fiscalYears: readonly FiscalYear[]): Promise<Map<number, HeldRow[]>> {
  const rows = await db.query<{ fy: number; code: string | null; held: number }[]>(
    `SELECT ts.fiscal_year AS fy, c.organiser_jurisdiction_code AS code, count(*)::int AS held
       FROM training_session ts JOIN course c ON c.id = ts.course_id
      WHERE ts.fiscal_year = ANY($1::int[]) AND ts.state = 'HELD'
      GROUP BY ts.fiscal_year, c.organiser_jurisdiction_code`,
    [fiscalYears],
  );
  const byYear = new Map<number, HeldRow[]>(fiscalYears.map((fy) => [fy, []]));
  for (const r of rows) byYear.get(r.fy)?.push({ code: r.code, held: r.held });
  return byYear;
}

/** One jurisdiction's figures (null: the nation's) from the national figures, looking only at its own prefecture's groups. */
export function figuresOf(figures: NationalFigures, code: string | null): Readonly<TrainingFigures> {
  const kept = figures.rolledUp.get(code);
  if (kept) return kept;
  const rolled = Object.freeze(
    code === null
      ? rollUp(null, figures.groups, figures.held)
      : rollUp(code, figures.groupsOf.get(code.slice(0, 2)) ?? [], figures.heldOf.get(code.slice(0, 2)) ?? []),
  );
  // Codes come from the directory's jurisdictions (about 1,900); the bound is only against the unforeseen.
  if (figures.rolledUp.size < 10_000) figures.rolledUp.set(code, rolled);
  return rolled;
}
