import { demoUuid, jurisdictionRows, municipalityRows } from '@nimo/kit';
import { dashboardOperations } from '@nimo/schema/operations';
import { startTestHub, type TestHub } from './hub';

/**
 * The checked-in dashboard operations (schema/operations/), sent as trusted persisted documents
 * (hash only), answered through the gateway by all four subgraphs, and checked against the data.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub.stop());

const OPERATIONS = new Map(dashboardOperations().map((o) => [o.name, o]));
// FY2024: the year every subgraph's demo data covers.
const PERIOD = { fiscalYear: 2024 };
const FY2024 = { from: '2024-04-01', to: '2025-03-31' };
const TOTTORI = '310000';
const HOKKAIDO = '010006';
const CHIYODA = '131016';
const CHIYODA_DESK = demoUuid('organization', CHIYODA, '千代田区障害福祉課 精神保健福祉相談窓口');

interface Reply<T> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  fetches: string | null;
  statements: string | null;
}

/** Sends a dashboard operation by its hash only, as a dashboard does. */
async function run<T>(name: string, variables: Record<string, unknown>, claims: Record<string, unknown>): Promise<Reply<T>> {
  const op = OPERATIONS.get(name);
  if (!op) throw new Error(`no operation ${name}`);
  const response = await fetch(hub.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.keys.sign(claims)}` },
    body: JSON.stringify({ operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: op.sha256 } } }),
  });
  const body = (await response.json()) as Omit<Reply<T>, 'fetches' | 'statements'>;
  return { ...body, fetches: response.headers.get('x-nimo-subgraph-fetches'), statements: response.headers.get('x-nimo-sql-statements') };
}

const db = (name: string) => {
  const sub = hub.subgraphs[name];
  if (!sub) throw new Error(`no subgraph ${name}`);
  return sub.db;
};

interface Count {
  value: number | null;
  suppressed: boolean;
}

describe('dashboard operations as trusted documents', () => {
  it('answers a known hash without the query text, and refuses an unknown one', async () => {
    const response = await fetch(hub.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it("NationalOverview: every prefecture and municipality, with figures that agree with the subgraphs' data", async () => {
    type Prefecture = {
      code: string;
      consultationSummary: { casesOpened: Count };
      forumCoverage: { municipalities: number; municipalitiesWithForum: number };
      advisers: { id: string }[];
      children: { code: string; kind: string; forum: { id: string } | null }[];
    };
    const answer = await run<{ nationalConsultationSummary: { casesOpened: Count }; nationalEvaluation: { prefectures: Prefecture[] } }>(
      'NationalOverview',
      PERIOD,
      { role: 'nation' },
    );
    expect(answer.errors).toBeUndefined();
    const prefectures = answer.data?.nationalEvaluation.prefectures ?? [];
    expect(prefectures).toHaveLength(47);
    const municipalities = municipalityRows(jurisdictionRows());
    expect(prefectures.reduce((s, p) => s + p.children.filter((c) => c.kind !== 'ADMINISTRATIVE_WARD').length, 0)).toBeGreaterThanOrEqual(
      municipalities.length,
    );
    for (const p of prefectures) expect([p.code, p.children.filter((c) => c.forum !== null).length]).toEqual([p.code, p.forumCoverage.municipalitiesWithForum]);
    const [{ n }] = await db('consultation').query<[{ n: number }]>('SELECT count(*)::int AS n FROM consultation_case WHERE opened_on BETWEEN $1 AND $2', [
      FY2024.from,
      FY2024.to,
    ]);
    expect(answer.data?.nationalConsultationSummary.casesOpened.value).toBe(n);
    // No prefecture has 1–9 cases in the demo data; a prefecture's total may still be hidden as a
    // complement of the protection (issue 13: on this small demo, moves between municipalities of two
    // prefectures hide both totals). The shown ones add up to the nation exactly when none is hidden.
    const shown = prefectures.map((p) => p.consultationSummary.casesOpened);
    const [{ small }] = await db('consultation').query<[{ small: number }]>(
      'SELECT count(*)::int AS small FROM (SELECT substr(municipality_code, 1, 2) AS p, count(*) AS n FROM consultation_case WHERE opened_on BETWEEN $1 AND $2 GROUP BY 1) t WHERE n BETWEEN 1 AND 9',
      [FY2024.from, FY2024.to],
    );
    expect(small).toBe(0);
    const hidden = shown.filter((c) => c.suppressed).length;
    const sum = shown.reduce((s, c) => s + (c.value ?? 0), 0);
    expect([hidden, sum === n, sum <= n]).toEqual([hidden, hidden === 0, true]);
    // Every prefecture's advisers, wide-area advisers with several prefectures included.
    const [{ a }] = await db('adviser-support').query<[{ a: number }]>(
      "SELECT count(DISTINCT (adviser_id, jurisdiction_code))::int AS a FROM adviser_assignment WHERE fiscal_year = $1 AND substr(jurisdiction_code, 3, 3) = '000'",
      [PERIOD.fiscalYear],
    );
    expect(prefectures.reduce((s, p) => s + p.advisers.length, 0)).toBe(a);
  });

  it("PrefectureView: regions partition the municipalities, and its figures equal the national overview's", async () => {
    type Muni = { code: string; consultationSummary: { casesOpened: Count }; trainingSummary: { staffTrained: number } };
    const answer = await run<{ jurisdiction: { consultationSummary: { casesOpened: Count } }; regions: { municipalities: Muni[] }[] }>(
      'PrefectureView',
      { ...PERIOD, code: TOTTORI },
      { role: 'prefecture', jurisdictions: [TOTTORI] },
    );
    expect(answer.errors).toBeUndefined();
    const codes = (answer.data?.regions ?? []).flatMap((r) => r.municipalities.map((m) => m.code)).sort();
    expect(codes).toEqual(
      municipalityRows(jurisdictionRows())
        .filter((m) => m.prefectureCode === TOTTORI)
        .map((m) => m.code)
        .sort(),
    );
    const national = await run<{
      nationalEvaluation: {
        prefectures: { code: string; consultationSummary: { casesOpened: Count }; children: { code: string; consultationSummary: { casesOpened: Count } }[] }[];
      };
    }>('NationalOverview', PERIOD, { role: 'adviser' });
    const tottori = national.data?.nationalEvaluation.prefectures.find((p) => p.code === TOTTORI);
    expect(tottori).toBeDefined();
    expect(answer.data?.jurisdiction.consultationSummary.casesOpened).toEqual(tottori?.consultationSummary.casesOpened);
    const fromNational = new Map(tottori?.children.map((c) => [c.code, c.consultationSummary.casesOpened]));
    for (const m of (answer.data?.regions ?? []).flatMap((r) => r.municipalities)) expect(m.consultationSummary.casesOpened).toEqual(fromNational.get(m.code));
  });

  it('PrefectureView costs the same SQL statements per subgraph for 19 municipalities as for 179', async () => {
    // Compared in the steady state: figures reused until the data changes (kit GenerationCache) cost
    // more statements on the first request for a jurisdiction than on the next ones.
    for (const code of [TOTTORI, HOKKAIDO]) await run('PrefectureView', { ...PERIOD, code }, { role: 'nation' });
    const small = await run('PrefectureView', { ...PERIOD, code: TOTTORI }, { role: 'nation' });
    const large = await run('PrefectureView', { ...PERIOD, code: HOKKAIDO }, { role: 'nation' });
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(small.statements).toBeTruthy();
    expect(large.statements).toBe(small.statements);
    expect(large.fetches).toBe(small.fetches);
  });

  it('MunicipalView: its desks and their staff, open cases and referrals as the database holds them', async () => {
    type Org = { id: string; staff: { displayName: string }[] | null };
    const answer = await run<{ jurisdiction: { organizations: Org[] }; openCases: { totalCount: number }; openReferrals: { totalCount: number } }>(
      'MunicipalView',
      { ...PERIOD, code: CHIYODA },
      { role: 'municipality', jurisdictions: [CHIYODA], org: CHIYODA_DESK },
    );
    const orgs = answer.data?.jurisdiction.organizations ?? [];
    const desk = orgs.find((o) => o.id === CHIYODA_DESK);
    // The desk sees its own staff: the list the training database holds for it (not null, not missing).
    const [{ staff }] = await db('training').query<[{ staff: number }]>('SELECT count(*)::int AS staff FROM staff_member WHERE organization_id = $1', [
      CHIYODA_DESK,
    ]);
    expect(staff).toBeGreaterThan(0);
    expect(desk?.staff).toHaveLength(staff);
    // Other organisations' staff are not this principal's: null, with one FORBIDDEN error at each of
    // their paths and no other error.
    const others = orgs.flatMap((o, i) => (o.id === CHIYODA_DESK ? [] : [{ o, i }]));
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter(({ o }) => o.staff !== null)).toEqual([]);
    const refused = others.map(({ i }) => ['FORBIDDEN', `jurisdiction.organizations.${i}.staff`]);
    expect((answer.errors ?? []).map((e) => [e.extensions?.code, e.path?.join('.')]).sort()).toEqual(refused.sort());
    const [{ cases }] = await db('consultation').query<[{ cases: number }]>(
      "SELECT count(*)::int AS cases FROM consultation_case WHERE municipality_code = $1 AND status IN ('OPEN', 'REFERRED')",
      [CHIYODA],
    );
    const [{ refs }] = await db('consultation').query<[{ refs: number }]>(
      "SELECT count(*)::int AS refs FROM referral WHERE municipality_code = $1 AND status IN ('REQUESTED', 'ACCEPTED', 'IN_PROGRESS')",
      [CHIYODA],
    );
    expect(answer.data?.openCases.totalCount).toBe(cases);
    expect(answer.data?.openReferrals.totalCount).toBe(refs);
  });

  it('AdviserView: the jurisdictions assigned to the adviser for the year', async () => {
    const [row] = await db('adviser-support').query<{ adviser_id: string; codes: string[] }[]>(
      'SELECT adviser_id, array_agg(jurisdiction_code::text ORDER BY jurisdiction_code) AS codes FROM adviser_assignment WHERE fiscal_year = $1 GROUP BY adviser_id ORDER BY count(*) DESC, adviser_id LIMIT 1',
      [PERIOD.fiscalYear],
    );
    expect(row).toBeDefined();
    const answer = await run<{ adviser: { assignments: { code: string; consultationSummary: { casesOpened: Count } | null }[] } }>(
      'AdviserView',
      { ...PERIOD, adviserId: row?.adviser_id },
      { role: 'adviser' },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.adviser.assignments.map((a) => a.code).sort()).toEqual(row?.codes);
    expect(answer.data?.adviser.assignments.every((a) => a.consultationSummary !== null)).toBe(true);
  });
});
