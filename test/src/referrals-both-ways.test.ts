import { randomUUID } from 'node:crypto';
import { demoUuid } from '@nimo/kit';
import { gql, startTestHub, type Answer, type TestHub } from './hub';

/**
 * The second line in both directions and to every receiver the seed names (issue 15, point 5): a
 * municipal desk refers to the core consultation support centre, the community general support
 * centre, a consultation support provider or a psychiatric hospital, each checked to be of that kind
 * with the directory; the public health centre, the mental health and welfare centre, a hospital or a
 * support centre refers a person back to the municipal desk, which answers. Figures count both ways.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 180_000);
afterAll(() => hub.stop());

const CHIYODA = '131016';
const SHIBUYA = '131130';
const TOKYO = '130001';
const org = (code: string, name: string) => demoUuid('organization', code, name);
const DESK = org(CHIYODA, '千代田区障害福祉課 精神保健福祉相談窓口');
const SHIBUYA_DESK = org(SHIBUYA, '渋谷区障害福祉課 精神保健福祉相談窓口');
const CLINIC = org(CHIYODA, '千代田区こころのクリニック（デモ）');
const MHW_CENTRE = org(TOKYO, '東京都中部精神保健福祉センター');
const HOSPITAL = org(CHIYODA, '千代田区みどり病院（デモ）');
const RECEIVERS: [string, string][] = [
  ['CORE_CONSULTATION_SUPPORT_CENTRE', org(CHIYODA, '千代田区基幹相談支援センター')],
  ['COMMUNITY_GENERAL_SUPPORT_CENTRE', org(CHIYODA, '千代田区第1地域包括支援センター')],
  ['CONSULTATION_SUPPORT_PROVIDER', org(CHIYODA, '相談支援事業所 千代田区ひだまり')],
  ['PSYCHIATRIC_HOSPITAL', HOSPITAL],
];

const chiyoda = { role: 'municipality', jurisdictions: [CHIYODA], sub: 'both-chiyoda' };
const centre = { role: 'mhw_centre', jurisdictions: [TOKYO], org: MHW_CENTRE, sub: 'both-centre' };
const hospital = { role: 'provider', org: HOSPITAL, sub: 'both-hospital' };
async function as<T = Record<string, unknown>>(claims: Record<string, unknown>, query: string, variables?: Record<string, unknown>): Promise<Answer<T>> {
  return gql<T>(hub.gateway.url, query, variables, { authorization: `Bearer ${await hub.keys.sign(claims)}` });
}
const firstError = (a: Answer<unknown>) => a.body.errors?.[0];
const consultation = () => {
  const db = hub.subgraphs.consultation?.db;
  if (!db) throw new Error('no consultation subgraph');
  return db;
};
const countOf = async (sql: string, params: unknown[] = []): Promise<number> => (await consultation().query<{ n: number }[]>(sql, params))[0]?.n ?? -1;

const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id version } }`;
const REFER = `mutation Refer($id: ID!, $v: Int!, $input: ReferInput!) { referCase(caseId: $id, expectedVersion: $v, input: $input) { id target direction } }`;
const TO_MUNICIPALITY = `mutation In($input: ReferToMunicipalityInput!) {
  referToMunicipality(input: $input) { id status direction target fromKind receiver { id } sender { id } version case { id status } } }`;
const inbound = (extra: Record<string, unknown> = {}) => ({
  municipalityCode: CHIYODA,
  deskId: DESK,
  fromKind: 'MENTAL_HEALTH_WELFARE_CENTRE',
  ageBand: 'AGE_30S',
  sex: 'FEMALE',
  needs: ['MENTAL_HEALTH', 'HOUSING'],
  reason: `退院後の地域生活の支援を依頼 ${randomUUID().slice(0, 8)}`,
  ...extra,
});

async function openCase(): Promise<{ id: string; version: number }> {
  const answer = await as<{ openCase: { id: string; version: number } }>(chiyoda, OPEN, {
    input: {
      municipalityCode: CHIYODA,
      deskId: DESK,
      clientReference: `B-${randomUUID().slice(0, 8)}`,
      ageBand: 'AGE_40S',
      sex: 'MALE',
      needs: ['MENTAL_HEALTH'],
      openedOn: '2026-05-01',
    },
  });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data!.openCase;
}

describe('a municipal desk refers to every receiver the seed names, each of its kind', () => {
  it.each(RECEIVERS)('refers to a %s of that kind', async (target, receiver) => {
    const c = await openCase();
    const answer = await as<{ referCase: { target: string; direction: string } }>(chiyoda, REFER, {
      id: c.id,
      v: c.version,
      input: { target, toOrganizationId: receiver, reason: '専門的支援の依頼' },
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.referCase).toEqual({ id: expect.any(String), target, direction: 'FROM_MUNICIPALITY' });
  });

  it.each(RECEIVERS)('refuses a %s that is a clinic, storing nothing', async (target) => {
    const c = await openCase();
    const answer = await as(chiyoda, REFER, { id: c.id, v: c.version, input: { target, toOrganizationId: CLINIC, reason: '専門的支援の依頼' } });
    expect(firstError(answer)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'input.toOrganizationId' } });
    expect(await countOf('SELECT count(*)::int AS n FROM referral WHERE case_id = $1', [c.id])).toBe(0);
  });

  it('refuses MUNICIPALITY as the target of a referral a municipality makes', async () => {
    const c = await openCase();
    const answer = await as(chiyoda, REFER, { id: c.id, v: c.version, input: { target: 'MUNICIPALITY', toOrganizationId: SHIBUYA_DESK, reason: '転居' } });
    expect(firstError(answer)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'input.target' } });
    expect(await countOf('SELECT count(*)::int AS n FROM referral WHERE case_id = $1', [c.id])).toBe(0);
  });
});

describe('the second line refers back to the municipality, which answers', () => {
  it("opens the municipality's case with the referral REQUESTED; the municipality sees and accepts it, the sender sees it", async () => {
    const given = inbound();
    const sent = await as<{ referToMunicipality: { id: string; version: number; case: unknown } }>(centre, TO_MUNICIPALITY, { input: given });
    expect(sent.body.errors).toBeUndefined();
    const referral = sent.body.data!.referToMunicipality;
    expect(referral).toMatchObject({
      status: 'REQUESTED',
      direction: 'TO_MUNICIPALITY',
      target: 'MUNICIPALITY',
      fromKind: 'MENTAL_HEALTH_WELFARE_CENTRE',
      receiver: { id: DESK },
      sender: { id: MHW_CENTRE },
      version: 1,
      case: null,
    });

    const LIST = `{ referrals(first: 100, filter: { direction: TO_MUNICIPALITY, statuses: [REQUESTED] }) { nodes { id reason case { status municipality { code } } } } }`;
    const mine = await as<{ referrals: { nodes: { id: string; reason: string; case: { status: string; municipality: { code: string } } }[] } }>(chiyoda, LIST);
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data!.referrals.nodes.find((r) => r.id === referral.id)).toEqual({
      id: referral.id,
      reason: given.reason,
      case: { status: 'OPEN', municipality: { code: CHIYODA } },
    });
    const theirs = await as<{ referrals: { nodes: { id: string }[] } }>(centre, LIST);
    expect(theirs.body.data!.referrals.nodes.map((r) => r.id)).toContain(referral.id);

    const RESPOND = `mutation R($id: ID!, $v: Int!, $s: ReferralStatus!) { respondToReferral(referralId: $id, expectedVersion: $v, status: $s) { status version } }`;
    const bySender = await as(centre, RESPOND, { id: referral.id, v: 1, s: 'ACCEPTED' });
    expect(firstError(bySender)?.extensions?.code).toBe('FORBIDDEN');
    const accepted = await as<{ respondToReferral: { status: string; version: number } }>(chiyoda, RESPOND, { id: referral.id, v: 1, s: 'ACCEPTED' });
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data!.respondToReferral).toEqual({ status: 'ACCEPTED', version: 2 });
  });

  it('lets a psychiatric hospital refer a patient after discharge (措置入院, item 7)', async () => {
    const sent = await as<{ referToMunicipality: { fromKind: string } }>(hospital, TO_MUNICIPALITY, { input: inbound({ fromKind: 'PSYCHIATRIC_HOSPITAL' }) });
    expect(sent.body.errors).toBeUndefined();
    expect(sent.body.data!.referToMunicipality.fromKind).toBe('PSYCHIATRIC_HOSPITAL');
  });

  it.each([
    ['a sender not of the kind it names', centre, { fromKind: 'PSYCHIATRIC_HOSPITAL' }, 'BAD_USER_INPUT', 'input.fromKind'],
    ['MUNICIPALITY as the sender', centre, { fromKind: 'MUNICIPALITY' }, 'BAD_USER_INPUT', 'input.fromKind'],
    ['a desk of another municipality', centre, { deskId: SHIBUYA_DESK }, 'BAD_USER_INPUT', 'input.deskId'],
    ['a desk that is a clinic', centre, { deskId: CLINIC }, 'BAD_USER_INPUT', 'input.deskId'],
    ['no field of need', centre, { needs: [] }, 'BAD_USER_INPUT', 'input.needs'],
    ['a principal without an organisation', chiyoda, {}, 'FORBIDDEN', undefined],
  ])('refuses %s, storing nothing', async (_why, who, extra, code, argument) => {
    const given = inbound(extra);
    const before = await countOf("SELECT count(*)::int AS n FROM referral WHERE from_kind <> 'MUNICIPALITY'");
    const cases = await countOf('SELECT count(*)::int AS n FROM consultation_case');
    const answer = await as(who, TO_MUNICIPALITY, { input: given });
    expect(firstError(answer)?.extensions).toMatchObject({ code, ...(argument ? { argument } : {}) });
    expect(await countOf("SELECT count(*)::int AS n FROM referral WHERE from_kind <> 'MUNICIPALITY'")).toBe(before);
    expect(await countOf('SELECT count(*)::int AS n FROM consultation_case')).toBe(cases);
  });
});

describe('figures count both directions, as the consultation database does', () => {
  it('agrees with SQL on referrals made and received in FY2025, for the nation', async () => {
    const answer = await as<{ nationalConsultationSummary: { referralsMade: { value: number }; referralsReceived: { value: number } } }>(
      { role: 'nation', sub: 'both-nation' },
      '{ nationalConsultationSummary(fiscalYear: 2025) { referralsMade { value } referralsReceived { value } } }',
    );
    expect(answer.body.errors).toBeUndefined();
    const range = ['2025-04-01', '2026-03-31'];
    const made = await countOf("SELECT count(*)::int AS n FROM referral WHERE from_kind = 'MUNICIPALITY' AND requested_on BETWEEN $1 AND $2", range);
    const received = await countOf("SELECT count(*)::int AS n FROM referral WHERE from_kind <> 'MUNICIPALITY' AND requested_on BETWEEN $1 AND $2", range);
    expect(received).toBeGreaterThan(0);
    expect(answer.body.data!.nationalConsultationSummary).toEqual({ referralsMade: { value: made }, referralsReceived: { value: received } });
    const kinds = await consultation().query<{ from_kind: string }[]>("SELECT DISTINCT from_kind FROM referral WHERE from_kind <> 'MUNICIPALITY'");
    expect(kinds.length).toBeGreaterThanOrEqual(4);
  });
});
