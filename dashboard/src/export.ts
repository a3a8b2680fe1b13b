import { exportValue, type Cell } from './cells';

export interface ExportTable {
  /** File name without extension, e.g. 全国_都道府県別_令和6年度. */
  readonly name: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

const BOM = '\uFEFF';

function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV (RFC 4180, CRLF) in UTF-8 with a byte order mark, so that Excel opens the Japanese text as such. */
export function toCsv(table: ExportTable): string {
  const lines = [table.headers.map(csvField).join(','), ...table.rows.map((r) => r.map((c) => csvField(exportValue(c))).join(','))];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** An .xlsx workbook with one sheet (exceljs, loaded only when asked for). */
export async function toXlsx(table: ExportTable): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Nimo Hub ダッシュボード';
  const sheet = workbook.addWorksheet(table.name.slice(0, 31).replace(/[\\/?*[\]:]/g, '_'));
  sheet.addRow([...table.headers]).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map(exportValue));
  sheet.columns.forEach((column, i) => {
    column.width = Math.min(40, Math.max(8, (table.headers[i]?.length ?? 4) * 2 + 2));
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function exportTable(table: ExportTable, format: 'csv' | 'xlsx'): Promise<void> {
  if (format === 'csv') download(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }), `${table.name}.csv`);
  else download(await toXlsx(table), `${table.name}.xlsx`);
}
