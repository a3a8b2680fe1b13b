import { count, num, REFUSED, text, type Cell } from './cells';
import type { Column } from './components/DataTable';
import type { Figure } from './components/Figures';
import type { ConsultationFiguresFragment, EvaluationStatusFragment, TrainingFiguresFragment } from './generated/graphql';
import { label } from './labels';

/** Reads fields that may be refused: `refused(path)` is true when the hub answered FORBIDDEN there. */
export type Refused = (path: string) => boolean;

export function consultationFigures(c: ConsultationFiguresFragment | null | undefined, refused: boolean): Figure[] {
  const r = (cell: Cell) => (c ? cell : refused ? REFUSED : cell);
  return [
    { label: '新規相談件数', cell: r(count(c?.casesOpened, refused, '件')) },
    { label: '相談対応（延べ）', cell: r(count(c?.contacts, refused, '件')) },
    { label: 'つなぎ（紹介）件数', cell: r(count(c?.referralsMade, refused, '件')) },
    { label: 'つなぎ完了件数', cell: r(count(c?.referralsCompleted, refused, '件')) },
    { label: '初回対応までの日数（中央値）', cell: r(count(c?.medianDaysToFirstContact, refused, '日')) },
    { label: 'つなぎ先の応答までの日数（中央値）', cell: r(count(c?.medianDaysReferralToResponse, refused, '日')) },
  ];
}

export function trainingFigures(t: TrainingFiguresFragment | null | undefined, refused: boolean): Figure[] {
  const v = (n: number | null | undefined, unit: string) => (t ? num(n, unit) : refused ? REFUSED : num(null));
  return [
    { label: '研修修了者数', cell: v(t?.staffTrained, '人') },
    { label: '研修の開催回数', cell: v(t?.sessionsHeld, '回') },
    { label: '受講申込数', cell: v(t?.enrolments, '件') },
    {
      // Cumulative (staff trained by the end of the year), unlike 研修修了者数 (completions within the year).
      label: '研修修了の相談担当者がいる市町村の割合',
      cell: t
        ? num(
            t.shareOfMunicipalitiesWithTrainedConsultationStaff === null ? null : Math.round(t.shareOfMunicipalitiesWithTrainedConsultationStaff * 1000) / 10,
            '%',
          )
        : v(null, ''),
      ...(t ? { note: `（年度末までの修了：${t.municipalitiesWithTrainedConsultationStaff} / ${t.municipalities}市町村）` } : {}),
    },
  ];
}

export interface IndicatorRow {
  readonly code: string;
  readonly value: number | null;
  readonly target: number | null;
  readonly status: string;
  readonly basis: string | null;
}

/** The plan's indicators: value against target, with the status's Japanese label. */
export const INDICATOR_COLUMNS: readonly Column<IndicatorRow>[] = [
  { header: '指標', cell: (i) => text(label('IndicatorCode', i.code)) },
  { header: '値', cell: (i) => num(i.value, undefined, 1) },
  { header: '目標', cell: (i) => num(i.target, undefined, 1) },
  { header: '状況', cell: (i) => text(label('IndicatorStatus', i.status)) },
  { header: '根拠', cell: (i) => text(i.basis) },
];

export function evaluationSummary(e: Pick<EvaluationStatusFragment, 'met' | 'notMet'> | null | undefined, refused: boolean): Cell {
  if (!e) return refused ? REFUSED : text(null);
  return text(`達成 ${e.met} / 未達成 ${e.notMet}`);
}

export const share = (part: number, whole: number): Cell => (whole > 0 ? num(Math.round((part / whole) * 1000) / 10, '%', 1) : num(null));
