import { startTransition, useEffect, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { count, num, refusedCell, text, type Cell } from '../cells';
import { errorMessage, refusedAt } from '../client';
import { BarChart } from '../components/BarChart';
import { DataTable, type Column } from '../components/DataTable';
import { Figures } from '../components/Figures';
import { ErrorBox, FigureNotes, Loading, ViewState } from '../components/Status';
import { TileMap } from '../components/TileMap';
import { consultationFigures, evaluationSummary, INDICATOR_COLUMNS, share, trainingFigures } from '../figures';
import { NationalViewDocument, type NationalViewQuery } from '../generated/graphql';
import { fiscalYearLabel, label, labelsLoaded } from '../labels';
import { href } from '../route';
import { NationalTrends } from './Trends';

type Prefecture = NonNullable<NationalViewQuery['nationalEvaluation']>['prefectures'][number];

interface Indicator {
  readonly label: string;
  readonly unit: string;
  readonly cell: (p: Prefecture, refused: boolean) => Cell;
}

const INDICATORS: readonly Indicator[] = [
  { label: '新規相談件数', unit: '件', cell: (p, r) => count(p.consultationSummary?.casesOpened, r, '件') },
  { label: 'つなぎ（紹介）件数', unit: '件', cell: (p, r) => count(p.consultationSummary?.referralsMade, r, '件') },
  { label: '研修修了者数', unit: '人', cell: (p) => num(p.trainingSummary?.staffTrained, '人') },
  { label: '協議の場を設置した市町村の割合', unit: '%', cell: (p) => share(p.forumCoverage.municipalitiesWithForum, p.forumCoverage.municipalities) },
  { label: '達成した評価指標の数', unit: '', cell: (p) => num(p.evaluation?.met) },
];

export const FIRST_FIGURES = 'nimo:national-first-figures';

const participation = (p: Prefecture, program: string) => p.programParticipation?.find((x) => x.program === program);

export function NationalView({ fiscalYear }: { readonly fiscalYear: number }) {
  const [result, reexecute] = useQuery({ query: NationalViewDocument, variables: { fiscalYear } });
  const [indicator, setIndicator] = useState(0);
  const fy = fiscalYearLabel(fiscalYear);
  const refused = refusedAt(result.error);
  const prefectures = useMemo(() => result.data?.nationalEvaluation?.prefectures ?? [], [result.data]);
  // The time to first figures (scripts/first-figures.mjs reads this mark): the answer shown in
  // Japanese (App shows the view once the labels are in; it renders it again then).
  const painted = result.data !== undefined && labelsLoaded();
  // The figures and the map first; the tables and the chart below them (most of the rendering) in
  // the frame after, so that the first figures do not wait for them.
  const [rest, setRest] = useState(false);
  useEffect(() => {
    if (!painted) return;
    // Marked once the frame with the figures is painted: a callback queued from the next frame runs after its paint.
    const frame = requestAnimationFrame(() =>
      setTimeout(() => {
        if (performance.getEntriesByName(FIRST_FIGURES).length === 0) performance.mark(FIRST_FIGURES);
        startTransition(() => setRest(true));
      }, 0),
    );
    return () => cancelAnimationFrame(frame);
  }, [painted]);
  const pathOf = (p: Prefecture) => `nationalEvaluation.prefectures.${prefectures.indexOf(p)}`;

  const tableColumns: Column<Prefecture>[] = [
    { header: '都道府県', cell: (p) => text(p.name), render: (p) => <a href={href.prefecture(p.code)}>{p.name}</a> },
    ...INDICATORS.slice(0, 3).map((i) => ({ header: i.label, cell: (p: Prefecture) => i.cell(p, refused(`${pathOf(p)}.consultationSummary`)) })),
    { header: '相談対応（延べ）', cell: (p) => count(p.consultationSummary?.contacts, refused(`${pathOf(p)}.consultationSummary`), '件') },
    { header: '協議の場（市町村）', cell: (p) => share(p.forumCoverage.municipalitiesWithForum, p.forumCoverage.municipalities) },
    { header: '協議の場（圏域）', cell: (p) => share(p.forumCoverage.regionsWithForum, p.forumCoverage.regions) },
    { header: '評価', cell: (p) => evaluationSummary(p.evaluation, refused(`${pathOf(p)}.evaluation`)) },
  ];
  const programColumns: Column<Prefecture>[] = [
    { header: '都道府県', cell: (p) => text(p.name), render: (p) => <a href={href.prefecture(p.code)}>{p.name}</a> },
    {
      header: `${label('Program', 'CONSTRUCTION_PROMOTION')}の実施事業`,
      cell: (p) =>
        text(
          participation(p, 'CONSTRUCTION_PROMOTION')
            ?.itemNumbers.map((n) => `(${n})`)
            .join(' ') ?? '不参加',
        ),
    },
    { header: `${label('Program', 'CONSTRUCTION_PROMOTION')}の予算（千円）`, cell: (p) => num(participation(p, 'CONSTRUCTION_PROMOTION')?.budgetThousandYen) },
    { header: label('Program', 'CONSTRUCTION_SUPPORT'), cell: (p) => text(participation(p, 'CONSTRUCTION_SUPPORT') ? '参加' : '不参加') },
    { header: 'アドバイザー数', cell: (p) => (p.advisers ? num(p.advisers.length, '人') : refusedCell(refused(`${pathOf(p)}.advisers`))) },
    {
      header: 'アドバイザー',
      cell: (p) =>
        p.advisers
          ? text(p.advisers.map((a) => `${a.displayName}（${label('AdviserKind', a.kind)}）`).join('、'))
          : refusedCell(refused(`${pathOf(p)}.advisers`)),
    },
  ];

  if (result.fetching && !result.data)
    return (
      <ViewState title="全国" sub={fy}>
        <Loading what={`全国の${fy}の数値`} />
      </ViewState>
    );
  if (!result.data)
    return (
      <ViewState title="全国" sub={fy}>
        <ErrorBox message={result.error ? errorMessage(result.error) : 'データがありません。'} retry={() => reexecute({ requestPolicy: 'network-only' })} />
      </ViewState>
    );
  const national = result.data;
  const chosen = INDICATORS[indicator] ?? INDICATORS[0]!;
  return (
    <section aria-labelledby="view-title">
      <h2 id="view-title" tabIndex={-1}>
        全国 <span className="fy">{fy}</span>
      </h2>
      {result.fetching && <Loading what="最新の数値" />}
      <div className="figure-grid">
        <Figures title="相談（全国）" figures={consultationFigures(national.nationalConsultationSummary, refused('nationalConsultationSummary'))} />
        <Figures title="研修（全国）" figures={trainingFigures(national.nationalTrainingSummary, refused('nationalTrainingSummary'))} />
      </div>
      <NationalTrends fiscalYear={fiscalYear} />
      <h3>都道府県別の地図</h3>
      <label className="indicator-select">
        色分けする指標{' '}
        <select value={indicator} onChange={(e) => setIndicator(Number(e.target.value))}>
          {INDICATORS.map((i, n) => (
            <option key={i.label} value={n}>
              {i.label}
            </option>
          ))}
        </select>
      </label>
      <TileMap
        title={`${chosen.label}（${fy}）`}
        unit={chosen.unit}
        areas={prefectures.map((p) => ({
          code: p.code,
          name: p.name,
          href: href.prefecture(p.code),
          cell: chosen.cell(p, refused(`${pathOf(p)}.consultationSummary`)),
        }))}
      />
      {rest && <NationalTables fy={fy} prefectures={prefectures} tableColumns={tableColumns} programColumns={programColumns} national={national} />}
    </section>
  );
}

/** The tables and the chart below the map (rendered the frame after the first figures). */
function NationalTables({
  fy,
  prefectures,
  tableColumns,
  programColumns,
  national,
}: {
  readonly fy: string;
  readonly prefectures: readonly Prefecture[];
  readonly tableColumns: Column<Prefecture>[];
  readonly programColumns: Column<Prefecture>[];
  readonly national: NationalViewQuery;
}) {
  return (
    <>
      <h3>都道府県の一覧</h3>
      <DataTable caption={`都道府県別の数値（${fy}）`} exportName={`全国_都道府県別_${fy}`} columns={tableColumns} rows={prefectures} rowKey={(p) => p.code} />
      <h3>事業への参加とアドバイザー</h3>
      <DataTable
        caption={`事業への参加とアドバイザー（${fy}）`}
        exportName={`全国_事業参加_${fy}`}
        columns={programColumns}
        rows={prefectures}
        rowKey={(p) => p.code}
      />
      <h3>計画の目標と実績（全国）</h3>
      <DataTable
        caption={`計画の目標と実績（${fy}）`}
        exportName={`全国_目標と実績_${fy}`}
        columns={INDICATOR_COLUMNS}
        rows={national.nationalEvaluation?.indicators ?? []}
        rowKey={(i) => i.code}
      />
      <h3>相談の内容（全国）</h3>
      <BarChart
        title={`新規相談の内容別件数（全国、${fy}）`}
        unit="件"
        bars={(national.nationalConsultationSummary?.casesByNeed ?? []).map((n) => ({ label: label('Need', n.need), cell: count(n.count) }))}
      />
      <FigureNotes />
    </>
  );
}
