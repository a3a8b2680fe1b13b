import { useId } from 'react';
import { display, type Cell } from '../cells';

export interface Bar {
  readonly label: string;
  readonly cell: Cell;
}

/**
 * A horizontal bar chart in plain SVG: the title and a one-sentence summary are its text
 * alternative, and the figures are below it as a list for anyone who cannot see the bars.
 * Suppressed or refused values draw no bar and say so.
 */
export function BarChart({ title, bars, unit = '' }: { readonly title: string; readonly bars: readonly Bar[]; readonly unit?: string }) {
  const id = useId();
  const values = bars.map((b) => (b.cell.kind === 'number' ? b.cell.value : 0));
  const max = Math.max(1, ...values);
  const rowHeight = 26;
  const labelWidth = 150;
  const width = 560;
  const height = bars.length * rowHeight + 8;
  const top = bars
    .filter((b) => b.cell.kind === 'number')
    .sort((a, b) => (b.cell.kind === 'number' && a.cell.kind === 'number' ? b.cell.value - a.cell.value : 0))[0];
  const summary = top ? `${bars.length}項目のうち最大は「${top.label}」の${display(top.cell)}${unit}。` : '表示できる値がありません。';
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {bars.map((b, i) => {
          const y = i * rowHeight + 4;
          const w = b.cell.kind === 'number' ? ((width - labelWidth - 90) * b.cell.value) / max : 0;
          return (
            <g key={b.label} aria-hidden="true">
              <text x={labelWidth - 6} y={y + 16} textAnchor="end" className="chart-label">
                {b.label}
              </text>
              {b.cell.kind === 'number' ? (
                <rect x={labelWidth} y={y + 3} width={Math.max(w, 1)} height={rowHeight - 8} className="bar" />
              ) : (
                <rect x={labelWidth} y={y + 3} width={40} height={rowHeight - 8} className="bar-hidden" />
              )}
              <text x={labelWidth + Math.max(w, b.cell.kind === 'number' ? 1 : 40) + 6} y={y + 16} className="chart-value">
                {display(b.cell)}
                {b.cell.kind === 'number' ? unit : ''}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {title}
        <details>
          <summary>グラフの数値</summary>
          <ul>
            {bars.map((b) => (
              <li key={b.label}>
                {b.label}: {display(b.cell)}
                {b.cell.kind === 'number' ? unit : ''}
              </li>
            ))}
          </ul>
        </details>
      </figcaption>
    </figure>
  );
}
