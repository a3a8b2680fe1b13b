import {
  compiledFile,
  createLogger,
  fiscalYearDates,
  fiscalYearOf,
  intFromEnv,
  MAX_FISCAL_YEAR_SPAN,
  nationalCodeList,
  PROTECTION_VALUES,
  runInBackground,
  SnapshotCache,
  SUPPRESSION_THRESHOLD,
  type CountTable,
  type Logger,
  type FiscalYear,
} from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { CaseStatus, ContactChannel, Need } from './enums';
import {
  columnOf,
  figureColumns,
  figuresTable as tableOf,
  protectFigures as protectOf,
  publishedMedian,
  parseCells,
  rollUp,
  snapshotOf,
  type FigureCounts,
  type FigureLayout,
  type MedianOf,
  type Metric,
  type PublishedFigures,
  type SnapshotJob,
} from './figures-snapshot';

/**
 * Consultation figures for a fiscal year, for every municipality, prefecture and the nation at once.
 * One SQL statement per year reads every count and the day histograms behind the medians from
 * `figure_cell`, which the writing transactions keep up to date (migration FigureCells1733000000000);
 * roll-ups are sums of municipalities. What is hidden is decided over the whole national table by the
 * kit's `protectTable` (issue 13): counts 1–9, and as many others (zeros included) as it takes that an
 * attacker who knows every published figure of the year, at every level, and the relations among them
 * cannot narrow any hidden count to fewer than PROTECTION_VALUES values. That costs 0.4–0.7 s of CPU per
 * year, so requests are answered from the last protected snapshot and the next one is computed off the
 * request path (`figuresFor`): this thread reads the year's cells as one text, and a background job
 * (figures-snapshot.ts, in the background process at a lower priority) parses, rolls up, protects and publishes
 * them as flat arrays, sent back whole. Figures are published per whole fiscal year only
 * (docs/architecture.md).
 */
export { NATION } from './figures-snapshot';

/** The figures' layout: each metric's categories from the enums ('' = the total), and the national code list's units. */
let layoutOnce: FigureLayout | undefined;
export function figureLayout(): FigureLayout {
  if (!layoutOnce) {
    const list = nationalCodeList();
    layoutOnce = {
      metrics: {
        opened: [''],
        status: Object.values(CaseStatus),
        need: Object.values(Need),
        contacts: [''],
        channel: Object.values(ContactChannel),
        referralsMade: [''],
        referralsCompleted: [''],
        referralsReceived: [''],
      },
      prefectures: list.prefectures.map((p) => p.code),
      municipalities: list.municipalities.map((m) => m.code),
      prefectureOfMunicipality: list.municipalities.map((m) => m.prefectureCode),
    };
  }
  return layoutOnce;
}

export interface Figures {
  /** The committed state the figures are of (when their counts were read). */
  readonly asOf: Date;
  /** A count, or null when suppressed. Units: municipality code, prefecture code, or NATION. */
  count(unit: string, metric: Metric, category?: string): number | null;
  /** Median days; suppressed when based on fewer observations than the threshold (but some). */
  median(unit: string, which: MedianOf): { days: number | null; suppressed: boolean };
  /** Whether the unit is one the figures cover (a municipality, a prefecture or the nation). */
  covers(unit: string): boolean;
}

/**
 * The cells come back as one text in one row (`cellsAsText`: a line per cell, its fields separated by
 * tabs, `parseCells`): about 90,000 cells a year at a million cases, which as rows kept the subgraph's
 * thread busy decoding them for 0.2–0.6 s at a time (every request waited behind it). As text, the
 * thread that answers requests does not even parse them: the snapshot job does, in the background process.
 * Plain lines rather than a JSON array: PostgreSQL builds them in half the time (135 against 255 ms for
 * FY2024 on the bench data, in a backend at the requests' priority; docs/performance.md).
 */
const cellsAsText = (sql: string) => `SELECT coalesce(string_agg(concat_ws(E'\\t', m, metric, cat, n), E'\\n'), '') AS cells FROM (${sql}) c`;

/** The figures' cells of a fiscal year, as the writes left them. */
const SQL = cellsAsText(`SELECT municipality_code AS m, metric, cat, n FROM figure_cell WHERE fiscal_year = $1 AND n <> 0`);

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

/**
 * Reads a fiscal year's cells (from `figure_cell`, or from a scan of the year's rows) as one text.
 * One snapshot: the time and the cells come from one REPEATABLE READ transaction whose snapshot is
 * taken by the statement that reads the time (`asOf`: the committed state they are of).
 */
async function readCells(db: DataSource, fiscalYear: FiscalYear, from: 'cells' | 'scan'): Promise<{ asOf: Date; cells: string }> {
  const dates = fiscalYearDates(fiscalYear);
  return db.transaction('REPEATABLE READ', async (m) => {
    const [at] = await m.query<{ at: Date }[]>('SELECT statement_timestamp() AS at');
    const [read] =
      from === 'cells'
        ? await m.query<{ cells: string }[]>(SQL, [fiscalYear])
        : await m.query<{ cells: string }[]>(cellsAsText(SCAN_SQL), [dates.from, dates.to]);
    return { asOf: at?.at ?? new Date(), cells: read?.cells ?? '' };
  });
}

/** A fiscal year's counts and day histograms, before anything is hidden, as of one committed state (tests and tools). */
export async function countFigures(db: DataSource, fiscalYear: FiscalYear, from: 'cells' | 'scan' = 'cells'): Promise<FigureCounts & { readonly asOf: Date }> {
  const { asOf, cells } = await readCells(db, fiscalYear, from);
  return { ...rollUp(parseCells(cells), figureLayout()), asOf };
}

/** The columns of the figures table: `metric|category` ('' = the metric's total). */
export const FIGURE_COLUMNS: readonly string[] = figureColumns(figureLayout());

/** {@link figuresTable} of the figures' own layout. */
export const figuresTable = (values: ReadonlyMap<string, number>): CountTable => tableOf(values, figureLayout());

/** The cells to hide (ids `unit|metric|category`), over the figures' own layout. A pure function of the counts. */
export const protectFigures = (values: ReadonlyMap<string, number>, threshold: number, protectionValues: number): Set<string> =>
  protectOf(values, figureLayout(), threshold, protectionValues);

/** The {@link Figures} of what a snapshot published, as of the committed state its cells were read in. */
export function figuresOf(published: PublishedFigures, asOf: Date): Figures {
  const layout = figureLayout();
  const C = FIGURE_COLUMNS.length;
  const unitIndex = new Map(published.units.map((unit, i) => [unit, i]));
  return {
    asOf,
    covers: (unit) => unitIndex.has(unit),
    count(unit, metric, category = '') {
      const u = unitIndex.get(unit);
      const column = columnOf(layout, metric, category);
      if (u === undefined || column === undefined) return 0; // no such count
      const n = published.counts[u * C + column] ?? NaN;
      return Number.isNaN(n) ? null : n;
    },
    median: (unit, which) => publishedMedian(published, unitIndex.get(unit), which),
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
  const { asOf, cells } = await readCells(db, fiscalYear, from);
  return figuresOf(snapshotOf({ cells, layout: figureLayout(), threshold, protectionValues }), asOf);
}

/** The snapshot job's compiled module (run in the background process by `runInBackground`). */
const SNAPSHOT_JOB = compiledFile(__dirname, 'figures-snapshot.js');

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
 * path — cells read in one transaction, everything else in the snapshot job in the background process — and
 * replaces it whole.
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
      const { asOf, cells } = await readCells(db, fiscalYear, 'cells');
      const job: SnapshotJob = { cells, layout: figureLayout(), threshold, protectionValues };
      return figuresOf(await runInBackground<SnapshotJob, PublishedFigures>(SNAPSHOT_JOB, job), asOf);
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
