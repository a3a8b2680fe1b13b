import type { ReactNode } from 'react';
import { useQuery } from 'urql';
import { count, num, REFUSED, type Cell } from '../cells';
import { errorMessage, refusedAt } from '../client';
import { ErrorBox, Loading } from '../components/Status';
import { TrendChart, type TrendSeries } from '../components/TrendChart';
import { share } from '../figures';
import {
  MunicipalTrendsDocument,
  NationalTrendsDocument,
  PrefectureTrendsDocument,
  type ConsultationFiguresFragment,
  type EvaluationStatusFragment,
  type TrainingFiguresFragment,
} from '../generated/graphql';
import { fiscalYearLabel } from '../labels';

/**
 * The trend charts of the national, prefecture and municipal views: five fiscal years ending with
 * the one chosen, from the API's range fields (one request per view, its own trusted document, so
 * the view's figures do not wait for them). Each year's figure is what the one-year field answers
 * (the same fragments), suppressed and refused years included as such.
 */
export const TREND_YEARS = 5;

export function trendRange(fiscalYear: number): { fromFiscalYear: number; toFiscalYear: number; years: number[] } {
  const fromFiscalYear = fiscalYear - TREND_YEARS + 1;
  return { fromFiscalYear, toFiscalYear: fiscalYear, years: Array.from({ length: TREND_YEARS }, (_, i) => fromFiscalYear + i) };
}

/** One cell per year of the range from a list by year (null: the whole list refused or missing). */
function perYear<T extends { fiscalYear: number }>(
  years: readonly number[],
  list: readonly T[] | null | undefined,
  refused: boolean,
  cell: (item: T | undefined) => Cell,
): Cell[] {
  if (!list) return years.map(() => (refused ? REFUSED : { kind: 'missing' }));
  return years.map((year) => cell(list.find((item) => item.fiscalYear === year)));
}

/** The consultation series every view charts: cases opened and referrals made. */
function consultationSeries(years: readonly number[], list: readonly ConsultationFiguresFragment[] | null | undefined, refused: boolean): TrendSeries[] {
  return [
    { name: '新規相談件数', cells: perYear(years, list, refused, (c) => count(c?.casesOpened, false, '件')) },
    { name: 'つなぎ（紹介）件数', cells: perYear(years, list, refused, (c) => count(c?.referralsMade, false, '件')) },
  ];
}

function trainingSeries(years: readonly number[], list: readonly TrainingFiguresFragment[] | null | undefined, refused: boolean): TrendSeries[] {
  return [{ name: '研修修了者数', cells: perYear(years, list, refused, (t) => num(t?.staffTrained, '人')) }];
}

function evaluationSeries(
  years: readonly number[],
  list: readonly (Pick<EvaluationStatusFragment, 'met'> & { fiscalYear: number })[] | null | undefined,
  refused: boolean,
): TrendSeries[] {
  return [{ name: '達成した評価指標の数', cells: perYear(years, list, refused, (e) => num(e?.met)) }];
}

/** The section around a view's charts: its heading, then loading, an error, or the charts. */
function TrendSection({
  fiscalYear,
  fetching,
  error,
  retry,
  children,
}: {
  readonly fiscalYear: number;
  readonly fetching: boolean;
  readonly error: string | null;
  readonly retry: () => void;
  readonly children: ReactNode;
}) {
  const { fromFiscalYear, toFiscalYear } = trendRange(fiscalYear);
  const span = `${fiscalYearLabel(fromFiscalYear)}〜${fiscalYearLabel(toFiscalYear)}`;
  return (
    <section className="trends" aria-labelledby="trends-title" aria-busy={fetching}>
      <h3 id="trends-title">推移（{span}）</h3>
      {fetching ? <Loading what="推移のグラフ" /> : error ? <ErrorBox message={error} retry={retry} /> : <div className="trend-grid">{children}</div>}
    </section>
  );
}

export function NationalTrends({ fiscalYear }: { readonly fiscalYear: number }) {
  const { fromFiscalYear, toFiscalYear, years } = trendRange(fiscalYear);
  const [result, reexecute] = useQuery({ query: NationalTrendsDocument, variables: { fromFiscalYear, toFiscalYear } });
  const refused = refusedAt(result.error);
  const data = result.data;
  const span = `${fiscalYearLabel(fromFiscalYear)}〜${fiscalYearLabel(toFiscalYear)}`;
  const forumShare = perYear(years, data?.nationalEvaluations, refused('nationalEvaluations'), (e) =>
    num(e?.indicators.find((i) => i.code === 'FORUM_MUNICIPALITY')?.value, '%', 1),
  );
  return (
    <TrendSection
      fiscalYear={fiscalYear}
      fetching={result.fetching && !data}
      error={!data && result.error ? errorMessage(result.error) : null}
      retry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      <TrendChart
        title={`新規相談とつなぎの件数（全国、${span}）`}
        years={years}
        series={consultationSeries(years, data?.nationalConsultationSummaries, refused('nationalConsultationSummaries'))}
        exportName={`全国_相談の推移_${span}`}
      />
      <TrendChart
        title={`研修修了者数（全国、${span}）`}
        years={years}
        series={trainingSeries(years, data?.nationalTrainingSummaries, refused('nationalTrainingSummaries'))}
        exportName={`全国_研修の推移_${span}`}
      />
      <TrendChart
        title={`協議の場を設置した市町村の割合（全国、${span}）`}
        years={years}
        max={100}
        series={[{ name: '協議の場を設置した市町村の割合', cells: forumShare }]}
        exportName={`全国_協議の場の推移_${span}`}
      />
    </TrendSection>
  );
}

export function PrefectureTrends({ code, fiscalYear }: { readonly code: string; readonly fiscalYear: number }) {
  const { fromFiscalYear, toFiscalYear, years } = trendRange(fiscalYear);
  const [result, reexecute] = useQuery({ query: PrefectureTrendsDocument, variables: { code, fromFiscalYear, toFiscalYear } });
  const refused = refusedAt(result.error);
  const j = result.data?.jurisdiction;
  const span = `${fiscalYearLabel(fromFiscalYear)}〜${fiscalYearLabel(toFiscalYear)}`;
  const name = j?.name ?? '';
  const coverage = j?.forumCoverage;
  const forumShare = perYear(years, coverage?.years, false, (y) => (y && coverage ? share(y.municipalitiesWithForum, coverage.municipalities) : num(null)));
  return (
    <TrendSection
      fiscalYear={fiscalYear}
      fetching={result.fetching && !result.data}
      error={!j ? (result.error ? errorMessage(result.error) : 'データがありません。') : null}
      retry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      <TrendChart
        title={`新規相談とつなぎの件数（${name}、${span}）`}
        years={years}
        series={consultationSeries(years, j?.consultationSummaries, refused('jurisdiction.consultationSummaries'))}
        exportName={`${name}_相談の推移_${span}`}
      />
      <TrendChart
        title={`研修修了者数（${name}、${span}）`}
        years={years}
        series={trainingSeries(years, j?.trainingSummaries, refused('jurisdiction.trainingSummaries'))}
        exportName={`${name}_研修の推移_${span}`}
      />
      <TrendChart
        title={`協議の場を設置した市町村の割合（${name}、${span}）`}
        years={years}
        max={100}
        series={[{ name: '協議の場を設置した市町村の割合', cells: forumShare }]}
        exportName={`${name}_協議の場の推移_${span}`}
      />
      <TrendChart
        title={`達成した評価指標の数（${name}、${span}）`}
        years={years}
        series={evaluationSeries(years, j?.evaluations, refused('jurisdiction.evaluations'))}
        exportName={`${name}_評価の推移_${span}`}
      />
    </TrendSection>
  );
}

export function MunicipalTrends({ code, fiscalYear }: { readonly code: string; readonly fiscalYear: number }) {
  const { fromFiscalYear, toFiscalYear, years } = trendRange(fiscalYear);
  const [result, reexecute] = useQuery({ query: MunicipalTrendsDocument, variables: { code, fromFiscalYear, toFiscalYear } });
  const refused = refusedAt(result.error);
  const j = result.data?.jurisdiction;
  const span = `${fiscalYearLabel(fromFiscalYear)}〜${fiscalYearLabel(toFiscalYear)}`;
  const name = j?.name ?? '';
  return (
    <TrendSection
      fiscalYear={fiscalYear}
      fetching={result.fetching && !result.data}
      error={!j ? (result.error ? errorMessage(result.error) : 'データがありません。') : null}
      retry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      <TrendChart
        title={`新規相談とつなぎの件数（${name}、${span}）`}
        years={years}
        series={consultationSeries(years, j?.consultationSummaries, refused('jurisdiction.consultationSummaries'))}
        exportName={`${name}_相談の推移_${span}`}
      />
      <TrendChart
        title={`研修修了者数（${name}、${span}）`}
        years={years}
        series={trainingSeries(years, j?.trainingSummaries, refused('jurisdiction.trainingSummaries'))}
        exportName={`${name}_研修の推移_${span}`}
      />
      <TrendChart
        title={`達成した評価指標の数（${name}、${span}）`}
        years={years}
        series={evaluationSeries(years, j?.evaluations, refused('jurisdiction.evaluations'))}
        exportName={`${name}_評価の推移_${span}`}
      />
    </TrendSection>
  );
}
