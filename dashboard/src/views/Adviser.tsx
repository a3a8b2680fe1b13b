import { useQuery } from 'urql';
import { count, num, refusedCell, text } from '../cells';
import { errorMessage, refusedAt } from '../client';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorBox, FigureNotes, Loading } from '../components/Status';
import { evaluationSummary } from '../figures';
import { AdviserListDocument, AdviserViewDocument, type AdviserViewQuery } from '../generated/graphql';
import { fiscalYearLabel, label } from '../labels';
import { href } from '../route';

type Assignment = NonNullable<AdviserViewQuery['adviser']>['assignments'][number] & { readonly path: string };
type Request = NonNullable<Assignment['supportRequests']>[number] & { readonly jurisdiction: string };

/** The adviser organisation: an adviser's assigned jurisdictions, their support requests and their state. */
export function AdviserView({ id, fiscalYear }: { readonly id: string | null; readonly fiscalYear: number }) {
  const [list] = useQuery({ query: AdviserListDocument });
  const chosen = id ?? list.data?.advisers[0]?.id ?? null;
  return (
    <section aria-labelledby="view-title">
      <h2 id="view-title" tabIndex={-1}>
        アドバイザー <span className="fy">{fiscalYearLabel(fiscalYear)}</span>
      </h2>
      {list.fetching && !list.data ? (
        <Loading what="アドバイザーの一覧" />
      ) : list.error && !list.data ? (
        <ErrorBox message={errorMessage(list.error)} />
      ) : (
        <label className="indicator-select">
          アドバイザー{' '}
          <select value={chosen ?? ''} onChange={(e) => (location.hash = href.adviser(e.target.value))}>
            {(list.data?.advisers ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}（{label('AdviserKind', a.kind)}・{a.affiliation}）
              </option>
            ))}
          </select>
        </label>
      )}
      {chosen && <Assignments id={chosen} fiscalYear={fiscalYear} />}
      <FigureNotes />
    </section>
  );
}

function Assignments({ id, fiscalYear }: { readonly id: string; readonly fiscalYear: number }) {
  const [result, reexecute] = useQuery({ query: AdviserViewDocument, variables: { adviserId: id, fiscalYear } });
  const fy = fiscalYearLabel(fiscalYear);
  if (result.fetching && !result.data) return <Loading what="担当の都道府県・市町村" />;
  const adviser = result.data?.adviser;
  if (!adviser)
    return (
      <ErrorBox
        message={result.error ? errorMessage(result.error) : 'このアドバイザーは見つかりません。'}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
      />
    );
  const refused = refusedAt(result.error);
  const assignments: Assignment[] = adviser.assignments.map((a, i) => ({ ...a, path: `adviser.assignments.${i}` }));
  const requests: Request[] = assignments.flatMap((a) => (a.supportRequests ?? []).map((s) => ({ ...s, jurisdiction: a.name })));
  const assignmentColumns: Column<Assignment>[] = [
    {
      header: '担当',
      cell: (a) => text(a.name),
      render: (a) => <a href={a.kind === 'PREFECTURE' ? href.prefecture(a.code) : href.municipality(a.code)}>{a.name}</a>,
    },
    { header: '種別', cell: (a) => text(label('JurisdictionKind', a.kind)) },
    {
      header: '参加事業',
      cell: (a) =>
        a.programParticipation
          ? text(a.programParticipation.map((p) => label('Program', p.program)).join('、') || '不参加')
          : refusedCell(refused(`${a.path}.programParticipation`)),
    },
    { header: '協議の場（市町村）', cell: (a) => text(`${a.forumCoverage.municipalitiesWithForum} / ${a.forumCoverage.municipalities}`) },
    { header: '支援依頼', cell: (a) => (a.supportRequests ? num(a.supportRequests.length, '件') : refusedCell(refused(`${a.path}.supportRequests`))) },
    { header: '新規相談件数', cell: (a) => count(a.consultationSummary?.casesOpened, refused(`${a.path}.consultationSummary`), '件') },
    {
      header: '研修修了者数',
      cell: (a) => (a.trainingSummary ? num(a.trainingSummary.staffTrained, '人') : refused(`${a.path}.trainingSummary`) ? { kind: 'refused' } : num(null)),
    },
    { header: '評価', cell: (a) => evaluationSummary(a.evaluation, refused(`${a.path}.evaluation`)) },
  ];
  const requestColumns: Column<Request>[] = [
    { header: '依頼元', cell: (s) => text(s.jurisdiction) },
    { header: '方法', cell: (s) => text(label('SupportMode', s.mode)) },
    { header: '事業項目', cell: (s) => text(`(${s.topicItem})`) },
    { header: '状況', cell: (s) => text(label('SupportRequestStatus', s.status)) },
  ];
  return (
    <>
      <p>
        {adviser.displayName}（{label('AdviserKind', adviser.kind)}・{adviser.affiliation}）
      </p>
      <h3>担当の都道府県・市町村</h3>
      <DataTable
        caption={`${adviser.displayName}の担当（${fy}）`}
        exportName={`アドバイザー_担当_${fy}`}
        columns={assignmentColumns}
        rows={assignments}
        rowKey={(a) => a.code}
      />
      <h3>支援依頼とその状況</h3>
      <DataTable
        caption={`担当先からの支援依頼（${fy}）`}
        exportName={`アドバイザー_支援依頼_${fy}`}
        columns={requestColumns}
        rows={requests}
        rowKey={(s) => s.id}
      />
    </>
  );
}
