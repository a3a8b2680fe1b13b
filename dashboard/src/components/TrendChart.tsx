import { useId } from 'react';
import { display, type Cell } from '../cells';
import { fiscalYearLabel } from '../labels';
import { DataTable, type Column } from './DataTable';

/**
 * A trend over fiscal years as a line chart in plain SVG, drawn here rather than with a chart
 * library: at most a few lines of five points, whose every mark must be a published figure or say
 * why it is not (「秘匿」, 「権限なし」), with the text alternatives this project asks for; a library
 * would add weight to the bundle and its own markup to make accessible, for little drawing.
 *
 * Text alternatives: the SVG is one image named by its title and a summary (first and last year,
 * the highest, the years withheld); below it the same figures are a table (sortable, keyboard-
 * operable, exported as CSV and .xlsx like every table). Lines differ by colour, dash and marker
 * shape, not colour alone; their colours have at least 4.5:1 against the white background.
 * Years come with their 令和 names from the API (`fiscalYearLabel`).
 */
export interface TrendSeries {
  readonly name: string;
  /** One cell per year, in the order of `years`. */
  readonly cells: readonly Cell[];
}

const STYLES = [
  { className: 'trend-line-0', dash: undefined, marker: 'circle' },
  { className: 'trend-line-1', dash: '6 4', marker: 'square' },
  { className: 'trend-line-2', dash: '2 3', marker: 'diamond' },
] as const;

const WIDTH = 560;
const HEIGHT = 220;
const PAD = { left: 64, right: 44, top: 22, bottom: 34 };

/** A round upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (max <= step * power) return step * power;
  return 10 * power;
}

const numberOf = (cell: Cell | undefined): number | null => (cell?.kind === 'number' ? cell.value : null);

/** The one-sentence-per-line summary that is the chart's text alternative. */
export function trendSummary(years: readonly number[], series: readonly TrendSeries[]): string {
  const first = years[0];
  const last = years[years.length - 1];
  if (first === undefined || last === undefined) return '表示できる年度がありません。';
  return series
    .map((s) => {
      const shown = `${s.name}: ${fiscalYearLabel(first)} ${display(s.cells[0] ?? { kind: 'missing' })} → ${fiscalYearLabel(last)} ${display(s.cells[years.length - 1] ?? { kind: 'missing' })}`;
      let top: number | null = null;
      s.cells.forEach((c, i) => {
        const v = numberOf(c);
        if (v !== null && (top === null || v > (numberOf(s.cells[top]) ?? -Infinity))) top = i;
      });
      const highest = top === null ? '' : `（最大は${fiscalYearLabel(years[top] ?? first)}の${display(s.cells[top] ?? { kind: 'missing' })}）`;
      const withheld = years.flatMap((year, i) => {
        const c = s.cells[i];
        return c && (c.kind === 'suppressed' || c.kind === 'refused') ? [`${fiscalYearLabel(year)}は${display(c)}`] : [];
      });
      const note = withheld.length > 0 ? `。${withheld.join('、')}` : '';
      return `${shown}${highest}${note}。`;
    })
    .join(' ');
}

function Marker({
  shape,
  x,
  y,
  className,
}: {
  readonly shape: (typeof STYLES)[number]['marker'];
  readonly x: number;
  readonly y: number;
  readonly className: string;
}) {
  if (shape === 'square') return <rect x={x - 4} y={y - 4} width={8} height={8} className={className} />;
  if (shape === 'diamond') return <polygon points={`${x},${y - 5} ${x + 5},${y} ${x},${y + 5} ${x - 5},${y}`} className={className} />;
  return <circle cx={x} cy={y} r={4.5} className={className} />;
}

export function TrendChart({
  title,
  years,
  series,
  exportName,
  max,
}: {
  readonly title: string;
  readonly years: readonly number[];
  readonly series: readonly TrendSeries[];
  readonly exportName: string;
  /** A fixed top of the axis (100 for a share in %); otherwise a round number above the highest value. */
  readonly max?: number;
}) {
  const id = useId();
  const values = series.flatMap((s) => s.cells.map(numberOf)).filter((v): v is number => v !== null);
  const top = max ?? niceMax(Math.max(0, ...values));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (years.length <= 1 ? plotWidth / 2 : (plotWidth * i) / (years.length - 1));
  const y = (v: number) => PAD.top + plotHeight - (plotHeight * v) / top;
  // A middle line only where it falls on a whole number: no 0.5 persons.
  const ticks = Number.isInteger(top / 2) ? [0, top / 2, top] : [0, top];
  const single = series.length === 1;
  const columns: Column<number>[] = [
    { header: '年度', cell: (year) => ({ kind: 'text', value: fiscalYearLabel(year) }) },
    ...series.map((s) => ({ header: s.name, cell: (year: number) => s.cells[years.indexOf(year)] ?? ({ kind: 'missing' } as const) })),
  ];
  return (
    <figure className="chart trend" aria-labelledby={`${id}-c`}>
      <figcaption id={`${id}-c`}>{title}</figcaption>
      {!single && (
        <ul className="trend-legend" aria-hidden="true">
          {series.map((s, i) => (
            <li key={s.name}>
              <svg width="36" height="12" viewBox="0 0 36 12">
                <line x1="2" y1="6" x2="34" y2="6" className={STYLES[i % STYLES.length]!.className} strokeDasharray={STYLES[i % STYLES.length]!.dash} />
                <Marker shape={STYLES[i % STYLES.length]!.marker} x={18} y={6} className={`${STYLES[i % STYLES.length]!.className} marker`} />
              </svg>
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{trendSummary(years, series)}</desc>
        <g aria-hidden="true">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="trend-gridline" />
              <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" className="chart-label">
                {t.toLocaleString('ja-JP', { maximumFractionDigits: 1 })}
              </text>
            </g>
          ))}
          {years.map((year, i) => (
            <text key={year} x={x(i)} y={HEIGHT - 10} textAnchor="middle" className="chart-label">
              {fiscalYearLabel(year)}
            </text>
          ))}
          {series.map((s, si) => {
            const style = STYLES[si % STYLES.length]!;
            // A line joins consecutive years only: a withheld year leaves a gap, never a guess.
            const segments: string[] = [];
            s.cells.forEach((c, i) => {
              const v = numberOf(c);
              const previous = numberOf(s.cells[i - 1]);
              if (v !== null && previous !== null) segments.push(`M${x(i - 1)},${y(previous)} L${x(i)},${y(v)}`);
            });
            return (
              <g key={s.name}>
                <path d={segments.join(' ')} className={style.className} strokeDasharray={style.dash} fill="none" />
                {s.cells.map((c, i) => {
                  const v = numberOf(c);
                  if (v !== null) {
                    return (
                      <g key={years[i]}>
                        <Marker shape={style.marker} x={x(i)} y={y(v)} className={`${style.className} marker`} />
                        {single && (
                          <text x={x(i)} y={y(v) - 9} textAnchor="middle" className="chart-value">
                            {display(c)}
                          </text>
                        )}
                      </g>
                    );
                  }
                  return single ? (
                    <text key={years[i]} x={x(i)} y={PAD.top + plotHeight - 6} textAnchor="middle" className="chart-value withheld">
                      {display(c)}
                    </text>
                  ) : null;
                })}
              </g>
            );
          })}
        </g>
      </svg>
      <DataTable caption={`${title}（数値）`} exportName={exportName} columns={columns} rows={years} rowKey={(year) => String(year)} />
    </figure>
  );
}
