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

/** One chart of a view's trends: what it shows, the word of its export's name, its series. */
interface Chart {
  readonly title: string;
  readonly file: string;
  readonly series: readonly TrendSeries[];
  /** A fixed top of the axis (100 for a share in %). */
  readonly max?: number;
}

/** New cases and referrals: every view charts them. */
function consultationChart(years: readonly number[], list: readonly ConsultationFiguresFragment[] | null | undefined, refused: boolean): Chart {
  return {
    title: '新規相談とつなぎの件数',
    file: '相談',
    series: [
      { name: '新規相談件数', cells: perYear(years, list, refused, (c) => count(c?.casesOpened, false, '件')) },
      { name: 'つなぎ（紹介）件数', cells: perYear(years, list, refused, (c) => count(c?.referralsMade, false, '件')) },
    ],
  };
}

function trainingChart(years: readonly number[], list: readonly TrainingFiguresFragment[] | null | undefined, refused: boolean): Chart {
  return { title: '研修修了者数', file: '研修', series: [{ name: '研修修了者数', cells: perYear(years, list, refused, (t) => num(t?.staffTrained, '人')) }] };
}

function forumChart(cells: Cell[]): Chart {
  return { title: '協議の場を設置した市町村の割合', file: '協議の場', max: 100, series: [{ name: '協議の場を設置した市町村の割合', cells }] };
}

function evaluationChart(
  years: readonly number[],
  list: readonly (Pick<EvaluationStatusFragment, 'met'> & { fiscalYear: number })[] | null | undefined,
  refused: boolean,
): Chart {
  return { title: '達成した評価指標の数', file: '評価', series: [{ name: '達成した評価指標の数', cells: perYear(years, list, refused, (e) => num(e?.met)) }] };
}

/**
 * A view's trends: its heading, then loading, an error, or its charts, each titled and its exports
 * named after the area (全国, 鳥取県, …) and the years.
 */
function TrendSection({
  fiscalYear,
  area,
  charts,
  fetching,
  error,
  retry,
}: {
  readonly fiscalYear: number;
  readonly area: string;
  readonly charts: readonly Chart[];
  readonly fetching: boolean;
  readonly error: string | null;
  readonly retry: () => void;
}) {
  const { fromFiscalYear, toFiscalYear, years } = trendRange(fiscalYear);
  const span = `${fiscalYearLabel(fromFiscalYear)}〜${fiscalYearLabel(toFiscalYear)}`;
  return (
    <section className="trends" aria-labelledby="trends-title" aria-busy={fetching}>
      <h3 id="trends-title">推移（{span}）</h3>
      {fetching ? (
        <Loading what="推移のグラフ" />
      ) : error ? (
        <ErrorBox message={error} retry={retry} />
      ) : (
        <div className="trend-grid">
          {charts.map((c) => (
            <TrendChart
              key={c.file}
              title={`${c.title}（${area}、${span}）`}
              years={years}
              series={c.series}
              exportName={`${area}_${c.file}の推移_${span}`}
              {...(c.max === undefined ? {} : { max: c.max })}
            />
          ))}
        </div>
      )}
    </section>
  );
}

export function NationalTrends({ fiscalYear }: { readonly fiscalYear: number }) {
  const { fromFiscalYear, toFiscalYear, years } = trendRange(fiscalYear);
  const [result, reexecute] = useQuery({ query: NationalTrendsDocument, variables: { fromFiscalYear, toFiscalYear } });
  const refused = refusedAt(result.error);
  const data = result.data;
  const forumShare = perYear(years, data?.nationalEvaluations, refused('nationalEvaluations'), (e) =>
    num(e?.indicators.find((i) => i.code === 'FORUM_MUNICIPALITY')?.value, '%', 1),
  );
  return (
    <TrendSection
      fiscalYear={fiscalYear}
      area="全国"
      charts={[
        consultationChart(years, data?.nationalConsultationSummaries, refused('nationalConsultationSummaries')),
        trainingChart(years, data?.nationalTrainingSummaries, refused('nationalTrainingSummaries')),
        forumChart(forumShare),
      ]}
      fetching={result.fetching && !data}
      error={!data && result.error ? errorMessage(result.error) : null}
      retry={() => reexecute({ requestPolicy: 'network-only' })}
    />
  );
}

export function PrefectureTrends({ code, fiscalYear }: { readonly code: string; readonly fiscalYear: number }) {
  const { fromFiscalYear, toFiscalYear, years } = trendRange(fiscalYear);
  const [result, reexecute] = useQuery({ query: PrefectureTrendsDocument, variables: { code, fromFiscalYear, toFiscalYear } });
  const refused = refusedAt(result.error);
  const j = result.data?.jurisdiction;
  const coverage = j?.forumCoverage;
  const forumShare = perYear(years, coverage?.years, false, (y) => (y && coverage ? share(y.municipalitiesWithForum, coverage.municipalities) : num(null)));
  return (
    <TrendSection
      fiscalYear={fiscalYear}
      area={j?.name ?? ''}
      charts={[
        consultationChart(years, j?.consultationSummaries, refused('jurisdiction.consultationSummaries')),
        trainingChart(years, j?.trainingSummaries, refused('jurisdiction.trainingSummaries')),
        forumChart(forumShare),
        evaluationChart(years, j?.evaluations, refused('jurisdiction.evaluations')),
      ]}
      fetching={result.fetching && !result.data}
      error={!j ? (result.error ? errorMessage(result.error) : 'データがありません。') : null}
      retry={() => reexecute({ requestPolicy: 'network-only' })}
    />
  );
}

export function MunicipalTrends({ code, fiscalYear }: { readonly code: string; readonly fiscalYear: number }) {
  const { fromFiscalYear, toFiscalYear, years } = trendRange(fiscalYear);
  const [result, reexecute] = useQuery({ query: MunicipalTrendsDocument, variables: { code, fromFiscalYear, toFiscalYear } });
  const refused = refusedAt(result.error);
  const j = result.data?.jurisdiction;
  return (
    <TrendSection
      fiscalYear={fiscalYear}
      area={j?.name ?? ''}
      charts={[
        consultationChart(years, j?.consultationSummaries, refused('jurisdiction.consultationSummaries')),
        trainingChart(years, j?.trainingSummaries, refused('jurisdiction.trainingSummaries')),
        evaluationChart(years, j?.evaluations, refused('jurisdiction.evaluations')),
      ]}
      fetching={result.fetching && !result.data}
      error={!j ? (result.error ? errorMessage(result.error) : 'データがありません。') : null}
      retry={() => reexecute({ requestPolicy: 'network-only' })}
    />
  );
}
