import { useId, useMemo, useState, type ReactNode } from 'react';
import { display, sortKey, type Cell } from '../cells';
import { exportTable } from '../export';

export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => Cell;
  /** Shown instead of the plain text (e.g. a link); the export still uses `cell`. */
  readonly render?: (row: Row, cell: Cell) => ReactNode;
}

interface Props<Row> {
  readonly caption: string;
  /** File name of the exports, without extension. */
  readonly exportName: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row) => string;
}

function compare(a: Cell, b: Cell): number {
  const [ka, va] = sortKey(a);
  const [kb, vb] = sortKey(b);
  if (ka !== kb) return ka - kb;
  if (typeof va === 'number' && typeof vb === 'number') return va - vb;
  return String(va).localeCompare(String(vb), 'ja');
}

/** A table whose columns sort by a button in their header (keyboard-operable) and that exports as CSV and .xlsx. */
export function DataTable<Row>({ caption, exportName, columns, rows, rowKey }: Props<Row>) {
  const [sort, setSort] = useState<{ column: number; descending: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [exportFailed, setExportFailed] = useState(false);
  const captionId = useId();
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const col = columns[sort.column];
    if (!col) return rows;
    const out = [...rows].sort((a, b) => compare(col.cell(a), col.cell(b)));
    return sort.descending ? out.reverse() : out;
  }, [rows, columns, sort]);
  const run = (format: 'csv' | 'xlsx') => {
    setBusy(true);
    setExportFailed(false);
    exportTable({ name: exportName, headers: columns.map((c) => c.header), rows: sorted.map((r) => columns.map((c) => c.cell(r))) }, format)
      .catch(() => setExportFailed(true))
      .finally(() => setBusy(false));
  };
  return (
    <div className="table-block">
      <div className="table-tools">
        <button type="button" onClick={() => run('csv')} disabled={busy} aria-describedby={captionId}>
          CSVで保存
        </button>
        <button type="button" onClick={() => run('xlsx')} disabled={busy} aria-describedby={captionId}>
          Excel（.xlsx）で保存
        </button>
        {exportFailed && (
          <span role="alert" className="error">
            ファイルを作成できませんでした。もう一度お試しください。
          </span>
        )}
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={captionId}>
        <table>
          <caption id={captionId}>{caption}</caption>
          <thead>
            <tr>
              {columns.map((c, i) => {
                const active = sort?.column === i;
                const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
                return (
                  <th key={c.header} scope="col" aria-sort={ariaSort}>
                    <button type="button" className="sort" onClick={() => setSort({ column: i, descending: active ? !sort.descending : false })}>
                      {c.header}
                      <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ' ⇅'}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c, i) => {
                  const cell = c.cell(row);
                  const content = c.render ? c.render(row, cell) : display(cell);
                  const cls = cell.kind === 'number' ? 'num' : cell.kind === 'suppressed' ? 'suppressed' : cell.kind === 'refused' ? 'refused' : undefined;
                  return i === 0 ? (
                    <th key={c.header} scope="row" className={cls}>
                      {content}
                    </th>
                  ) : (
                    <td
                      key={c.header}
                      className={cls}
                      title={cell.kind === 'suppressed' ? '小さな件数のため秘匿' : cell.kind === 'refused' ? 'この権限では閲覧できません' : undefined}
                    >
                      {content}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
