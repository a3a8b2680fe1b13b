import { protectTable, type CountTable, type RowRelation } from '@nimo/kit/statistics';

/**
 * A fiscal year's consultation figures from its cells to what is published: the roll-up of
 * municipalities to their prefecture and the nation, the table `protectTable` decides over, and the
 * published counts and medians as flat arrays. Pure and light (it imports only `@nimo/kit/statistics`),
 * because it runs as a background job (`run`, in the background process at a lower priority: figures.ts): the
 * thread that answers requests only reads the cells' text and takes the published arrays, sent back
 * whole. Tests and tools run the same functions on the calling thread.
 */
export const NATION = 'JP';

/** The count metrics, in the figures table's column order. */
export const METRIC_NAMES = ['opened', 'status', 'need', 'contacts', 'channel', 'referralsMade', 'referralsCompleted', 'referralsReceived'] as const;
export type Metric = (typeof METRIC_NAMES)[number];

/** The medians published, each over the days histogram of its cell metric and shown only with the count it is taken over. */
const MEDIANS = {
  firstContact: { cells: 'firstContactDays', over: 'opened' },
  response: { cells: 'responseDays', over: 'referralsMade' },
} as const;
export type MedianOf = keyof typeof MEDIANS;
const MEDIAN_NAMES = Object.keys(MEDIANS) as MedianOf[];

/** Breakdowns that partition a total within one unit. */
const PARTITIONS: [Metric, Metric][] = [
  ['opened', 'status'],
  ['contacts', 'channel'],
];

/**
 * What the figures are laid out over, as plain data (it crosses to the worker): each metric's
 * categories ('' = the total; from the subgraph's enums) and the units (the national code list).
 */
export interface FigureLayout {
  readonly metrics: { readonly [M in Metric]: readonly string[] };
  readonly prefectures: readonly string[];
  readonly municipalities: readonly string[];
  /** Each municipality's prefecture, in the order of `municipalities`. */
  readonly prefectureOfMunicipality: readonly string[];
}

/** One cell as the writes leave it: municipality, metric, category, count. */
export type Cell = [m: string, metric: string, cat: string, n: number | string];

/**
 * The cells as PostgreSQL sends them (figures.ts `cellsAsText`): a line per cell, municipality, metric,
 * category and count separated by tabs ('' for none). None of them holds a tab or a line break (codes,
 * enum values, numbers of days); a line without exactly four fields (a NULL dropped by `concat_ws`, or
 * a tab where none belongs) fails the snapshot, and the last one stays.
 */
export function parseCells(text: string): Cell[] {
  if (text === '') return [];
  return text.split('\n').map((line, i): Cell => {
    const fields = line.split('\t');
    if (fields.length !== 4) throw new Error(`figure cells: line ${i + 1} has ${fields.length} fields, not 4`);
    const [m = '', metric = '', cat = '', n = ''] = fields;
    return [m, metric, cat, n];
  });
}

/** A fiscal year's counts (cell ids `unit|metric|category`) and day histograms (`unit|median`), before anything is hidden. */
export interface FigureCounts {
  readonly values: ReadonlyMap<string, number>;
  readonly histograms: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

/**
 * What a fiscal year publishes, per unit (municipalities, prefectures, the nation: `units`): its
 * counts (`units × columns`, NaN where hidden) and its medians (`units × 2`: first contact, response;
 * NaN where none) with whether each is suppressed.
 */
export interface PublishedFigures {
  readonly units: readonly string[];
  readonly counts: Float64Array<ArrayBuffer>;
  readonly medianDays: Float64Array<ArrayBuffer>;
  readonly medianSuppressed: Uint8Array<ArrayBuffer>;
}

/** A layout's derived lookups, worked out once per layout object. */
interface Prepared {
  readonly columns: readonly string[];
  /** A column's index by metric, then category: looked up per count a request asks (tens of thousands for a national dashboard), so no string is built. */
  readonly columnIndex: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly prefectureOf: ReadonlyMap<string, string>;
  readonly units: readonly string[];
  /** A unit's index among `units`, and each municipality's prefecture's: what the roll-up adds to. */
  readonly unitIndex: ReadonlyMap<string, number>;
  readonly prefectureIndexOf: ReadonlyMap<string, number>;
}
const preparedLayouts = new WeakMap<FigureLayout, Prepared>();

function prepared(layout: FigureLayout): Prepared {
  let p = preparedLayouts.get(layout);
  if (!p) {
    const columns = METRIC_NAMES.flatMap((metric) => layout.metrics[metric].map((category) => `${metric}|${category}`));
    const units = [...layout.municipalities, ...layout.prefectures, NATION];
    const unitIndex = new Map(units.map((unit, u) => [unit, u]));
    p = {
      columns,
      columnIndex: new Map(
        METRIC_NAMES.map((metric) => [metric, new Map(layout.metrics[metric].map((category) => [category, columns.indexOf(`${metric}|${category}`)]))]),
      ),
      prefectureOf: new Map(layout.municipalities.map((m, i) => [m, layout.prefectureOfMunicipality[i] ?? NATION])),
      units,
      unitIndex,
      prefectureIndexOf: new Map(layout.municipalities.map((m, i) => [m, unitIndex.get(layout.prefectureOfMunicipality[i] ?? NATION) ?? units.length - 1])),
    };
    preparedLayouts.set(layout, p);
  }
  return p;
}

/** The columns of the figures table: `metric|category` ('' = the metric's total). */
export const figureColumns = (layout: FigureLayout): readonly string[] => prepared(layout).columns;

/** A column's index among {@link figureColumns}, or undefined. */
export const columnOf = (layout: FigureLayout, metric: string, category = ''): number | undefined => prepared(layout).columnIndex.get(metric)?.get(category);

/**
 * Rolls the cells up: each municipality's to itself, its prefecture and the nation (contacts are the
 * sum of their channels). Summed by unit and column index into flat arrays first (about 90,000 cells
 * a year at a million cases, three units each), named once per count at the end.
 */
export function rollUp(cells: readonly Cell[], layout: FigureLayout): FigureCounts {
  const { columns, columnIndex, units, unitIndex, prefectureIndexOf } = prepared(layout);
  const C = columns.length;
  const nation = units.length - 1;
  const sums = new Float64Array(units.length * C);
  const contacts = columnIndex.get('contacts')?.get('') ?? -1;
  const days = MEDIAN_NAMES.map(() => new Map<number, Map<number, number>>());
  const addDays = (which: number, unit: number, d: number, n: number) => {
    const byUnit = days[which];
    if (!byUnit) return;
    let h = byUnit.get(unit);
    if (!h) byUnit.set(unit, (h = new Map<number, number>()));
    h.set(d, (h.get(d) ?? 0) + n);
  };
  /** Adds to a unit's count in a column, and in `also` (contacts for a channel; −1: none). */
  const addCount = (unit: number, column: number, also: number, n: number) => {
    sums[unit * C + column] = (sums[unit * C + column] ?? 0) + n;
    if (also >= 0) sums[unit * C + also] = (sums[unit * C + also] ?? 0) + n;
  };
  for (const [m, metric, cat, count] of cells) {
    const n = Number(count);
    const own = unitIndex.get(m);
    const prefecture = prefectureIndexOf.get(m);
    if (own === undefined || prefecture === undefined) continue; // not a municipality of the code list
    const median = metric === MEDIANS.firstContact.cells ? 0 : metric === MEDIANS.response.cells ? 1 : -1;
    const column = median < 0 ? columnIndex.get(metric)?.get(cat) : undefined;
    if (median >= 0) {
      const d = Number(cat);
      addDays(median, own, d, n);
      addDays(median, prefecture, d, n);
      addDays(median, nation, d, n);
    } else if (column !== undefined) {
      const also = metric === 'channel' ? contacts : -1;
      addCount(own, column, also, n);
      addCount(prefecture, column, also, n);
      addCount(nation, column, also, n);
    }
  }
  const values = new Map<string, number>();
  units.forEach((unit, u) => {
    columns.forEach((column, c) => {
      const n = sums[u * C + c] ?? 0;
      if (n !== 0) values.set(`${unit}|${column}`, n);
    });
  });
  const histograms = new Map<string, Map<number, number>>();
  MEDIAN_NAMES.forEach((which, w) => {
    for (const [u, h] of days[w] ?? []) histograms.set(`${units[u] ?? ''}|${which}`, h);
  });
  return { values, histograms };
}

/**
 * The counts as a kit {@link CountTable}, with every relation an attacker knows among the published
 * figures: rows are municipalities under their prefecture under the nation (a prefecture and the nation
 * are sums of municipalities in every column); within a row, cases opened = Σ by status, contacts =
 * Σ by channel, and each field of need counts at most the cases opened while all of them together
 * count at least those (a case touches one field or more). Referrals made, completed and received
 * are counted over different periods or directions (sent, ended; from or to the municipality) and stand
 * alone.
 */
export function figuresTable(values: ReadonlyMap<string, number>, layout: FigureLayout): CountTable {
  const { columns, prefectureOf } = prepared(layout);
  const parents = new Map<string, string | null>([[NATION, null]]);
  for (const p of layout.prefectures) parents.set(p, NATION);
  for (const m of layout.municipalities) parents.set(m, prefectureOf.get(m) ?? NATION);
  const column = (metric: Metric, category = '') => `${metric}|${category}`;
  const relation = (sense: RowRelation['sense'], terms: [string, number][]): RowRelation => ({ sense, coefficients: new Map(terms) });
  const needs = layout.metrics.need.map((n) => column('need', n));
  return {
    parents,
    columns,
    relations: [
      ...PARTITIONS.map(([total, breakdown]) =>
        relation('=', [[column(total), 1], ...layout.metrics[breakdown].map((c): [string, number] => [column(breakdown, c), -1])]),
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
export function protectFigures(values: ReadonlyMap<string, number>, layout: FigureLayout, threshold: number, protectionValues: number): Set<string> {
  const hidden = protectTable(figuresTable(values, layout), { threshold, protectionValues: protectionWithin(protectionValues, threshold) });
  return new Set([...hidden].map((id) => id.replace('\u0001', '|')));
}

function median(histogram: ReadonlyMap<number, number>, total: number): number {
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

/**
 * What a fiscal year publishes: the counts with the given cells hidden, and the medians. A median is
 * suppressed when it rests on fewer than `threshold` observations, and whenever the count it is taken
 * over (cases opened, referrals made) is hidden: whether a median is shown tells how many it rests on,
 * and that would bound the hidden count.
 */
export function publish(counts: FigureCounts, hidden: ReadonlySet<string>, threshold: number, layout: FigureLayout): PublishedFigures {
  const { columns, units } = prepared(layout);
  const C = columns.length;
  const shown = new Float64Array(units.length * C);
  const medianDays = new Float64Array(units.length * MEDIAN_NAMES.length).fill(NaN);
  const medianSuppressed = new Uint8Array(units.length * MEDIAN_NAMES.length);
  units.forEach((unit, u) => {
    columns.forEach((column, c) => {
      const id = `${unit}|${column}`;
      shown[u * C + c] = hidden.has(id) ? NaN : (counts.values.get(id) ?? 0);
    });
    MEDIAN_NAMES.forEach((which, w) => {
      const at = u * MEDIAN_NAMES.length + w;
      if (hidden.has(`${unit}|${MEDIANS[which].over}|`)) return void (medianSuppressed[at] = 1);
      const h = counts.histograms.get(`${unit}|${which}`);
      if (!h) return;
      const n = [...h.values()].reduce((a, b) => a + b, 0);
      if (n < threshold) medianSuppressed[at] = 1;
      else medianDays[at] = median(h, n);
    });
  });
  return { units, counts: shown, medianDays, medianSuppressed };
}

/** A published median as the API gives it. */
export function publishedMedian(published: PublishedFigures, unitIndex: number | undefined, which: MedianOf): { days: number | null; suppressed: boolean } {
  if (unitIndex === undefined) return { days: null, suppressed: false };
  const at = unitIndex * MEDIAN_NAMES.length + MEDIAN_NAMES.indexOf(which);
  const days = published.medianDays[at] ?? NaN;
  return { days: Number.isNaN(days) ? null : days, suppressed: published.medianSuppressed[at] === 1 };
}

/** A snapshot job: a fiscal year's cells as read (the text PostgreSQL sends, {@link parseCells}) and what to publish them with. */
export interface SnapshotJob {
  readonly cells: string;
  readonly layout: FigureLayout;
  readonly threshold: number;
  readonly protectionValues: number;
}

/** From the cells' text to what is published: parse, roll up, protect, publish. */
export function snapshotOf(job: SnapshotJob): PublishedFigures {
  const counts = rollUp(parseCells(job.cells), job.layout);
  return publish(counts, protectFigures(counts.values, job.layout, job.threshold, job.protectionValues), job.threshold, job.layout);
}

/** The background job (kit `runInBackground`). */
export const run: (job: SnapshotJob) => PublishedFigures = snapshotOf;
