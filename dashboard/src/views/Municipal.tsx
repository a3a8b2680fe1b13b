import { useQuery } from 'urql';
import { count, num, REFUSED, text } from '../cells';
import { errorMessage, refusedAt } from '../client';
import { BarChart } from '../components/BarChart';
import { DataTable, type Column } from '../components/DataTable';
import { Figures } from '../components/Figures';
import { ErrorBox, FigureNotes, Loading, ViewState } from '../components/Status';
import { consultationFigures, INDICATOR_COLUMNS, trainingFigures } from '../figures';
import { MunicipalViewDocument, type MunicipalViewQuery } from '../generated/graphql';
import { fiscalYearLabel, label } from '../labels';
import { MunicipalTrends } from './Trends';

type Desk = NonNullable<MunicipalViewQuery['jurisdiction']>['organizations'][number] & { readonly path: string };

/**
 * A municipality: its desks with their staff and trained staff as counts, its open cases and
 * referrals as counts only (a client's details stay on the desk's own screens), its figures and forum.
 */
export function MunicipalView({ code, fiscalYear }: { readonly code: string; readonly fiscalYear: number }) {
  const [result, reexecute] = useQuery({ query: MunicipalViewDocument, variables: { code, fiscalYear } });
  const fy = fiscalYearLabel(fiscalYear);
  if (result.fetching && !result.data)
    return (
      <ViewState title="市町村" sub={fy}>
        <Loading what={`市町村の${fy}の数値`} />
      </ViewState>
    );
  const j = result.data?.jurisdiction;
  if (!result.data || !j)
    return (
      <ViewState title="市町村" sub={fy}>
        <ErrorBox
          message={result.error ? errorMessage(result.error) : `コード ${code} の市町村は見つかりません。`}
          retry={() => reexecute({ requestPolicy: 'network-only' })}
        />
      </ViewState>
    );
  const refused = refusedAt(result.error);
  const desks: Desk[] = j.organizations.map((o, i) => ({ ...o, path: `jurisdiction.organizations.${i}` }));
  const deskColumns: Column<Desk>[] = [
    { header: '窓口', cell: (d) => text(d.name) },
    { header: 'サービス', cell: (d) => text(d.services.map((s) => label('ServiceKind', s)).join('、')) },
    { header: '職員数', cell: (d) => (d.staff ? num(d.staff.length, '人') : refused(`${d.path}.staff`) ? REFUSED : num(null)) },
    {
      header: '研修修了職員数',
      cell: (d) => (d.staff ? num(d.staff.filter((s) => (s.completions?.length ?? 0) > 0).length, '人') : refused(`${d.path}.staff`) ? REFUSED : num(null)),
    },
    {
      header: '相談担当職員数',
      cell: (d) => (d.staff ? num(d.staff.filter((s) => s.consultationStaff).length, '人') : refused(`${d.path}.staff`) ? REFUSED : num(null)),
    },
  ];
  const openCases = result.data.openCases;
  const openReferrals = result.data.openReferrals;
  const c = j.consultationSummary;
  return (
    <section aria-labelledby="view-title">
      <h2 id="view-title" tabIndex={-1}>
        {j.name} <span className="fy">{fy}</span>
      </h2>
      {result.fetching && <Loading what="最新の数値" />}
      <p>協議の場: {j.forum ? `あり（昨年度の開催 ${j.forum.meetingsLastYear ?? '—'}回）` : '未設置'}</p>
      <div className="figure-grid">
        <Figures
          title="いま対応中のもの（件数のみ）"
          figures={[
            { label: '対応中・つなぎ中の相談', cell: openCases ? num(openCases.totalCount, '件') : refused('openCases') ? REFUSED : num(null) },
            { label: '進行中のつなぎ（紹介）', cell: openReferrals ? num(openReferrals.totalCount, '件') : refused('openReferrals') ? REFUSED : num(null) },
          ]}
        />
        <Figures title="相談" figures={consultationFigures(c, refused('jurisdiction.consultationSummary'))} />
        <Figures title="研修" figures={trainingFigures(j.trainingSummary, refused('jurisdiction.trainingSummary'))} />
      </div>
      <MunicipalTrends code={code} fiscalYear={fiscalYear} />
      <h3>相談窓口と職員</h3>
      <DataTable caption={`${j.name}の相談窓口`} exportName={`${j.name}_相談窓口`} columns={deskColumns} rows={desks} rowKey={(d) => d.id} />
      <h3>相談の状況と内容</h3>
      <div className="figure-grid">
        <BarChart
          title={`状況別の相談件数（${fy}）`}
          unit="件"
          bars={(c?.casesByStatus ?? []).map((s) => ({ label: label('CaseStatus', s.status), cell: count(s.count) }))}
        />
        <BarChart
          title={`内容別の相談件数（${fy}）`}
          unit="件"
          bars={(c?.casesByNeed ?? []).map((n) => ({ label: label('Need', n.need), cell: count(n.count) }))}
        />
      </div>
      <h3>計画の目標と実績</h3>
      <DataTable
        caption={`${j.name}の評価指標（${fy}）`}
        exportName={`${j.name}_評価指標_${fy}`}
        columns={INDICATOR_COLUMNS}
        rows={j.evaluation?.indicators ?? []}
        rowKey={(i) => i.code}
      />
      <FigureNotes />
    </section>
  );
}
