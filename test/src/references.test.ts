import { randomUUID } from 'node:crypto';
import { demoUuid } from '@nimo/kit';
import { gql, startTestHub, type Answer, type TestHub } from './hub';

/**
 * Writes that name an entity another subgraph owns check it with its owner before anything is
 * stored (issue 13): a case opens only at a consultation desk of the directory that is in or serves
 * the municipality, a referral goes only to an organisation of the kind it is for, staff and courses
 * name organisations the directory lists. When the directory cannot answer, the write is refused
 * with a retriable SUBGRAPH_UNAVAILABLE and nothing changes. A reference already stored that the
 * directory no longer lists does not take down the answers around it.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 180_000);
afterAll(() => hub.stop());

const CHIYODA = '131016';
const SHIBUYA = '131130';
const TOKYO = '130001';
const DESK = demoUuid('organization', CHIYODA, '千代田区障害福祉課 精神保健福祉相談窓口');
const SHIBUYA_DESK = demoUuid('organization', SHIBUYA, '渋谷区障害福祉課 精神保健福祉相談窓口');
const CHIYODA_CLINIC = demoUuid('organization', CHIYODA, '千代田区こころのクリニック（デモ）');
const MHW_CENTRE = demoUuid('organization', TOKYO, '東京都中部精神保健福祉センター');

const chiyoda = { role: 'municipality', jurisdictions: [CHIYODA], sub: 'refs-chiyoda' };
async function as<T = Record<string, unknown>>(claims: Record<string, unknown>, query: string, variables?: Record<string, unknown>): Promise<Answer<T>> {
  return gql<T>(hub.gateway.url, query, variables, { authorization: `Bearer ${await hub.keys.sign(claims)}` });
}
const firstError = (a: Answer<unknown>) => a.body.errors?.[0];

const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id version } }`;
const REFER = `mutation Refer($id: ID!, $v: Int!, $input: ReferInput!) { referCase(caseId: $id, expectedVersion: $v, input: $input) { id } }`;
const newCase = (deskId: string) => ({
  municipalityCode: CHIYODA,
  deskId,
  clientReference: `R-${randomUUID().slice(0, 8)}`,
  ageBand: 'AGE_40S',
  sex: 'MALE',
  needs: ['MENTAL_HEALTH'],
  openedOn: '2026-05-01',
});

const consultation = () => {
  const db = hub.subgraphs.consultation?.db;
  if (!db) throw new Error('no consultation subgraph');
  return db;
};
async function casesWithReference(reference: string): Promise<number> {
  const [row] = await consultation().query<{ n: number }[]>('SELECT count(*)::int AS n FROM consultation_case WHERE client_reference = $1', [reference]);
  return row?.n ?? -1;
}

describe('a case opens only at a consultation desk the directory lists, in or serving its municipality', () => {
  it.each([
    ['an organisation id the directory does not know', () => randomUUID(), /names no organisation in the directory/],
    ['an organisation that is not a consultation desk (a clinic)', () => CHIYODA_CLINIC, /is not a consultation desk/],
    ["another municipality's desk", () => SHIBUYA_DESK, /is not located in and does not serve 131016/],
  ])('refuses %s with BAD_USER_INPUT naming input.deskId, and stores nothing', async (_what, desk, message) => {
    const input = newCase(desk());
    const answer = await as(chiyoda, OPEN, { input });
    expect(firstError(answer)).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', argument: 'input.deskId' } });
    expect(answer.body.data?.openCase ?? null).toBeNull();
    expect(await casesWithReference(input.clientReference)).toBe(0);
  });

  it('opens at its own desk', async () => {
    const input = newCase(DESK);
    const answer = await as<{ openCase: { id: string } }>(chiyoda, OPEN, { input });
    expect(answer.body.errors).toBeUndefined();
    expect(await casesWithReference(input.clientReference)).toBe(1);
  });
});

describe('a referral goes only to an organisation of the kind it is for', () => {
  let caseId: string;
  beforeAll(async () => {
    const answer = await as<{ openCase: { id: string } }>(chiyoda, OPEN, { input: newCase(DESK) });
    caseId = answer.body.data?.openCase.id ?? '';
    expect(caseId).not.toBe('');
  });
  const referralsOf = async (id: string) =>
    (await consultation().query<{ n: number }[]>('SELECT count(*)::int AS n FROM referral WHERE case_id = $1', [id]))[0]?.n;

  it.each([
    ['an organisation id the directory does not know', 'MENTAL_HEALTH_WELFARE_CENTRE', () => randomUUID(), /names no organisation in the directory/],
    [
      'a clinic as a mental health and welfare centre',
      'MENTAL_HEALTH_WELFARE_CENTRE',
      () => CHIYODA_CLINIC,
      /is not a receiver of a MENTAL_HEALTH_WELFARE_CENTRE referral/,
    ],
    ['a mental health and welfare centre as Hello Work', 'HELLO_WORK', () => MHW_CENTRE, /is not a receiver of a HELLO_WORK referral/],
  ])('refuses %s with BAD_USER_INPUT, and the case stays as it was', async (_what, target, to, message) => {
    const answer = await as(chiyoda, REFER, { id: caseId, v: 1, input: { target, toOrganizationId: to(), reason: '専門相談を依頼。' } });
    expect(firstError(answer)).toMatchObject({
      message: expect.stringMatching(message),
      extensions: { code: 'BAD_USER_INPUT', argument: 'input.toOrganizationId' },
    });
    expect(await referralsOf(caseId)).toBe(0);
    const [row] = await consultation().query<{ status: string; version: number }[]>('SELECT status, version FROM consultation_case WHERE id = $1', [caseId]);
    expect(row).toEqual({ status: 'OPEN', version: 1 });
  });

  it('refers to a clinic as a medical institution', async () => {
    const answer = await as(chiyoda, REFER, {
      id: caseId,
      v: 1,
      input: { target: 'MEDICAL_INSTITUTION', toOrganizationId: CHIYODA_CLINIC, reason: '受診調整を依頼。' },
    });
    expect(answer.body.errors).toBeUndefined();
    expect(await referralsOf(caseId)).toBe(1);
  });
});

describe('training writes name organisations the directory lists', () => {
  const ADD_STAFF = `mutation ($input: AddStaffMemberInput!) { addStaffMember(input: $input) { id workplace { name } } }`;
  const staffInput = (organizationId: string) => ({
    organizationId,
    jurisdictionCode: CHIYODA,
    displayName: `職員 R-${randomUUID().slice(0, 6)}（デモ）`,
    qualifications: ['PSW'],
    consultationStaff: true,
  });

  it('refuses staff of an organisation the directory does not know, and stores nothing', async () => {
    const unknown = randomUUID();
    const answer = await as({ role: 'municipality', jurisdictions: [CHIYODA], org: unknown, sub: 'refs-unknown-org' }, ADD_STAFF, {
      input: staffInput(unknown),
    });
    expect(firstError(answer)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'input.organizationId' } });
    const [row] = (await hub.subgraphs.training?.db.query('SELECT count(*)::int AS n FROM staff_member WHERE organization_id = $1', [unknown])) as {
      n: number;
    }[];
    expect(row?.n).toBe(0);
  });

  it('registers staff of its own desk, and reads the workplace across subgraphs', async () => {
    const answer = await as<{ addStaffMember: { workplace: { name: string } } }>(
      { role: 'municipality', jurisdictions: [CHIYODA], org: DESK, sub: 'refs-desk' },
      ADD_STAFF,
      { input: staffInput(DESK) },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.addStaffMember.workplace.name).toBe('千代田区障害福祉課 精神保健福祉相談窓口');
  });
});

describe('a reference the directory no longer lists', () => {
  it('reads as null where it is named, and the rest of the answer stands (cases, and the municipal dashboard)', async () => {
    // A row stored before writes were checked: its desk is not in the directory.
    const id = randomUUID();
    const gone = randomUUID();
    await consultation().query(
      `INSERT INTO consultation_case (id, municipality_code, desk_organization_id, client_reference, age_band, sex, needs, status, opened_on, version, is_demo)
       VALUES ($1, $2, $3, $4, 'AGE_50S', 'FEMALE', '{MENTAL_HEALTH}', 'OPEN', '2026-04-20', 1, false)`,
      [id, CHIYODA, gone, `R-${id.slice(0, 8)}`],
    );
    const answer = await as<{ consultationCase: { id: string; consultationDesk: null | { name: string }; municipality: { code: string } } }>(
      chiyoda,
      'query ($id: ID!) { consultationCase(id: $id) { id consultationDesk { name } municipality { code } } }',
      { id },
    );
    expect(answer.body.data?.consultationCase).toEqual({ id, consultationDesk: null, municipality: { code: CHIYODA } });
    const list = await as<{ consultationCases: { nodes: { id: string; consultationDesk: { name: string } | null }[] } }>(
      chiyoda,
      'query { consultationCases(filter: { municipalityCode: "131016" }, first: 500) { nodes { id consultationDesk { name } } } }',
    );
    const nodes = list.body.data?.consultationCases.nodes ?? [];
    expect(nodes.find((n) => n.id === id)).toEqual({ id, consultationDesk: null });
    expect(nodes.filter((n) => n.consultationDesk?.name === '千代田区障害福祉課 精神保健福祉相談窓口').length).toBeGreaterThan(0);
    const view = await as<{ jurisdiction: { code: string } | null; openCases: { totalCount: number } | null }>(
      chiyoda,
      'query ($code: LocalGovCode!) { jurisdiction(code: $code) { code consultationSummary(fiscalYear: 2026) { casesOpened { value } } } openCases: consultationCases(filter: { municipalityCode: $code, statuses: [OPEN, REFERRED] }, first: 1) { totalCount } }',
      { code: CHIYODA },
    );
    expect(view.body.errors).toBeUndefined();
    expect(view.body.data?.jurisdiction?.code).toBe(CHIYODA);
    expect(view.body.data?.openCases?.totalCount).toBeGreaterThan(0);
  });
});

describe('when the directory cannot answer', () => {
  it('refuses the write with a retriable SUBGRAPH_UNAVAILABLE and stores nothing', async () => {
    // A desk not checked before in this run (no remembered answer), then the directory stops.
    const ward = demoUuid('organization', '131041', '新宿区障害福祉課 精神保健福祉相談窓口');
    await hub.directory.close();
    hub.subgraphs.directory = { ...hub.directory, close: async () => undefined };
    const input = { ...newCase(ward), municipalityCode: '131041' };
    const answer = await as({ role: 'municipality', jurisdictions: ['131041'], sub: 'refs-shinjuku' }, OPEN, { input });
    expect(firstError(answer)).toMatchObject({
      message: expect.stringMatching(/directory could not be asked to check `input.deskId`.*nothing was changed/),
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'directory' },
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch failed/);
    expect(await casesWithReference(input.clientReference)).toBe(0);
  });
});
