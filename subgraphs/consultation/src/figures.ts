import {
  createLogger,
  fiscalYearDates,
  fiscalYearOf,
  intFromEnv,
  MAX_FISCAL_YEAR_SPAN,
  nationalCodeList,
  protectTable,
  protectTableOffThread,
  PROTECTION_VALUES,
  SnapshotCache,
  SUPPRESSION_THRESHOLD,
  type CountTable,
  type Logger,
  type FiscalYear,
  type RowRelation,
} from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { CaseStatus, ContactChannel, Need } from './enums';

/**
 * Consultation figures for a fiscal year, for every municipality, prefecture and the nation at once.
 * One SQL statement per year reads every count and the day histograms behind the medians from
 * `figure_cell`, which the writing transactions keep up to date (migration FigureCells1733000000000);
 * roll-ups are sums of municipalities. What is hidden is decided over the whole national table by the
 * kit's `protectTable` (issue 13): counts 1–9, and as many others (zeros included) as it takes that an
 * attacker who knows every published figure of the year, at every level, and the relations among them
 * cannot narrow any hidden count to fewer than PROTECTION_VALUES values. That costs about 1 s of CPU per
 * year, so requests are answered from the last protected snapshot and the next one is computed off the
 * request path (`figuresFor`). Figures are published per whole fiscal year only (docs/architecture.md).
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
  /** The committed state the figures are of (when their counts were read). */
  readonly asOf: Date;
  /** A count, or null when suppressed. Units: municipality code, prefecture code, or NATION. */
  count(unit: string, metric: Metric, category?: string): number | null;
  /** Median days; suppressed when based on fewer observations than the threshold (but some). */
  median(unit: string, which: 'firstContact' | 'response'): { days: number | null; suppressed: boolean };
  /** Whether the unit is one the figures cover (a municipality, a prefecture or the nation). */
  covers(unit: string): boolean;
}

/** One cell as read: municipality, metric, category, count. */
type Cell = [m: string, metric: string, cat: string, n: number];

/**
 * The cells come back as one JSON array in one row (`cellsAsJson`): about 90,000 cells a year at a
 * million cases, which as rows kept the subgraph's thread busy decoding them for 0.2–0.6 s at a time
 * (every request waited behind it); one JSON.parse of the same takes a few milliseconds.
 */
const cellsAsJson = (sql: string) => `SELECT coalesce(json_agg(json_build_array(m, metric, cat, n)), '[]') AS cells FROM (${sql}) c`;

/** Cells rolled up between two turns of the event loop (a few milliseconds of work). */
const YIELD_EVERY = 4096;

/** The figures' cells of a fiscal year, as the writes left them. */
const SQL = cellsAsJson(`SELECT municipality_code AS m, metric, cat, n FROM figure_cell WHERE fiscal_year = $1 AND n <> 0`);

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

function median(histogram: ReadonlyMap<number, number>): number | null {
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

/** A fiscal year's counts (cell ids `unit|metric|category`) and day histograms, before anything is hidden, as of one committed state. */
export interface FigureCounts {
  readonly values: ReadonlyMap<string, number>;
  readonly histograms: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** When the counts were read: the committed state they are of (the start of the reading statement). */
  readonly asOf: Date;
}

/**
 * Reads a fiscal year's counts (from `figure_cell`, or from a scan of the year's rows) and rolls
 * municipalities up to their prefecture and the nation. One snapshot: the time and the cells come from
 * one REPEATABLE READ transaction whose snapshot is taken by the statement that reads the time.
 */
export async function countFigures(db: DataSource, fiscalYear: FiscalYear, from: 'cells' | 'scan' = 'cells'): Promise<FigureCounts> {
  const dates = fiscalYearDates(fiscalYear);
  const { asOf, rows } = await db.transaction('REPEATABLE READ', async (m) => {
    const [at] = await m.query<{ at: Date }[]>('SELECT statement_timestamp() AS at');
    const [read] =
      from === 'cells'
        ? await m.query<{ cells: Cell[] }[]>(SQL, [fiscalYear])
        : await m.query<{ cells: Cell[] }[]>(cellsAsJson(SCAN_SQL), [dates.from, dates.to]);
    return { asOf: at?.at ?? new Date(), rows: read?.cells ?? [] };
  });
  const { prefectureOf } = units();
  const values = new Map<string, number>();
  const add = (id: string, n: number) => values.set(id, (values.get(id) ?? 0) + n);
  const histograms = new Map<string, Map<number, number>>();
  const addDays = (unit: string, which: string, days: number, n: number) => {
    const key = `${unit}|${which}`;
    const h = histograms.get(key) ?? new Map<number, number>();
    h.set(days, (h.get(days) ?? 0) + n);
    histograms.set(key, h);
  };
  for (const [i, [m, metric, cat, count]] of rows.entries()) {
    // Requests go on meanwhile: the roll-up gives the thread back every few thousand cells.
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
    const n = Number(count);
    const prefecture = prefectureOf.get(m);
    if (prefecture === undefined) continue; // not a municipality of the code list
    for (const unit of [m, prefecture, NATION]) {
      if (metric === 'firstContactDays' || metric === 'responseDays') {
        addDays(unit, metric === 'firstContactDays' ? 'firstContact' : 'response', Number(cat), n);
      } else {
        add(cell(unit, metric, cat), n);
        if (metric === 'channel') add(cell(unit, 'contacts'), n);
      }
    }
  }
  return { values, histograms, asOf };
}

/** The columns of the figures table: `metric|category` ('' = the metric's total). */
export const FIGURE_COLUMNS: readonly string[] = Object.entries(METRICS).flatMap(([metric, categories]) => categories.map((c) => `${metric}|${c}`));

/** A column's index in {@link FIGURE_COLUMNS} by metric, then category. */
const COLUMN_INDEX = new Map<string, Map<string, number>>(
  Object.entries(METRICS).map(([metric, categories]) => [
    metric,
    new Map(categories.map((category): [string, number] => [category, FIGURE_COLUMNS.indexOf(`${metric}|${category}`)])),
  ]),
);

/**
 * The counts as a kit {@link CountTable}, with every relation an attacker knows among the published
 * figures: rows are municipalities under their prefecture under the nation (a prefecture and the nation
 * are sums of municipalities in every column); within a row, cases opened = Σ by status, contacts =
 * Σ by channel, and each field of need counts at most the cases opened while all of them together
 * count at least those (a case touches one field or more). Referrals made, completed and received
 * are counted over different periods or directions (sent, ended; from or to the municipality) and stand
 * alone.
 */
export function figuresTable(values: ReadonlyMap<string, number>): CountTable {
  const { municipalities, prefectures, prefectureOf } = units();
  const parents = new Map<string, string | null>([[NATION, null]]);
  for (const p of prefectures) parents.set(p, NATION);
  for (const m of municipalities) parents.set(m, prefectureOf.get(m) ?? NATION);
  const column = (metric: Metric, category = '') => `${metric}|${category}`;
  const relation = (sense: RowRelation['sense'], terms: [string, number][]): RowRelation => ({ sense, coefficients: new Map(terms) });
  const needs = METRICS.need.map((n) => column('need', n));
  return {
    parents,
    columns: FIGURE_COLUMNS,
    relations: [
      ...PARTITIONS.map(([total, breakdown]) =>
        relation('=', [[column(total), 1], ...METRICS[breakdown].map((c): [string, number] => [column(breakdown, c), -1])]),
      ),
      ...needs.map((n) =>
        relation('>=', [
          [column('opened'), 1],
          [n, -1],
        ]),
      ),
      relation('>=', [...needs.map((n): [string, number] => [n, 1]), [column('opened'), -1]]),
    ],
    value: (row, col) => values.get(`${row}|${col}`) ?? 0,
    followers: new Map([[column('opened'), needs]]),
  };
}

/**
 * The protection asked for, at most the threshold: a small hidden count lies in 0 … threshold − 1, so
 * no more values than the threshold can be promised (with threshold 1, nothing is hidden at all).
 */
const protectionWithin = (protectionValues: number, threshold: number) => Math.max(1, Math.min(protectionValues, threshold));

/** The cells to hide (ids `unit|metric|category`): the kit's {@link protectTable} over {@link figuresTable}. A pure function of the counts. */
export function protectFigures(values: ReadonlyMap<string, number>, threshold: number, protectionValues: number): Set<string> {
  return toFigureIds(protectTable(figuresTable(values), { threshold, protectionValues: protectionWithin(protectionValues, threshold) }));
}

/** The kit's cell ids (row, column) as the figures' (`unit|metric|category`). */
const toFigureIds = (hidden: ReadonlySet<string>): Set<string> => new Set([...hidden].map((id) => id.replace('\u0001', '|')));

/**
 * What a fiscal year publishes: the counts with the given cells hidden, and the medians. A median is
 * suppressed when it rests on fewer than `threshold` observations, and whenever the count it is taken
 * over (cases opened, referrals made) is hidden: whether a median is shown tells how many it rests on,
 * and that would bound the hidden count.
 */
export function publishFigures(counts: FigureCounts, hidden: ReadonlySet<string>, threshold: number): Figures {
  const { municipalities, prefectures } = units();
  const known = new Set([...municipalities, ...prefectures, NATION]);
  const base = { firstContact: 'opened', response: 'referralsMade' } as const;
  // A unit's published counts, worked out on its first request and kept with the snapshot: a national
  // dashboard asks for tens of thousands per answer, each otherwise a string built and two map lookups.
  const shownCount = (id: string): number | null => (hidden.has(id) ? null : (counts.values.get(id) ?? 0));
  const published = new Map<string, (number | null)[]>();
  const row = (unit: string): (number | null)[] => {
    let shown = published.get(unit);
    if (!shown) {
      shown = FIGURE_COLUMNS.map((column) => shownCount(`${unit}|${column}`));
      published.set(unit, shown);
    }
    return shown;
  };
  return {
    asOf: counts.asOf,
    covers: (unit) => known.has(unit),
    count(unit, metric, category = '') {
      const column = COLUMN_INDEX.get(metric)?.get(category);
      if (column !== undefined && known.has(unit)) return row(unit)[column] ?? null;
      return shownCount(cell(unit, metric, category));
    },
    median(unit, which) {
      if (hidden.has(cell(unit, base[which]))) return { days: null, suppressed: true };
      const h = counts.histograms.get(`${unit}|${which}`);
      if (!h) return { days: null, suppressed: false };
      const n = [...h.values()].reduce((a, b) => a + b, 0);
      return n < threshold ? { days: null, suppressed: true } : { days: median(h), suppressed: false };
    },
  };
}

/** A fiscal year's published figures, computed now on the calling thread (tests and the measuring command). */
export async function computeFigures(
  db: DataSource,
  fiscalYear: FiscalYear,
  threshold: number,
  protectionValues = PROTECTION_VALUES,
  from: 'cells' | 'scan' = 'cells',
): Promise<Figures> {
  const counts = await countFigures(db, fiscalYear, from);
  return publishFigures(counts, protectFigures(counts.values, threshold, protectionValues), threshold);
}

/** The least time between two computations of a fiscal year's figures (env FIGURES_REFRESH_MS): under a stream of writes, figures lag by up to this plus the computation. */
export const FIGURES_REFRESH_MS = 10_000;

/** How many fiscal years' figures a subgraph keeps (about 1.5 MB each): a whole trend (kit MAX_FISCAL_YEAR_SPAN) and then some. */
const MAX_CACHED_YEARS = MAX_FISCAL_YEAR_SPAN + 2;

const cache = new SnapshotCache<Figures>(MAX_CACHED_YEARS);
const logger = createLogger('consultation-figures');

export interface FiguresOptions {
  readonly threshold: number;
  readonly protectionValues: number;
  /** A year's figures are computed again after this long even without a change (FIGURES_MAX_AGE_MS). */
  readonly maxAgeMs: number;
  /** Computations of one year start at least this far apart (FIGURES_REFRESH_MS). */
  readonly refreshMs: number;
}

/**
 * Published figures of a fiscal year, as of the last committed state they were computed for (kit
 * `SnapshotCache`): a request reads the generation (one statement) and answers with the year's last
 * protected snapshot; when the data has changed since, the next snapshot is computed off the request
 * path — counts read in one transaction, `protectTable` on a worker thread — and replaces it whole.
 * Counts and the cells hidden always come from the same state: a pattern is never applied to counts it
 * was not computed for (a count that became small, or a move that no longer holds, would leak).
 */
export async function figuresFor(db: DataSource, fiscalYear: FiscalYear, options: FiguresOptions): Promise<Figures> {
  const [figures] = await figuresForYears(db, [fiscalYear], options);
  if (!figures) throw new Error(`no consultation figures for FY${fiscalYear}`);
  return figures;
}

/** Figures of several fiscal years (a trend), in the order asked: one statement reads the generation for all of them. */
export function figuresForYears(db: DataSource, fiscalYears: readonly FiscalYear[], options: FiguresOptions): Promise<Figures[]> {
  const { threshold, protectionValues } = options;
  return cache.getMany(
    db,
    fiscalYears.map((fiscalYear) => ({ fiscalYear, threshold, protectionValues })),
    {
      maxAgeMs: options.maxAgeMs,
      minIntervalMs: options.refreshMs,
      onError: (error) => logger.error({ err: error }, 'consultation figures: computing the next snapshot failed; the last one stays'),
    },
    async ({ fiscalYear }) => {
      const counts = await countFigures(db, fiscalYear);
      return publishFigures(
        counts,
        await protectTableOffThread(figuresTable(counts.values), { threshold, protectionValues: protectionWithin(protectionValues, threshold) }).then(
          toFigureIds,
        ),
        threshold,
      );
    },
  );
}

/** The figures' settings from the environment (SUPPRESSION_THRESHOLD, PROTECTION_VALUES, FIGURES_MAX_AGE_MS, FIGURES_REFRESH_MS). */
export function figuresOptions(): FiguresOptions {
  return {
    threshold: intFromEnv('SUPPRESSION_THRESHOLD', SUPPRESSION_THRESHOLD),
    protectionValues: intFromEnv('PROTECTION_VALUES', PROTECTION_VALUES),
    maxAgeMs: intFromEnv('FIGURES_MAX_AGE_MS', 300_000),
    refreshMs: intFromEnv('FIGURES_REFRESH_MS', FIGURES_REFRESH_MS),
  };
}

/**
 * At start (after the demo data), the figures of this fiscal year and of every year with counts (the
 * newest MAX_CACHED_YEARS) are computed in the background, one after the other, so that a dashboard's
 * first request finds a snapshot instead of waiting seconds for one (longer than the gateway's
 * subgraph deadline on a loaded machine). `/ready` reports 'ok' once they are done (or failed: then
 * the first request tries again), so that the runner and an orchestrator send requests only then.
 */
export function warmFigures(db: DataSource, log: Logger): () => string {
  let state = 'computing the consultation figures';
  const warm = async () => {
    const rows = await db.query<{ y: number }[]>('SELECT DISTINCT fiscal_year AS y FROM figure_cell ORDER BY 1 DESC LIMIT $1', [MAX_CACHED_YEARS]);
    const now = fiscalYearOf(new Date());
    const years = [...new Set([now, ...rows.map((r) => Number(r.y) as FiscalYear)])].slice(0, MAX_CACHED_YEARS);
    for (const fiscalYear of years) {
      state = `computing the consultation figures of FY${fiscalYear}`;
      await figuresFor(db, fiscalYear, figuresOptions());
    }
  };
  warm()
    .catch((error: unknown) => log.warn({ err: error }, 'consultation figures: computing them at start failed; the first request tries again'))
    .finally(() => {
      state = 'ok';
    });
  return () => state;
}
