import { fiscalYearDates, GenerationCache, MAX_FISCAL_YEAR_SPAN, nationalCodeList, suppressCells, type FiscalYear, type Group } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { CaseStatus, ContactChannel, Need } from './enums';

/**
 * Consultation figures for a fiscal year, for every municipality, prefecture and the nation at once,
 * with small counts suppressed (kit `suppressCells`). One SQL statement (for any number of years: a
 * trend asks for several) reads every count and
 * the day histograms behind the medians from `figure_cell`, which the writing transactions keep up to
 * date (migration FigureCells1733000000000); roll-ups are sums of municipalities; suppression is decided
 * over the whole table (breakdowns within a unit, municipalities within their prefecture,
 * prefectures within the nation), so an answer that holds a prefecture and its municipalities can't
 * be subtracted into a suppressed cell, and the same year always suppresses the same cells. Figures
 * are published per whole fiscal year only (see docs/architecture.md).
 */
export const NATION = 'JP';

/** Count metrics and their breakdown categories ('' = the total). */
const METRICS = {
  opened: [''],
  status: Object.values(CaseStatus),
  need: Object.values(Need),
  contacts: [''],
  channel: Object.values(ContactChannel),
  referralsMade: [''],
  referralsCompleted: [''],
  referralsReceived: [''],
} as const;
type Metric = keyof typeof METRICS;
/** Breakdowns that partition a total within one unit. */
const PARTITIONS: [Metric, Metric][] = [
  ['opened', 'status'],
  ['contacts', 'channel'],
];

export interface Figures {
  /** A count, or null when suppressed. Units: municipality code, prefecture code, or NATION. */
  count(unit: string, metric: Metric, category?: string): number | null;
  /** Median days; suppressed when based on fewer observations than the threshold (but some). */
  median(unit: string, which: 'firstContact' | 'response'): { days: number | null; suppressed: boolean };
  /** Whether the unit is one the figures cover (a municipality, a prefecture or the nation). */
  covers(unit: string): boolean;
}

interface Row {
  fy?: number;
  m: string;
  metric: string;
  cat: string;
  n: string;
}

/** The figures' cells of some fiscal years, as the writes left them (about 90,000 rows a year at a million cases). */
const SQL = `SELECT fiscal_year AS fy, municipality_code AS m, metric, cat, n FROM figure_cell WHERE fiscal_year = ANY($1::int[]) AND n <> 0`;

/**
 * The same cells counted from the cases, contacts and referrals themselves (a scan of the year; 1.2 s
 * at a million cases): what figure_cell must always equal (tested).
 */
export const SCAN_SQL = `
  WITH c AS (
    SELECT municipality_code AS m, status, needs, first_contact_on - opened_on AS d
      FROM consultation_case WHERE opened_on BETWEEN $1 AND $2
  ), r AS (
    SELECT municipality_code AS m, responded_on - requested_on AS d, from_kind = 'MUNICIPALITY' AS made
      FROM referral WHERE requested_on BETWEEN $1 AND $2
  )
  SELECT m, 'opened' AS metric, '' AS cat, count(*) AS n FROM c GROUP BY m
  UNION ALL SELECT m, 'status', status, count(*) FROM c GROUP BY m, status
  UNION ALL SELECT m, 'need', need, count(*) FROM c, unnest(c.needs) AS need GROUP BY m, need
  UNION ALL SELECT m, 'firstContactDays', d::text, count(*) FROM c WHERE d IS NOT NULL GROUP BY m, d
  UNION ALL SELECT municipality_code, 'channel', channel, count(*) FROM case_contact WHERE contacted_on BETWEEN $1 AND $2 GROUP BY 1, 3
  UNION ALL SELECT m, 'referralsMade', '', count(*) FROM r WHERE made GROUP BY m
  UNION ALL SELECT m, 'referralsReceived', '', count(*) FROM r WHERE NOT made GROUP BY m
  UNION ALL SELECT m, 'responseDays', d::text, count(*) FROM r WHERE made AND d IS NOT NULL GROUP BY m, d
  UNION ALL SELECT municipality_code, 'referralsCompleted', '', count(*) FROM referral
    WHERE status = 'COMPLETED' AND from_kind = 'MUNICIPALITY' AND ended_on BETWEEN $1 AND $2 GROUP BY 1`;

/** The units figures are published for, from the kit's national code list. */
function units() {
  const list = nationalCodeList();
  return {
    municipalities: list.municipalities.map((m) => m.code),
    prefectures: list.prefectures.map((p) => p.code),
    prefectureOf: new Map(list.municipalities.map((m) => [m.code, m.prefectureCode])),
  };
}

const cell = (unit: string, metric: string, category = '') => `${unit}|${metric}|${category}`;

function median(histogram: Map<number, number>): number | null {
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const sorted = [...histogram.entries()].sort(([a], [b]) => a - b);
  const at = (k: number) => {
    let seen = 0;
    for (const [value, n] of sorted) {
      seen += n;
      if (seen > k) return value;
    }
    return sorted[sorted.length - 1]?.[0] ?? 0;
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

export async function computeFigures(db: DataSource, fiscalYear: FiscalYear, threshold: number, from: 'cells' | 'scan' = 'cells'): Promise<Figures> {
  if (from === 'cells') {
    const [figures] = await computeFiguresOfYears(db, [fiscalYear], threshold);
    if (!figures) throw new Error(`no consultation figures computed for FY${fiscalYear}`);
    return figures;
  }
  const dates = fiscalYearDates(fiscalYear);
  return tabulate((await db.query(SCAN_SQL, [dates.from, dates.to])) as Row[], threshold);
}

/** The figures of several fiscal years (in the order asked) from one statement over figure_cell. */
export async function computeFiguresOfYears(db: DataSource, fiscalYears: readonly FiscalYear[], threshold: number): Promise<Figures[]> {
  const rowsOf = new Map<number, Row[]>(fiscalYears.map((fy) => [fy, []]));
  for (const row of (await db.query(SQL, [fiscalYears])) as Row[]) rowsOf.get(Number(row.fy))?.push(row);
  return fiscalYears.map((fy) => tabulate(rowsOf.get(fy) ?? [], threshold));
}

/** One year's cells summed up to every unit, then suppressed over the whole table. */
function tabulate(rows: readonly Row[], threshold: number): Figures {
  const { municipalities, prefectures, prefectureOf } = units();
  const values = new Map<string, number>();
  const add = (id: string, n: number) => values.set(id, (values.get(id) ?? 0) + n);
  const histograms = new Map<string, Map<number, number>>();
  const addDays = (unit: string, which: string, days: number, n: number) => {
    const key = `${unit}|${which}`;
    const h = histograms.get(key) ?? new Map<number, number>();
    h.set(days, (h.get(days) ?? 0) + n);
    histograms.set(key, h);
  };
  for (const row of rows) {
    const n = Number(row.n);
    const prefecture = prefectureOf.get(row.m);
    if (prefecture === undefined) continue; // not a municipality of the code list
    for (const unit of [row.m, prefecture, NATION]) {
      if (row.metric === 'firstContactDays' || row.metric === 'responseDays') {
        addDays(unit, row.metric === 'firstContactDays' ? 'firstContact' : 'response', Number(row.cat), n);
      } else {
        add(cell(unit, row.metric, row.cat), n);
        if (row.metric === 'channel') add(cell(unit, 'contacts'), n);
      }
    }
  }

  const groups: Group[] = [];
  const allUnits = [...municipalities, ...prefectures, NATION];
  for (const unit of allUnits) {
    for (const [total, breakdown] of PARTITIONS) {
      groups.push({ total: cell(unit, total), parts: METRICS[breakdown].map((c) => cell(unit, breakdown, c)) });
    }
  }
  const municipalitiesOf = new Map<string, string[]>();
  for (const m of municipalities) {
    const p = prefectureOf.get(m) ?? '';
    municipalitiesOf.set(p, [...(municipalitiesOf.get(p) ?? []), m]);
  }
  for (const [metric, categories] of Object.entries(METRICS)) {
    for (const category of categories) {
      for (const p of prefectures) {
        groups.push({ total: cell(p, metric, category), parts: (municipalitiesOf.get(p) ?? []).map((m) => cell(m, metric, category)) });
      }
      groups.push({ total: cell(NATION, metric, category), parts: prefectures.map((p) => cell(p, metric, category)) });
    }
  }
  const suppressed = suppressCells(values, groups, threshold);
  const known = new Set(allUnits);
  return {
    covers: (unit) => known.has(unit),
    count(unit, metric, category = '') {
      const id = cell(unit, metric, category);
      return suppressed.has(id) ? null : (values.get(id) ?? 0);
    },
    median(unit, which) {
      const h = histograms.get(`${unit}|${which}`);
      if (!h) return { days: null, suppressed: false };
      const n = [...h.values()].reduce((a, b) => a + b, 0);
      return n < threshold ? { days: null, suppressed: true } : { days: median(h), suppressed: false };
    },
  };
}

/** How many fiscal years' figures a subgraph keeps (about 1.5 MB each): a whole trend (kit MAX_FISCAL_YEAR_SPAN) and then some. */
const MAX_CACHED_YEARS = MAX_FISCAL_YEAR_SPAN + 2;

const cache = new GenerationCache<Figures>(MAX_CACHED_YEARS);

/**
 * Figures of a fiscal year, reused across requests until the data changes (kit `GenerationCache`; the
 * FiguresGeneration migration advances the generation on every committed change).
 */
export async function figuresFor(db: DataSource, fiscalYear: FiscalYear, threshold: number, maxAgeMs: number): Promise<Figures> {
  const [figures] = await figuresForYears(db, [fiscalYear], threshold, maxAgeMs);
  if (!figures) throw new Error(`no consultation figures for FY${fiscalYear}`);
  return figures;
}

/**
 * Figures of several fiscal years (a trend), in the order asked: one statement reads the generation,
 * and the years not kept are computed together by one more statement (plus the wait for writers).
 */
export function figuresForYears(db: DataSource, fiscalYears: readonly FiscalYear[], threshold: number, maxAgeMs: number): Promise<Figures[]> {
  return cache.getMany(db, fiscalYears.map((fiscalYear) => ({ fiscalYear, threshold })), maxAgeMs, (missing) => {
    const years = missing.map((key) => key.fiscalYear);
    const computed = computeFiguresOfYears(db, years, threshold);
    return years.map((_, i) => computed.then((all) => all[i] as Figures));
  });
}
