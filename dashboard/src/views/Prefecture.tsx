import { useQuery } from 'urql';
import { count, num, REFUSED, text } from '../cells';
import { errorMessage, refusedAt } from '../client';
import { BarChart } from '../components/BarChart';
import { DataTable, type Column } from '../components/DataTable';
import { Figures } from '../components/Figures';
import { ErrorBox, FigureNotes, Loading, ViewState } from '../components/Status';
import { consultationFigures, evaluationSummary, INDICATOR_COLUMNS, trainingFigures } from '../figures';
import { PrefectureViewDocument, type PrefectureViewQuery } from '../generated/graphql';
import { fiscalYearLabel, label } from '../labels';
import { href } from '../route';
import { PrefectureTrends } from './Trends';

type Region = PrefectureViewQuery['regions'][number];
type Municipality = Region['municipalities'][number] & { readonly region: string; readonly path: string };
type Request = NonNullable<NonNullable<PrefectureViewQuery['jurisdiction']>['supportRequests']>[number];
type Forum = PrefectureViewQuery['forums']['nodes'][number] & { readonly path: string };

/** Minutes the viewer may not read come back null with FORBIDDEN: shown as refused, never as empty. */
const minutes = (values: readonly string[] | null | undefined, refusedHere: boolean) => (refusedHere ? REFUSED : text(values?.join('／')));

const LEVEL_ORDER: readonly string[] = ['PREFECTURE', 'REGION', 'MUNICIPALITY'];

/** 「あり（令和6年度の開催 3回）」: the forum's meetings of the year, from the view's list of forums (matched by id). */
const forumCell = (forum: { id: string } | null, held: ReadonlyMap<string, number>, fy: string) =>
  text(forum ? `あり（${fy}の開催 ${held.get(forum.id) ?? '—'}回）` : 'なし');

export function PrefectureView({ code, fiscalYear }: { readonly code: string; readonly fiscalYear: number }) {
  const [result, reexecute] = useQuery({ query: PrefectureViewDocument, variables: { code, fiscalYear } });
  const fy = fiscalYearLabel(fiscalYear);
  if (result.fetching && !result.data)
    return (
      <ViewState title="都道府県" sub={fy}>
        <Loading what={`都道府県の${fy}の数値`} />
      </ViewState>
    );
  const j = result.data?.jurisdiction;
  if (!result.data || !j)
    return (
      <ViewState title="都道府県" sub={fy}>
        <ErrorBox
          message={result.error ? errorMessage(result.error) : `コード ${code} の都道府県は見つかりません。`}
          retry={() => reexecute({ requestPolicy: 'network-only' })}
        />
      </ViewState>
    );
  const refused = refusedAt(result.error);
  const regions = result.data.regions;
  const municipalities: Municipality[] = regions.flatMap((r, ri) =>
    r.municipalities.map((m, mi) => ({ ...m, region: r.name, path: `regions.${ri}.municipalities.${mi}` })),
  );

  // The prefecture's own forum first, then its regions', then its municipalities', each by name.
  const forums: Forum[] = result.data.forums.nodes
    .map((f, i) => ({ ...f, path: `forums.nodes.${i}` }))
    .sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || a.name.localeCompare(b.name, 'ja'));
  const held: ReadonlyMap<string, number> = new Map(forums.map((f) => [f.id, f.meetingsHeld]));

  const muniColumns: Column<Municipality>[] = [
    { header: '市町村', cell: (m) => text(m.name), render: (m) => <a href={href.municipality(m.code)}>{m.name}</a> },
    { header: '種別', cell: (m) => text(label('JurisdictionKind', m.kind)) },
    { header: '障害保健福祉圏域', cell: (m) => text(m.region) },
    { header: '協議の場', cell: (m) => forumCell(m.forum, held, fy) },
    { header: '新規相談件数', cell: (m) => count(m.consultationSummary?.casesOpened, refused(`${m.path}.consultationSummary`), '件') },
    { header: '相談対応（延べ）', cell: (m) => count(m.consultationSummary?.contacts, refused(`${m.path}.consultationSummary`), '件') },
    { header: 'つなぎ件数', cell: (m) => count(m.consultationSummary?.referralsMade, refused(`${m.path}.consultationSummary`), '件') },
    {
      header: '研修修了者数',
      cell: (m) => (m.trainingSummary ? num(m.trainingSummary.staffTrained, '人') : refused(`${m.path}.trainingSummary`) ? { kind: 'refused' } : num(null)),
    },
    { header: '評価', cell: (m) => evaluationSummary(m.evaluation, refused(`${m.path}.evaluation`)) },
  ];
  const regionColumns: Column<Region>[] = [
    { header: '障害保健福祉圏域', cell: (r) => text(`${r.name}${r.isDemo ? '（デモ）' : ''}`) },
    { header: '協議の場', cell: (r) => forumCell(r.forum, held, fy) },
    { header: '市町村数', cell: (r) => num(r.municipalities.length) },
    { header: '協議の場のある市町村', cell: (r) => num(r.municipalities.filter((m) => m.forum).length) },
  ];
  const forumColumns: Column<Forum>[] = [
    { header: '協議の場', cell: (f) => text(f.name) },
    { header: '階層', cell: (f) => text(label('ForumLevel', f.level)) },
    { header: '設置日', cell: (f) => text(f.establishedOn) },
    { header: `${fy}の開催回数`, cell: (f) => num(f.meetingsHeld, '回') },
    { header: '直近の開催日', cell: (f) => text(f.meetings.map((m) => m.heldOn).join('、')) },
    { header: '直近の出席者数', cell: (f) => (refused(`${f.path}.meetings.0.attendees`) ? REFUSED : num(f.meetings[0]?.attendees, '人')) },
    { header: '直近の議題', cell: (f) => minutes(f.meetings[0]?.agenda, refused(`${f.path}.meetings.0.agenda`)) },
    { header: '直近の決定事項', cell: (f) => minutes(f.meetings[0]?.decisions, refused(`${f.path}.meetings.0.decisions`)) },
  ];
  const requestColumns: Column<Request>[] = [
    { header: '年度', cell: (s) => text(fiscalYearLabel(s.fiscalYear)) },
    { header: '方法', cell: (s) => text(label('SupportMode', s.mode)) },
    { header: '事業項目', cell: (s) => text(`(${s.topicItem})`) },
    { header: '状況', cell: (s) => text(label('SupportRequestStatus', s.status)) },
  ];
  return (
    <section aria-labelledby="view-title">
      <h2 id="view-title" tabIndex={-1}>
        {j.name} <span className="fy">{fy}</span>
      </h2>
      {result.fetching && <Loading what="最新の数値" />}
      <p>
        協議の場: {j.forum ? `${j.forum.name}（${fy}の開催 ${held.get(j.forum.id) ?? '—'}回）` : '未設置'}
        {' ／ '}
        {(j.programParticipation ?? []).length > 0
          ? (j.programParticipation ?? [])
              .map((p) => `${label('Program', p.program)}${p.itemNumbers.length ? `（事業 ${p.itemNumbers.map((n) => `(${n})`).join('')}）` : ''}`)
              .join('、')
          : '国の事業への参加なし'}
        {' ／ '}アドバイザー: {j.advisers?.length ? j.advisers.map((a) => `${a.displayName}（${label('AdviserKind', a.kind)}）`).join('、') : 'なし'}
      </p>
      <div className="figure-grid">
        <Figures title="相談" figures={consultationFigures(j.consultationSummary, refused('jurisdiction.consultationSummary'))} />
        <Figures title="研修" figures={trainingFigures(j.trainingSummary, refused('jurisdiction.trainingSummary'))} />
      </div>
      <PrefectureTrends code={code} fiscalYear={fiscalYear} />
      <h3>市町村の一覧</h3>
      <DataTable
        caption={`${j.name}の市町村（${fy}）`}
        exportName={`${j.name}_市町村別_${fy}`}
        columns={muniColumns}
        rows={municipalities}
        rowKey={(m) => m.code}
      />
      <h3>障害保健福祉圏域と協議の場</h3>
      <DataTable caption={`${j.name}の圏域と協議の場`} exportName={`${j.name}_圏域_${fy}`} columns={regionColumns} rows={regions} rowKey={(r) => r.id} />
      <h3>協議の場と直近の開催</h3>
      <DataTable
        caption={`${j.name}の協議の場と直近の開催`}
        exportName={`${j.name}_協議の場_${fy}`}
        columns={forumColumns}
        rows={forums}
        rowKey={(f) => f.id}
      />
      <h3>計画の目標と実績</h3>
      <DataTable
        caption={`${j.name}の評価指標（${fy}）`}
        exportName={`${j.name}_評価指標_${fy}`}
        columns={INDICATOR_COLUMNS}
        rows={j.evaluation?.indicators ?? []}
        rowKey={(i) => i.code}
      />
      <h3>アドバイザー組織への支援依頼</h3>
      <DataTable
        caption={`${j.name}の支援依頼`}
        exportName={`${j.name}_支援依頼`}
        columns={requestColumns}
        rows={j.supportRequests ?? []}
        rowKey={(s) => s.id}
      />
      <h3>新規相談件数（市町村別）</h3>
      <BarChart
        title={`新規相談件数の多い市町村（上位10、${fy}）`}
        unit="件"
        bars={[...municipalities]
          .sort((a, b) => (b.consultationSummary?.casesOpened.value ?? -1) - (a.consultationSummary?.casesOpened.value ?? -1))
          .slice(0, 10)
          .map((m) => ({ label: m.name, cell: count(m.consultationSummary?.casesOpened, refused(`${m.path}.consultationSummary`)) }))}
      />
      <FigureNotes />
    </section>
  );
}
