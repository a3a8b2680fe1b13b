import { startTestHub, type TestHub } from './hub';

/**
 * Trends through the gateway (issue 15, point 7): each range field answers, year by year, what its
 * one-year field answers, across all four subgraphs and federation's @requires, and a request's SQL
 * statements (all subgraphs together) are the same for one fiscal year as for five.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub.stop());

const YEARS = [2022, 2023, 2024, 2025, 2026];
const aliases = (field: string, selection: string) => YEARS.map((y) => `y${y}: ${field}(fiscalYear: ${y}) ${selection}`).join('\n');
const byYear = (answer: Record<string, unknown>) => YEARS.map((y) => answer[`y${y}`]);
const CONSULTATION =
  '{ fiscalYear casesOpened { value suppressed } contacts { value suppressed } referralsMade { value suppressed } medianDaysToFirstContact { days suppressed } }';
const TRAINING = '{ fiscalYear sessionsHeld completions staffTrained municipalitiesWithTrainedConsultationStaff }';
const EVALUATION = '{ fiscalYear tier met notMet indicators { code value target status basis } }';

async function ask<T>(query: string, claims: Record<string, unknown> = { role: 'nation' }) {
  const response = await fetch(hub.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.keys.sign(claims)}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  return { ...body, statements: response.headers.get('x-nimo-sql-statements') }; // per subgraph, e.g. consultation=1
}

describe('trends through the gateway', () => {
  it('answer each year as the one-year fields do, for a prefecture and the nation', async () => {
    const answer = await ask<Record<string, Record<string, unknown>>>(`{
      jurisdiction(code: "310000") {
        consultationSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) ${CONSULTATION}
        ${aliases('consultationSummary', CONSULTATION)}
        t: trainingSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) ${TRAINING}
        ${aliases('trainingSummary', TRAINING).replace(/\by(\d{4}):/g, 't$1:')}
        e: evaluations(fromFiscalYear: 2022, toFiscalYear: 2026) ${EVALUATION}
        ${aliases('evaluation', EVALUATION).replace(/\by(\d{4}):/g, 'e$1:')}
        forumCoverage { history { fiscalYear municipalitiesWithForum } years(fromFiscalYear: 2022, toFiscalYear: 2026) { fiscalYear municipalitiesWithForum } }
      }
      nationalConsultationSummaries(fromFiscalYear: 2022, toFiscalYear: 2026) ${CONSULTATION}
      ${aliases('nationalConsultationSummary', CONSULTATION)}
      n: nationalEvaluations(fromFiscalYear: 2022, toFiscalYear: 2026) { fiscalYear indicators { code value status } }
      ${aliases('nationalEvaluation', '{ fiscalYear indicators { code value status } }').replace(/\by(\d{4}):/g, 'n$1:')}
    }`);
    expect(answer.errors).toBeUndefined();
    const j: Record<string, unknown> = answer.data?.jurisdiction ?? {};
    expect(j.consultationSummaries).toEqual(byYear(j));
    expect(j.t).toEqual(YEARS.map((y) => j[`t${y}`]));
    expect(j.e).toEqual(YEARS.map((y) => j[`e${y}`]));
    const data: Record<string, unknown> = answer.data ?? {};
    expect(data.nationalConsultationSummaries).toEqual(byYear(data));
    expect(data.n).toEqual(YEARS.map((y) => data[`n${y}`]));
    // The forum indicators come through @requires for every year of the range: real values, not "not received".
    const forumIndicators = (data.n as { indicators: { code: string; value: number | null }[] }[]).map(
      (e) => e.indicators.find((i) => i.code === 'FORUM_MUNICIPALITY')?.value,
    );
    expect(forumIndicators.every((v) => typeof v === 'number')).toBe(true);
  });

  it('cost the same SQL statements for one fiscal year as for five, over every prefecture and municipality', async () => {
    const query = (from: number, to: number) => `{
      nationalEvaluation(fiscalYear: 2024) {
        prefectures {
          consultationSummaries(fromFiscalYear: ${from}, toFiscalYear: ${to}) { casesOpened { value } }
          trainingSummaries(fromFiscalYear: ${from}, toFiscalYear: ${to}) { completions }
          evaluations(fromFiscalYear: ${from}, toFiscalYear: ${to}) { met }
          programParticipations(fromFiscalYear: ${from}, toFiscalYear: ${to}) { program }
          forumCoverage { years(fromFiscalYear: ${from}, toFiscalYear: ${to}) { ownForum } }
          children { consultationSummaries(fromFiscalYear: ${from}, toFiscalYear: ${to}) { casesOpened { value } } trainingSummaries(fromFiscalYear: ${from}, toFiscalYear: ${to}) { staffTrained } }
        }
      }
    }`;
    const statements: Record<string, string | null> = {};
    for (const [name, from, to] of [
      ['1 year', 2024, 2024],
      ['5 years', 2022, 2026],
    ] as const) {
      const first = await ask(query(from, to)); // computes the years' figures not yet kept
      const again = await ask(query(from, to)); // reuses them
      expect(first.errors).toBeUndefined();
      expect(again.errors).toBeUndefined();
      statements[name] = again.statements;
    }
    expect(statements['1 year']).toMatch(/consultation=\d+/);
    expect(statements['5 years']).toBe(statements['1 year']);
  });
});
