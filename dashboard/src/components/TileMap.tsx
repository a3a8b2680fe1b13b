import { useId } from 'react';
import { display, type Cell } from '../cells';

/** Each prefecture's tile (column, row) by its two-digit code: a tile-grid map needs no geodata. */
const TILES: Readonly<Record<string, readonly [number, number]>> = {
  '01': [11, 0],
  '02': [11, 1],
  '05': [10, 2],
  '03': [11, 2],
  '06': [10, 3],
  '04': [11, 3],
  '17': [7, 4],
  '16': [8, 4],
  '15': [9, 4],
  '07': [10, 4],
  '18': [7, 5],
  '21': [8, 5],
  '20': [9, 5],
  '10': [10, 5],
  '09': [11, 5],
  '35': [3, 6],
  '32': [4, 6],
  '31': [5, 6],
  '26': [6, 6],
  '25': [7, 6],
  '23': [8, 6],
  '19': [9, 6],
  '11': [10, 6],
  '08': [11, 6],
  '41': [1, 7],
  '40': [2, 7],
  '34': [3, 7],
  '33': [4, 7],
  '28': [5, 7],
  '27': [6, 7],
  '29': [7, 7],
  '24': [8, 7],
  '22': [9, 7],
  '13': [10, 7],
  '12': [11, 7],
  '42': [0, 8],
  '43': [1, 8],
  '44': [2, 8],
  '38': [3, 8],
  '37': [4, 8],
  '36': [5, 8],
  '30': [6, 8],
  '14': [10, 8],
  '46': [1, 9],
  '45': [2, 9],
  '39': [4, 9],
  '47': [0, 10],
};

/** Five steps of one hue (ColorBrewer Blues), each with a text colour of at least 4.5:1 contrast. */
const STEPS = [
  { fill: '#eff3ff', ink: '#1a1a1a' },
  { fill: '#bdd7e7', ink: '#1a1a1a' },
  { fill: '#6baed6', ink: '#1a1a1a' },
  { fill: '#2171b5', ink: '#ffffff' },
  { fill: '#08306b', ink: '#ffffff' },
];

export interface MapArea {
  readonly code: string;
  readonly name: string;
  readonly cell: Cell;
  readonly href: string;
}

export function TileMap({ title, unit, areas }: { readonly title: string; readonly unit: string; readonly areas: readonly MapArea[] }) {
  const id = useId();
  const values = areas.flatMap((a) => (a.cell.kind === 'number' ? [a.cell.value] : []));
  const min = Math.min(...values);
  const max = Math.max(...values);
  const step = (v: number) => (max === min ? 2 : Math.min(4, Math.floor(((v - min) / (max - min)) * 5)));
  // Each step's range as the values it holds: for counts (whole numbers) from the first whole number
  // at or above its lower bound to the last below its upper one (the last step: up to the maximum),
  // so that the legend reads 2,924〜7,677件, 7,678〜12,431件 rather than in tenths of a case.
  const whole = values.every(Number.isInteger);
  const bounds = [0, 1, 2, 3, 4].map((i) => {
    const low = min + ((max - min) * i) / 5;
    const high = min + ((max - min) * (i + 1)) / 5;
    if (!whole) return [low, high] as const;
    return [Math.ceil(low), i === 4 || !Number.isInteger(high) ? Math.floor(high) : high - 1] as const;
  });
  const fmt = (v: number) => v.toLocaleString('ja-JP', { maximumFractionDigits: 1 });
  const hidden = areas.filter((a) => a.cell.kind !== 'number').length;
  return (
    <figure className="tilemap" aria-labelledby={`${id}-cap`}>
      <ul className="tiles" aria-describedby={`${id}-legend`}>
        {areas.map((a) => {
          const pos = TILES[a.code.slice(0, 2)];
          if (!pos) return null;
          const s = a.cell.kind === 'number' ? STEPS[step(a.cell.value)] : undefined;
          return (
            <li key={a.code} style={{ gridColumn: pos[0] + 1, gridRow: pos[1] + 1 }}>
              <a
                href={a.href}
                className={`tile ${a.cell.kind}`}
                style={s ? { background: s.fill, color: s.ink } : undefined}
                aria-label={`${a.name}: ${display(a.cell)}`}
                title={`${a.name}: ${display(a.cell)}`}
              >
                <span aria-hidden="true">{a.name.replace(/(都|府|県)$/, '')}</span>
              </a>
            </li>
          );
        })}
      </ul>
      <figcaption id={`${id}-cap`}>
        <strong>{title}</strong>（タイルは都道府県のおおよその位置。選ぶとその都道府県の画面へ）
        <ul className="legend" id={`${id}-legend`} aria-label="凡例">
          {values.length > 0 &&
            STEPS.map((s, i) => (
              <li key={s.fill}>
                <span className="swatch" style={{ background: s.fill }} aria-hidden="true" />
                {fmt(bounds[i]?.[0] ?? 0)}〜{fmt(bounds[i]?.[1] ?? 0)}
                {unit}
              </li>
            ))}
          {hidden > 0 && (
            <li>
              <span className="swatch hatched" aria-hidden="true" />
              秘匿・権限なし・データなし（{hidden}）
            </li>
          )}
        </ul>
      </figcaption>
    </figure>
  );
}
