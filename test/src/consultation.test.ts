import { randomUUID } from 'node:crypto';
import { countFigures, FIGURE_COLUMNS, figuresTable, NATION } from '@nimo/consultation';
import { cellId, demoUuid, jurisdictionRows, PROTECTION_VALUES, requireFiscalYear, verifyAuditChain } from '@nimo/kit';
import { attackTable, hopHeaders } from '@nimo/kit/testing';
import { gql, startTestHub, type Answer, type TestHub } from './hub';

/**
 * The consultation subgraph through the gateway, on real PostgreSQL: each transition and each
 * illegal one, idempotent retries, concurrent updates, the access matrix over lists, single
 * fetches and entity references, the audit trail, and the figures with their suppression.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub.stop());

const CHIYODA = '131016';
const SHIBUYA = '131130';
const TOKYO = '130001';
const DESK = demoUuid('organization', CHIYODA, '千代田区障害福祉課 精神保健福祉相談窓口');
const MHW_CENTRE = demoUuid('organization', TOKYO, '東京都中部精神保健福祉センター');
const OTHER_ORG = demoUuid('organization', TOKYO, '東京都発達障害者支援センター');

type Claims = Record<string, unknown>;
const AS: Record<string, Claims> = {
  chiyoda: { role: 'municipality', jurisdictions: [CHIYODA], sub: 'staff-chiyoda' },
  chiyoda2: { role: 'municipality', jurisdictions: [CHIYODA], sub: 'staff-chiyoda-2' },
  shibuya: { role: 'municipality', jurisdictions: [SHIBUYA], sub: 'staff-shibuya' },
  centre: { role: 'mhw_centre', jurisdictions: [TOKYO], org: MHW_CENTRE, sub: 'centre-staff' },
  otherOrg: { role: 'mhw_centre', jurisdictions: [TOKYO], org: OTHER_ORG, sub: 'other-staff' },
  prefecture: { role: 'prefecture', jurisdictions: [TOKYO] },
  healthCentre: { role: 'health_centre', jurisdictions: [CHIYODA, SHIBUYA] },
  nation: { role: 'nation' },
  adviser: { role: 'adviser' },
  provider: { role: 'provider', org: OTHER_ORG },
  vendor: { role: 'vendor' },
};

async function as<T = Record<string, unknown>>(who: string, query: string, variables?: Record<string, unknown>): Promise<Answer<T>> {
  const headers: Record<string, string> = who === 'public' ? {} : { authorization: `Bearer ${await hub.keys.sign(AS[who] ?? {})}` };
  return gql<T>(hub.gateway.url, query, variables, headers);
}
const code = (a: Answer<unknown>) => a.body.errors?.[0]?.extensions?.code;

const CASE_FIELDS = 'id status version clientReference ageBand needs openedOn firstContactOn closeReason municipality { code } desk { id name }';
const OPEN = `mutation Open($input: OpenCaseInput!, $key: String) { openCase(input: $input, idempotencyKey: $key) { ${CASE_FIELDS} } }`;
const CONTACT = `mutation Contact($id: ID!, $v: Int!, $input: ContactInput!, $key: String) { recordContact(caseId: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version firstContactOn contacts { channel note staffReference } } }`;
const REFER = `mutation Refer($id: ID!, $v: Int!, $input: ReferInput!) { referCase(caseId: $id, expectedVersion: $v, input: $input) { id status version reason case { id status version } } }`;
const RESPOND = `mutation Respond($id: ID!, $v: Int!, $status: ReferralStatus!, $note: String, $key: String) { respondToReferral(referralId: $id, expectedVersion: $v, status: $status, note: $note, idempotencyKey: $key) { referralId status version referral { id status version response respondedOn endedOn } } }`;
const CANCEL = `mutation Cancel($id: ID!, $v: Int!, $reason: String!) { cancelReferral(referralId: $id, expectedVersion: $v, reason: $reason) { id status version } }`;
const CLOSE = `mutation Close($id: ID!, $v: Int!, $reason: CloseReason!) { closeCase(caseId: $id, expectedVersion: $v, reason: $reason) { id status version closeReason } }`;
const REOPEN = `mutation Reopen($id: ID!, $v: Int!) { reopenCase(caseId: $id, expectedVersion: $v) { id status version } }`;
const GET = `query Get($id: ID!) { consultationCase(id: $id) { ${CASE_FIELDS} contacts { note } } }`;

interface CaseShape {
  id: string;
  status: string;
  version: number;
  clientReference: string | null;
}

const newCase = (overrides: Record<string, unknown> = {}) => ({
  municipalityCode: CHIYODA,
  deskId: DESK,
  clientReference: `T-${randomUUID().slice(0, 8)}`,
  ageBand: 'AGE_30S',
  sex: 'FEMALE',
  needs: ['MENTAL_HEALTH', 'EMPLOYMENT'],
  openedOn: '2026-04-10',
  ...overrides,
});

async function openCase(overrides: Record<string, unknown> = {}): Promise<CaseShape> {
  const answer = await as<{ openCase: CaseShape }>('chiyoda', OPEN, { input: newCase(overrides) });
  expect(answer.body.errors).toBeUndefined();
  const created = answer.body.data?.openCase;
  if (!created) throw new Error('no case');
  return created;
}

async function countByReference(ref: string): Promise<number> {
  const answer = await as<{ consultationCases: { totalCount: number } }>(
    'chiyoda',
    'query($r: String) { consultationCases(filter: { clientReference: $r }) { totalCount } }',
    { r: ref },
  );
  return answer.body.data?.consultationCases.totalCount ?? -1;
}

/** Every case in the consultation database, whatever its reference (a refused write must leave it unchanged). */
async function countCases(): Promise<number> {
  const db = hub.subgraphs.consultation?.db;
  if (!db) throw new Error('no consultation subgraph');
  const [{ n }] = await db.query<[{ n: number }]>('SELECT count(*)::int AS n FROM consultation_case');
  return n;
}

describe('cases', () => {
  it('opens a case at a desk of the directory, with the municipality and the desk resolved across subgraphs', async () => {
    const c = await openCase();
    const answer = await as<{ consultationCase: { desk: { id: string; name: string }; municipality: { code: string }; status: string; version: number } }>(
      'chiyoda',
      GET,
      { id: c.id },
    );
    expect(answer.body.data?.consultationCase).toMatchObject({
      status: 'OPEN',
      version: 1,
      municipality: { code: CHIYODA },
      desk: { id: DESK, name: '千代田区障害福祉課 精神保健福祉相談窓口' },
    });
  });

  it.each([
    ['a name as the client reference', { clientReference: '山田太郎' }, 'clientReference'],
    ['an Individual Number as the client reference', { clientReference: '123456789012' }, 'Individual Number'],
    ['a future opening day', { openedOn: '2099-01-01' }, 'future'],
    ['no field of need', { needs: [] }, 'need'],
    ['a desk id that is not a UUID', { deskId: 'desk-1' }, 'UUID'],
  ])('refuses %s with BAD_USER_INPUT and creates nothing', async (_what, overrides, message) => {
    const input = newCase(overrides);
    const before = await countCases();
    const answer = await as('chiyoda', OPEN, { input });
    expect(code(answer)).toBe('BAD_USER_INPUT');
    expect(answer.body.errors?.[0]?.message).toMatch(new RegExp(message));
    expect(await countCases()).toBe(before);
  });

  it('refuses to open a case for another municipality, and to roles that do not own cases', async () => {
    for (const who of ['shibuya', 'prefecture', 'nation', 'centre', 'vendor', 'public'] as const) {
      const answer = await as(who, OPEN, { input: newCase() });
      expect([who, code(answer)]).toEqual([
        who,
        who === 'public' || who === 'vendor' || who === 'nation' || who === 'prefecture' || who === 'centre' || who === 'shibuya' ? 'FORBIDDEN' : '',
      ]);
    }
  });

  it('records contacts with encrypted notes that only the owner reads, and refuses a stale version with CONFLICT', async () => {
    const c = await openCase();
    const input = { contactedOn: '2026-04-12', channel: 'PHONE', staffReference: 'staff-7', note: '初回電話。家族と同居。' };
    const first = await as<{ recordContact: { version: number; firstContactOn: string; contacts: { note: string }[] } }>('chiyoda', CONTACT, {
      id: c.id,
      v: 1,
      input,
    });
    expect(first.body.data?.recordContact).toMatchObject({ version: 2, firstContactOn: '2026-04-12', contacts: [{ note: '初回電話。家族と同居。' }] });
    const stale = await as('chiyoda', CONTACT, { id: c.id, v: 1, input });
    expect(code(stale)).toBe('CONFLICT');
    expect(stale.body.errors?.[0]?.extensions?.currentVersion).toBe(2);
    const early = await as('chiyoda', CONTACT, { id: c.id, v: 2, input: { ...input, contactedOn: '2026-04-01' } });
    expect(code(early)).toBe('BAD_USER_INPUT');
    const [row] = (await hub.subgraphs.consultation?.db.query('SELECT note_ciphertext FROM case_contact WHERE case_id = $1', [c.id])) as {
      note_ciphertext: Buffer;
    }[];
    expect(row?.note_ciphertext.toString('utf8')).not.toContain('家族');
  });

  it('lets exactly one of two concurrent updates with the same version through', async () => {
    const c = await openCase();
    const input = { contactedOn: '2026-04-11', channel: 'VISIT', staffReference: 'staff-1' };
    const answers = await Promise.all([as('chiyoda', CONTACT, { id: c.id, v: 1, input }), as('chiyoda', CONTACT, { id: c.id, v: 1, input })]);
    expect(answers.map(code).sort()).toEqual(['CONFLICT', undefined].sort());
  });

  it('creates nothing twice when a write is retried with its idempotency key, and refuses the key for other input', async () => {
    const input = newCase();
    const key = randomUUID();
    const [first, second] = await Promise.all([
      as<{ openCase: CaseShape }>('chiyoda', OPEN, { input, key }),
      as<{ openCase: CaseShape }>('chiyoda', OPEN, { input, key }),
    ]);
    // At once, the second is either answered with the first's result or told the first still runs (CONFLICT).
    const [a, b] = first.body.errors ? [second, first] : [first, second];
    if (b.body.errors) expect(code(b)).toBe('CONFLICT');
    else expect(b.body.data?.openCase.id).toBe(a.body.data?.openCase.id);
    expect((await as<{ openCase: CaseShape }>('chiyoda', OPEN, { input, key })).body.data?.openCase.id).toBe(a.body.data?.openCase.id);
    expect(await countByReference(input.clientReference)).toBe(1);
    const other = await as('chiyoda', OPEN, { input: { ...input, sex: 'MALE' }, key });
    expect(code(other)).toBe('BAD_USER_INPUT');
    const contact = { contactedOn: '2026-04-12', channel: 'EMAIL', staffReference: 'staff-2' };
    const id = a.body.data?.openCase.id;
    const contactKey = randomUUID();
    await as('chiyoda', CONTACT, { id, v: 1, input: contact, key: contactKey });
    const retry = await as<{ recordContact: { version: number; contacts: unknown[] } }>('chiyoda', CONTACT, { id, v: 1, input: contact, key: contactKey });
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data?.recordContact).toMatchObject({ version: 2 });
    expect(retry.body.data?.recordContact.contacts).toHaveLength(1);
  });

  it('answers a replay with the case as the first write left it, never its later state, and audits the replay', async () => {
    const input = newCase();
    const key = randomUUID();
    const opened = await as<{ openCase: CaseShape & { firstContactOn: string | null } }>('chiyoda', OPEN, { input, key });
    const id = opened.body.data?.openCase.id;
    expect(opened.body.data?.openCase).toMatchObject({ status: 'OPEN', version: 1, firstContactOn: null });
    await as('chiyoda', CONTACT, { id, v: 1, input: { contactedOn: '2026-04-13', channel: 'PHONE', staffReference: 'staff-3' } });
    const referKey = randomUUID();
    const referred = await as<{ referCase: { id: string; status: string; version: number } }>(
      'chiyoda',
      `mutation ($id: ID!, $v: Int!, $input: ReferInput!, $key: String) { referCase(caseId: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id status version reason } }`,
      {
        id,
        v: 2,
        key: referKey,
        input: { target: 'MENTAL_HEALTH_WELFARE_CENTRE', toOrganizationId: MHW_CENTRE, reason: '専門相談を依頼。' },
      },
    );
    const referral = referred.body.data?.referCase;
    expect(referral).toMatchObject({ status: 'REQUESTED', version: 1 });
    await as('chiyoda', CANCEL, { id: referral?.id, v: 1, reason: '本人の意向' });

    // The case is now at version 4 with a first contact; the referral is CANCELLED at version 2.
    const replay = await as<{ openCase: CaseShape & { firstContactOn: string | null } }>('chiyoda', OPEN, { input, key });
    expect(replay.body.data?.openCase).toMatchObject({ id, status: 'OPEN', version: 1, firstContactOn: null });
    const referReplay = await as<{ referCase: { id: string; status: string; version: number; reason: string } }>(
      'chiyoda',
      `mutation ($id: ID!, $v: Int!, $input: ReferInput!, $key: String) { referCase(caseId: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id status version reason } }`,
      {
        id,
        v: 2,
        key: referKey,
        input: { target: 'MENTAL_HEALTH_WELFARE_CENTRE', toOrganizationId: MHW_CENTRE, reason: '専門相談を依頼。' },
      },
    );
    expect(referReplay.body.data?.referCase).toEqual({ id: referral?.id, status: 'REQUESTED', version: 1, reason: '専門相談を依頼。' });
    const now = await as<{ consultationCase: { version: number; status: string } }>('chiyoda', GET, { id });
    expect(now.body.data?.consultationCase).toMatchObject({ version: 4, status: 'OPEN' });
    const trail = await as<{ consultationAuditTrail: { nodes: { action: string; outcome: string }[] } }>(
      'chiyoda',
      'query($m: LocalGovCode!, $id: ID) { consultationAuditTrail(municipalityCode: $m, caseId: $id, first: 100) { nodes { action outcome } } }',
      { m: CHIYODA, id },
    );
    const actions = trail.body.data?.consultationAuditTrail.nodes.map((n) => `${n.action}/${n.outcome}`) ?? [];
    expect(actions).toEqual(expect.arrayContaining(['openCase/allowed', 'openCase:replayed/allowed', 'referCase/allowed', 'referCase:replayed/allowed']));
  });

  it('closes and reopens, refusing illegal moves', async () => {
    const c = await openCase();
    const closed = await as<{ closeCase: { status: string; version: number } }>('chiyoda', CLOSE, { id: c.id, v: 1, reason: 'RESOLVED' });
    expect(closed.body.data?.closeCase).toMatchObject({ status: 'CLOSED', version: 2 });
    expect(code(await as('chiyoda', CLOSE, { id: c.id, v: 2, reason: 'RESOLVED' }))).toBe('BAD_USER_INPUT');
    expect(code(await as('chiyoda', CONTACT, { id: c.id, v: 2, input: { contactedOn: '2026-04-12', channel: 'PHONE', staffReference: 'staff-1' } }))).toBe(
      'BAD_USER_INPUT',
    );
    const reopened = await as<{ reopenCase: { status: string; version: number } }>('chiyoda', REOPEN, { id: c.id, v: 2 });
    expect(reopened.body.data?.reopenCase).toMatchObject({ status: 'OPEN', version: 3 });
    expect(code(await as('chiyoda', REOPEN, { id: c.id, v: 3 }))).toBe('BAD_USER_INPUT');
    expect(code(await as('shibuya', CLOSE, { id: c.id, v: 3, reason: 'RESOLVED' }))).toBe('FORBIDDEN');
    expect(code(await as('chiyoda', CLOSE, { id: randomUUID(), v: 1, reason: 'RESOLVED' }))).toBe('NOT_FOUND');
  });
});

describe('referrals across tiers', () => {
  interface Ref {
    id: string;
    status: string;
    version: number;
  }
  const refer = async (caseId: string, version: number, to = MHW_CENTRE) => {
    const answer = await as<{ referCase: Ref & { case: { status: string; version: number } } }>('chiyoda', REFER, {
      id: caseId,
      v: version,
      input: { target: 'MENTAL_HEALTH_WELFARE_CENTRE', toOrganizationId: to, reason: '希死念慮の訴えあり。専門相談を依頼。' },
    });
    expect(answer.body.errors).toBeUndefined();
    const r = answer.body.data?.referCase;
    if (!r) throw new Error('no referral');
    return r;
  };

  it('walks requested → accepted → in progress → completed, refusing illegal moves, and the case follows', async () => {
    const c = await openCase();
    const r = await refer(c.id, 1);
    expect(r).toMatchObject({ status: 'REQUESTED', version: 1, case: { status: 'REFERRED', version: 2 } });
    const illegal = await as('centre', RESPOND, { id: r.id, v: 1, status: 'COMPLETED', note: 'x' });
    expect(code(illegal)).toBe('BAD_USER_INPUT');
    expect(illegal.body.errors?.[0]?.message).toMatch(/REQUESTED cannot become COMPLETED/);
    const accepted = await as<{ respondToReferral: { status: string; version: number; referral: Ref & { respondedOn: string } } }>('centre', RESPOND, {
      id: r.id,
      v: 1,
      status: 'ACCEPTED',
    });
    expect(accepted.body.data?.respondToReferral).toMatchObject({ status: 'ACCEPTED', version: 2, referral: { status: 'ACCEPTED', version: 2 } });
    expect(code(await as('centre', RESPOND, { id: r.id, v: 2, status: 'DECLINED', note: 'x' }))).toBe('BAD_USER_INPUT');
    expect(code(await as('centre', RESPOND, { id: r.id, v: 1, status: 'IN_PROGRESS' }))).toBe('CONFLICT');
    await as('centre', RESPOND, { id: r.id, v: 2, status: 'IN_PROGRESS' });
    expect(code(await as('centre', RESPOND, { id: r.id, v: 3, status: 'COMPLETED' }))).toBe('BAD_USER_INPUT'); // needs an outcome
    const done = await as<{ respondToReferral: { status: string; version: number; referral: null } }>('centre', RESPOND, {
      id: r.id,
      v: 3,
      status: 'COMPLETED',
      note: '通院につながった。',
    });
    // Ended: the receiving organisation learns what it did, and no longer sees the referral.
    expect(done.body.data?.respondToReferral).toEqual({ referralId: r.id, status: 'COMPLETED', version: 4, referral: null });
    const seenByOwner = await as<{ referrals: { nodes: { id: string; response: string }[] } }>(
      'chiyoda',
      '{ referrals(first: 500, filter: { statuses: [COMPLETED] }) { nodes { id response } } }',
    );
    expect(seenByOwner.body.data?.referrals.nodes.find((n) => n.id === r.id)?.response).toBe('通院につながった。');
    const after = await as<{ consultationCase: { status: string } }>('chiyoda', GET, { id: c.id });
    expect(after.body.data?.consultationCase.status).toBe('OPEN');
    expect(code(await as('chiyoda', CANCEL, { id: r.id, v: 4, reason: 'x' }))).toBe('BAD_USER_INPUT');
  });

  it('lets the receiving organisation decline with a reason, and the municipality cancel; each side only its own moves', async () => {
    const c = await openCase();
    const r1 = await refer(c.id, 1);
    expect(code(await as('chiyoda', RESPOND, { id: r1.id, v: 1, status: 'ACCEPTED' }))).toBe('FORBIDDEN');
    expect(code(await as('otherOrg', RESPOND, { id: r1.id, v: 1, status: 'ACCEPTED' }))).toBe('FORBIDDEN');
    expect(code(await as('centre', CANCEL, { id: r1.id, v: 1, reason: 'x' }))).toBe('FORBIDDEN');
    expect(code(await as('centre', RESPOND, { id: r1.id, v: 1, status: 'DECLINED' }))).toBe('BAD_USER_INPUT');
    const declined = await as<{ respondToReferral: { status: string } }>('centre', RESPOND, { id: r1.id, v: 1, status: 'DECLINED', note: '対象外のため。' });
    expect(declined.body.data?.respondToReferral.status).toBe('DECLINED');
    const r2 = await refer(c.id, 3);
    const cancelled = await as<{ cancelReferral: Ref }>('chiyoda', CANCEL, { id: r2.id, v: 1, reason: '本人の希望により取り下げ。' });
    expect(cancelled.body.data?.cancelReferral.status).toBe('CANCELLED');
    const closeWhileOpen = await refer(c.id, 5);
    expect(code(await as('chiyoda', CLOSE, { id: c.id, v: 6, reason: 'RESOLVED' }))).toBe('BAD_USER_INPUT');
    expect(closeWhileOpen.status).toBe('REQUESTED');
  });

  it('shows the receiving organisation the referral and the case summary while open, and nothing else', async () => {
    const c = await openCase();
    await as('chiyoda', CONTACT, { id: c.id, v: 1, input: { contactedOn: '2026-04-12', channel: 'PHONE', staffReference: 'staff-1', note: '秘匿メモ' } });
    const r = await refer(c.id, 2);
    const seen = await as<{ consultationCase: { clientReference: null; ageBand: string; contacts: null } }>('centre', GET, { id: c.id });
    expect(seen.body.data?.consultationCase).toMatchObject({ clientReference: null, ageBand: 'AGE_30S', contacts: null });
    const forbiddenPaths = (seen.body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.join('.'));
    expect(forbiddenPaths.sort()).toEqual(['consultationCase.clientReference', 'consultationCase.contacts']);
    // Through the directory's Organization (an entity reference into this subgraph).
    const inbox = await as<{ organization: { openReferrals: { id: string; reason: string }[] } }>(
      'centre',
      'query($id: ID!) { organization(id: $id) { name openReferrals { id reason } } }',
      { id: MHW_CENTRE },
    );
    expect(inbox.body.data?.organization.openReferrals.map((x) => x.id)).toContain(r.id);
    const list = await as<{ consultationCases: { nodes: { id: string }[] } }>('centre', '{ consultationCases(first: 500) { nodes { id } } }');
    expect(list.body.data?.consultationCases.nodes.map((n) => n.id)).toContain(c.id);
    // Another organisation and other roles: nothing, whichever path.
    for (const who of ['otherOrg', 'shibuya', 'prefecture', 'nation', 'adviser', 'healthCentre', 'provider', 'vendor', 'public'] as const) {
      const single = await as<{ consultationCase: null }>(who, GET, { id: c.id });
      expect([who, single.body.data?.consultationCase]).toEqual([who, null]);
      const referrals = await as<{ referrals: { nodes: { id: string }[] } }>(who, '{ referrals(first: 500) { nodes { id } } }');
      expect([who, referrals.body.data?.referrals.nodes.map((n) => n.id).includes(r.id)]).toEqual([who, false]);
      const cases = await as<{ consultationCases: { nodes: { id: string }[] } }>(who, '{ consultationCases(first: 500) { nodes { id } } }');
      expect([who, cases.body.data?.consultationCases.nodes.map((n) => n.id).includes(c.id)]).toEqual([who, false]);
      const inboxOther = await as(who, 'query($id: ID!) { organization(id: $id) { openReferrals { id } } }', { id: MHW_CENTRE });
      expect([who, code(inboxOther)]).toEqual([who, 'FORBIDDEN']);
    }
    // Once the referral ends, the receiving organisation sees nothing of it any more.
    await as('centre', RESPOND, { id: r.id, v: 1, status: 'DECLINED', note: '対象外。' });
    expect((await as<{ consultationCase: null }>('centre', GET, { id: c.id })).body.data?.consultationCase).toBeNull();
  });

  it('does not let a receiving organisation probe for a client reference it may not see', async () => {
    const c = await openCase({ clientReference: 'PROBE-0001' });
    await refer(c.id, 1);
    const probe = await as<{ consultationCases: { nodes: { id: string }[] } }>(
      'centre',
      '{ consultationCases(filter: { clientReference: "PROBE-0001" }) { nodes { id } } }',
    );
    expect(probe.body.data?.consultationCases.nodes).toEqual([]);
    const owner = await as<{ consultationCases: { nodes: { id: string }[] } }>(
      'chiyoda',
      '{ consultationCases(filter: { clientReference: "PROBE-0001" }) { nodes { id } } }',
    );
    expect(owner.body.data?.consultationCases.nodes).toEqual([{ id: c.id }]);
  });

  it('replays a retried answer without showing later changes, only to the same principal, and audits the replay', async () => {
    const c = await openCase();
    const r = await refer(c.id, 1);
    const key = randomUUID();
    const first = await as<{ respondToReferral: { status: string; version: number } }>('centre', RESPOND, { id: r.id, v: 1, status: 'ACCEPTED', key });
    expect(first.body.data?.respondToReferral).toMatchObject({ status: 'ACCEPTED', version: 2 });
    await as('chiyoda', CANCEL, { id: r.id, v: 2, reason: 'CANCEL-REASON: 本人の意向' });
    const replay = await as<{ respondToReferral: unknown }>('centre', RESPOND, { id: r.id, v: 1, status: 'ACCEPTED', key });
    expect(replay.body.data?.respondToReferral).toEqual({ referralId: r.id, status: 'ACCEPTED', version: 2, referral: null });
    expect(replay.text).not.toContain('CANCEL-REASON');
    // The same user acting for another organisation is another principal: no stored answer for it.
    const sameUserOtherOrg = await gql(
      hub.gateway.url,
      RESPOND,
      { id: r.id, v: 1, status: 'ACCEPTED', key },
      {
        authorization: `Bearer ${await hub.keys.sign({ ...AS.otherOrg, sub: AS.centre?.sub })}`,
      },
    );
    expect(code(sameUserOtherOrg)).toBe('FORBIDDEN');
    expect(sameUserOtherOrg.text).not.toContain('CANCEL-REASON');
    const trail = await as<{ consultationAuditTrail: { nodes: { action: string; outcome: string }[] } }>(
      'chiyoda',
      'query($m: LocalGovCode!, $id: ID) { consultationAuditTrail(municipalityCode: $m, caseId: $id, first: 100) { nodes { action outcome } } }',
      { m: CHIYODA, id: c.id },
    );
    expect(trail.body.data?.consultationAuditTrail.nodes.map((n) => `${n.action}/${n.outcome}`)).toEqual(
      expect.arrayContaining(['respondToReferral:ACCEPTED/allowed', 'respondToReferral:ACCEPTED:replayed/allowed', 'respondToReferral:ACCEPTED/denied']),
    );
  });

  it('lists for a municipality only its own cases', async () => {
    const answer = await as<{ consultationCases: { totalCount: number; nodes: { municipality: { code: string } }[] } }>(
      'shibuya',
      '{ consultationCases(first: 200) { totalCount nodes { municipality { code } } } }',
    );
    expect(answer.body.data?.consultationCases.totalCount).toBeGreaterThan(0);
    expect(new Set(answer.body.data?.consultationCases.nodes.map((n) => n.municipality.code))).toEqual(new Set([SHIBUYA]));
  });
});

describe('audit trail', () => {
  it('records every read and write, including refusals and reads by the receiving organisation, in a chain that verifies', async () => {
    const c = await openCase();
    await as('shibuya', CLOSE, { id: c.id, v: 1, reason: 'RESOLVED' });
    await as('chiyoda', `query ReadIt($id: ID!) { consultationCase(id: $id) { id } }`, { id: c.id });
    await as('shibuya', `query Peek($id: ID!) { consultationCase(id: $id) { id } }`, { id: c.id });
    await as('public', `query Peek($id: ID!) { consultationCase(id: $id) { id } }`, { id: c.id });
    const trail = await as<{ consultationAuditTrail: { nodes: { action: string; outcome: string; principalRole: string; operation: string | null }[] } }>(
      'chiyoda',
      'query($m: LocalGovCode!, $id: ID) { consultationAuditTrail(municipalityCode: $m, caseId: $id) { nodes { action outcome principalRole operation } } }',
      { m: CHIYODA, id: c.id },
    );
    expect(trail.body.data?.consultationAuditTrail.nodes).toEqual([
      { action: 'openCase', outcome: 'allowed', principalRole: 'municipality', operation: 'Open' },
      { action: 'closeCase', outcome: 'denied', principalRole: 'municipality', operation: 'Close' },
      { action: 'read', outcome: 'allowed', principalRole: 'municipality', operation: 'ReadIt' },
      // A refused read by an identified principal is recorded; an anonymous one is not (log flooding).
      { action: 'read', outcome: 'denied', principalRole: 'municipality', operation: 'Peek' },
    ]);
    for (const who of ['shibuya', 'prefecture', 'nation', 'centre', 'vendor'] as const) {
      const answer = await as(who, 'query($m: LocalGovCode!) { consultationAuditTrail(municipalityCode: $m) { totalCount } }', { m: CHIYODA });
      expect([who, code(answer)]).toEqual([who, 'FORBIDDEN']);
    }
    const db = hub.subgraphs.consultation?.db;
    if (!db) throw new Error('no consultation subgraph');
    expect(await verifyAuditChain(db.manager)).toMatchObject({ ok: true });
  });
  it('audits no read for a count alone (no case leaves the hub), and every case a page returns', async () => {
    const db = hub.subgraphs.consultation?.db;
    if (!db) throw new Error('no consultation subgraph');
    const reads = async () => (await db.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read'`))[0].n;
    const before = await reads();
    const counted = await as<{ openCases: { totalCount: number }; openReferrals: { totalCount: number } }>(
      'chiyoda',
      `query Counts($m: LocalGovCode!) {
        openCases: consultationCases(filter: { municipalityCode: $m, statuses: [OPEN, REFERRED] }, first: 1) { totalCount __typename }
        openReferrals: referrals(filter: { municipalityCode: $m }, first: 1) { ...Total }
      }
      fragment Total on ReferralConnection { totalCount }`,
      { m: CHIYODA },
    );
    expect(counted.body.errors).toBeUndefined();
    expect(await reads()).toBe(before);
    const listed = await as<{ consultationCases: { totalCount: number; nodes: { id: string }[] } }>(
      'chiyoda',
      'query List($m: LocalGovCode!) { consultationCases(filter: { municipalityCode: $m, statuses: [OPEN, REFERRED] }, first: 500) { totalCount nodes { id } } }',
      { m: CHIYODA },
    );
    const page = listed.body.data?.consultationCases;
    expect(page?.totalCount).toBe(counted.body.data?.openCases.totalCount);
    expect(page?.nodes.length).toBeGreaterThan(0);
    expect(await reads()).toBe(before + (page?.nodes.length ?? 0));
  });

  it('audits the read of each of two colleagues asking the same at once: an audited answer is never shared between principals', async () => {
    const c = await openCase();
    const read = `query ReadTogether($id: ID!) { consultationCase(id: $id) { id status } }`;
    // Same rights, different people, the same request in flight together (the gateway's REQUEST_SHARING).
    const answers = await Promise.all(['chiyoda', 'chiyoda2'].map((who) => as(who, read, { id: c.id })));
    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    const db = hub.subgraphs.consultation?.db;
    if (!db) throw new Error('no consultation subgraph');
    const reads = await db.query<{ principal_subject: string }[]>(
      `SELECT principal_subject FROM audit_log WHERE entity_key = $1 AND action = 'read' AND operation = 'ReadTogether'`,
      [c.id],
    );
    expect(reads.map((r) => r.principal_subject).sort()).toEqual(['staff-chiyoda', 'staff-chiyoda-2']);
  });
});

describe('figures', () => {
  interface Count {
    value: number | null;
    suppressed: boolean;
  }
  interface Summary {
    casesOpened: Count;
    casesByStatus: { status: string; count: Count }[];
    contacts: Count;
    contactsByChannel: { channel: string; count: Count }[];
    referralsMade: Count;
    medianDaysToFirstContact: { days: number | null; suppressed: boolean };
  }
  const SUMMARY =
    'fiscalYear from to casesOpened { value suppressed } casesByStatus { status count { value suppressed } } contacts { value suppressed } contactsByChannel { channel count { value suppressed } } referralsMade { value suppressed } medianDaysToFirstContact { days suppressed }';
  const FY = 2025;
  const PERIOD = { from: '2025-04-01', to: '2026-03-31' };

  const tokyo = async (who: keyof typeof AS) =>
    as<{ jurisdiction: { consultationSummary: Summary; children: { code: string; kind: string; consultationSummary: Summary }[] } }>(
      who,
      `query($fy: Int!) { jurisdiction(code: "${TOKYO}") { consultationSummary(fiscalYear: $fy) { ${SUMMARY} } children { code kind consultationSummary(fiscalYear: $fy) { ${SUMMARY} } } } }`,
      { fy: FY },
    );

  /**
   * Asks until the year's published figures have caught up with the database (they are computed again
   * off the request path after writes): the nation's counts, always shown on the demo data, equal a
   * count of the cells now. Returns the answer's asOf.
   */
  async function current(fy: number): Promise<string> {
    const db = hub.subgraphs.consultation?.db;
    if (!db) throw new Error('no consultation subgraph');
    const metrics = ['casesOpened', 'contacts', 'referralsMade', 'referralsCompleted'] as const;
    const columns = { casesOpened: 'opened|', contacts: 'contacts|', referralsMade: 'referralsMade|', referralsCompleted: 'referralsCompleted|' };
    type National = { nationalConsultationSummary: Record<(typeof metrics)[number], Count> & { asOf: string } };
    let last = '';
    for (let i = 0; i < 120; i += 1) {
      const truth = (await countFigures(db, requireFiscalYear(fy))).values;
      const answer = await as<National>(
        'nation',
        `query($fy: Int!) { nationalConsultationSummary(fiscalYear: $fy) { asOf ${metrics.map((m) => `${m} { value suppressed }`).join(' ')} } }`,
        { fy },
      );
      const published = answer.body.data?.nationalConsultationSummary;
      if (published && metrics.every((m) => published[m].value === (truth.get(`${NATION}|${columns[m]}`) ?? 0))) return published.asOf;
      last = `${JSON.stringify(answer.body)} against ${JSON.stringify(metrics.map((m) => truth.get(`${NATION}|${columns[m]}`)))}`;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the figures of FY${fy} did not catch up with the database: ${last}`);
  }

  it('shows no count from 1 to 9, and never leaves a suppressed count recoverable by subtraction within an answer', async () => {
    await current(FY);
    const answer = await tokyo('prefecture');
    expect(answer.body.errors).toBeUndefined();
    const prefecture = answer.body.data?.jurisdiction.consultationSummary;
    const municipalities = (answer.body.data?.jurisdiction.children ?? []).map((c) => c.consultationSummary);
    expect(municipalities.length).toBeGreaterThan(50);
    const all = [prefecture, ...municipalities].filter((s): s is Summary => !!s);
    let suppressedSeen = 0;
    for (const s of all) {
      for (const count of [s.casesOpened, s.contacts, s.referralsMade, ...s.casesByStatus.map((x) => x.count), ...s.contactsByChannel.map((x) => x.count)]) {
        if (count.suppressed) suppressedSeen += 1;
        else expect(count.value === 0 || (count.value ?? 0) >= 10).toBe(true);
      }
      // Within a unit: a breakdown never has exactly one hidden member (with its total).
      for (const [total, parts] of [
        [s.casesOpened, s.casesByStatus.map((x) => x.count)],
        [s.contacts, s.contactsByChannel.map((x) => x.count)],
      ] as const) {
        expect([total, ...parts].filter((c) => c.suppressed).length).not.toBe(1);
      }
    }
    expect(suppressedSeen).toBeGreaterThan(0);
    // Across units: the prefecture's count and its municipalities' never leave exactly one unknown,
    // and the shown numbers add up (the prefecture is at least the sum of the shown municipalities).
    const hidden = [prefecture?.casesOpened, ...municipalities.map((m) => m.casesOpened)].filter((c) => c?.suppressed).length;
    expect(hidden).not.toBe(1);
    if (!prefecture?.casesOpened.suppressed) {
      const short = (prefecture?.casesOpened.value ?? Number.NaN) - municipalities.reduce((s, m) => s + (m.casesOpened.value ?? 0), 0);
      expect([hidden, short === 0]).toEqual([hidden, hidden === 0]);
    }
  }, 120_000);

  describe('against an attacker with a linear-programming solver (issue 13)', () => {
    interface FullSummary extends Summary {
      asOf: string;
      casesByNeed: { need: string; count: Count }[];
      referralsCompleted: Count;
      referralsReceived: Count;
      medianDaysReferralToResponse: { days: number | null; suppressed: boolean };
    }
    const FULL = `asOf ${SUMMARY} casesByNeed { need count { value suppressed } } referralsCompleted { value suppressed } referralsReceived { value suppressed } medianDaysReferralToResponse { days suppressed }`;
    /** An answer as the figures table's cells (`metric|category`, as `figuresTable` names its columns). */
    const cellsOf = (s: FullSummary): [string, Count][] => [
      ['opened|', s.casesOpened],
      ...s.casesByStatus.map((x): [string, Count] => [`status|${x.status}`, x.count]),
      ...s.casesByNeed.map((x): [string, Count] => [`need|${x.need}`, x.count]),
      ['contacts|', s.contacts],
      ...s.contactsByChannel.map((x): [string, Count] => [`channel|${x.channel}`, x.count]),
      ['referralsMade|', s.referralsMade],
      ['referralsCompleted|', s.referralsCompleted],
      ['referralsReceived|', s.referralsReceived],
    ];
    let truth: ReadonlyMap<string, number>;
    /** What the API publishes for the year: every municipality, every prefecture, the nation (asked as the nation). */
    const published = new Map<string, FullSummary>();
    const hidden = new Set<string>();
    const tokyoUnits = new Set<string>();

    beforeAll(async () => {
      await current(FY);
      type Prefecture = { code: string; consultationSummary: FullSummary; children: { code: string; consultationSummary: FullSummary | null }[] };
      // One snapshot: asked again whole if the next snapshot came in between the pages.
      let nation: FullSummary | undefined;
      let prefectures: Prefecture[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const national = await as<{ nationalConsultationSummary: FullSummary }>(
          'nation',
          `query($fy: Int!) { nationalConsultationSummary(fiscalYear: $fy) { ${FULL} } }`,
          { fy: FY },
        );
        expect(national.body.errors).toBeUndefined();
        nation = national.body.data?.nationalConsultationSummary;
        // A few prefectures a page (the gateway's query cost limit).
        prefectures = [];
        for (let after: string | null = null, more = true; more;) {
          const page: Answer<{ jurisdictions: { nodes: Prefecture[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } }> = await as(
            'nation',
            `query($fy: Int!, $after: String) { jurisdictions(filter: { kinds: [PREFECTURE] }, first: 10, after: $after) {
               nodes { code consultationSummary(fiscalYear: $fy) { ${FULL} } children { code consultationSummary(fiscalYear: $fy) { ${FULL} } } }
               pageInfo { endCursor hasNextPage } } }`,
            { fy: FY, after },
          );
          expect(page.body.errors).toBeUndefined();
          prefectures.push(...(page.body.data?.jurisdictions.nodes ?? []));
          after = page.body.data?.jurisdictions.pageInfo.endCursor ?? null;
          more = page.body.data?.jurisdictions.pageInfo.hasNextPage ?? false;
        }
        if (prefectures.every((p) => p.consultationSummary.asOf === nation?.asOf)) break;
      }
      if (!nation) throw new Error('no national figures');
      published.set(NATION, nation);
      expect(prefectures).toHaveLength(47);
      for (const p of prefectures) {
        published.set(p.code, p.consultationSummary);
        for (const c of p.children) if (c.consultationSummary) published.set(c.code, c.consultationSummary);
      }
      const db = hub.subgraphs.consultation?.db;
      if (!db) throw new Error('no consultation subgraph');
      truth = (await countFigures(db, requireFiscalYear(FY))).values;
      for (const [unit, summary] of published) for (const [column, count] of cellsOf(summary)) if (count.suppressed) hidden.add(cellId(unit, column));
      tokyoUnits.add(TOKYO);
      for (const p of prefectures) if (p.code === TOKYO) for (const c of p.children) tokyoUnits.add(c.code);
    }, 120_000);

    it('publishes one state: one asOf, every shown count as the database holds it, every count from 1 to 9 hidden', () => {
      expect(published.size).toBeGreaterThan(1700);
      expect(new Set([...published.values()].map((s) => s.asOf)).size).toBe(1);
      let small = 0;
      for (const [unit, summary] of published) {
        const cells = cellsOf(summary);
        expect(cells.map(([column]) => column).sort()).toEqual([...FIGURE_COLUMNS].sort());
        for (const [column, count] of cells) {
          const value = truth.get(`${unit}|${column}`) ?? 0;
          if (value > 0 && value < 10) {
            small += 1;
            expect([unit, column, count.suppressed]).toEqual([unit, column, true]);
          }
          if (!count.suppressed) expect([unit, column, count.value]).toEqual([unit, column, value]);
        }
        // A median is never shown over a hidden count: whether it is would bound the count.
        if (summary.casesOpened.suppressed) expect([unit, summary.medianDaysToFirstContact.suppressed]).toEqual([unit, true]);
        if (summary.referralsMade.suppressed) expect([unit, summary.medianDaysReferralToResponse.suppressed]).toEqual([unit, true]);
      }
      expect(small).toBeGreaterThan(1000);
      expect(hidden.size).toBeGreaterThan(small);
    });

    it(`narrows no suppressed count anywhere (nation, prefectures, municipalities) below PROTECTION_VALUES (${PROTECTION_VALUES}) values`, async () => {
      // The attacker knows every shown count (cells not fetched here count as known too, which only
      // helps the attacker), every relation of the figures table (the nation and each prefecture as
      // sums, the breakdowns within a unit) and each hidden count's bounds (0–9 for a small one, as if
      // the attacker knew which hidden counts are small). Every component of hidden cells is solved
      // whole; Tokyo's links through hidden prefecture cells to most of the country.
      const ranges = await attackTable(figuresTable(truth), hidden, { enough: PROTECTION_VALUES });
      expect(ranges).toHaveLength(hidden.size);
      expect([...hidden].filter((id) => tokyoUnits.has(id.slice(0, id.indexOf('\u0001')))).length).toBeGreaterThan(100);
      expect(ranges.filter((r) => r.values < PROTECTION_VALUES)).toEqual([]);
    }, 300_000);

    it("is needed: hiding only the counts from 1 to 9 lets the same attacker pin some of Tokyo's to one value", async () => {
      const small = new Set(
        [...truth].filter(([id, v]) => v > 0 && v < 10 && tokyoUnits.has(id.slice(0, id.indexOf('|')))).map(([id]) => id.replace('|', '\u0001')),
      );
      const ranges = await attackTable(figuresTable(truth), small, { rows: tokyoUnits });
      expect(ranges.filter((r) => r.values === 1).length).toBeGreaterThan(0);
    }, 300_000);
  });

  it('counts what the database holds', async () => {
    const db = hub.subgraphs.consultation?.db;
    const [row] = (await db?.query("SELECT count(*)::int AS n FROM consultation_case WHERE municipality_code = '131016' AND opened_on BETWEEN $1 AND $2", [
      PERIOD.from,
      PERIOD.to,
    ])) as { n: number }[];
    const answer = await as<{ jurisdiction: { consultationSummary: Summary } }>(
      'chiyoda',
      `query($fy: Int!) { jurisdiction(code: "${CHIYODA}") { consultationSummary(fiscalYear: $fy) { ${SUMMARY} } } }`,
      { fy: FY },
    );
    expect(answer.body.errors).toBeUndefined();
    const opened = answer.body.data?.jurisdiction.consultationSummary.casesOpened;
    expect(row).toBeDefined();
    expect(opened).toBeDefined();
    expect(opened?.suppressed ? null : opened?.value).toBe(row && row.n > 0 && row.n < 10 ? null : row?.n);
  });

  it('gives figures to each tier for its area only', async () => {
    const q = (c: string) => `query($fy: Int!) { jurisdiction(code: "${c}") { consultationSummary(fiscalYear: $fy) { casesOpened { value } } } }`;
    const allowed: [keyof typeof AS, string, boolean][] = [
      ['nation', TOKYO, true],
      ['adviser', CHIYODA, true],
      ['prefecture', CHIYODA, true],
      ['prefecture', '010006', false],
      ['healthCentre', SHIBUYA, true],
      ['healthCentre', TOKYO, false],
      ['chiyoda', CHIYODA, true],
      ['chiyoda', TOKYO, false],
      ['chiyoda', SHIBUYA, false],
      ['vendor', CHIYODA, false],
      ['provider', CHIYODA, false],
    ];
    for (const [who, c, ok] of allowed) {
      const answer = await as(who, q(c), { fy: FY });
      expect([who, c, ok ? answer.body.errors : code(answer)]).toEqual([who, c, ok ? undefined : 'FORBIDDEN']);
    }
    expect(code(await as('public', q(CHIYODA), { fy: FY }))).toBe('FORBIDDEN');
    const national = '{ nationalConsultationSummary(fiscalYear: 2025) { casesOpened { value } } }';
    expect(
      (await as<{ nationalConsultationSummary: { casesOpened: { value: number } } }>('nation', national)).body.data?.nationalConsultationSummary.casesOpened
        .value,
    ).toBeGreaterThan(1000);
    expect(code(await as('prefecture', national))).toBe('FORBIDDEN');
    expect(code(await as('nation', '{ nationalConsultationSummary(fiscalYear: 1999) { casesOpened { value } } }'))).toBe('BAD_USER_INPUT');
  });

  it('costs the same number of SQL statements for 3 jurisdictions as for every municipality', async () => {
    const sub = hub.subgraphs.consultation;
    if (!sub) throw new Error('no consultation subgraph');
    const statements = async (codes: string[]) => {
      const response = await fetch(sub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await hopHeaders({ role: 'nation', subject: 't', jurisdictionCodes: [], organizationId: null })) },
        body: JSON.stringify({
          query:
            'query($r: [_Any!]!) { _entities(representations: $r) { ... on Jurisdiction { consultationSummary(fiscalYear: 2025) { casesOpened { value } referralsMade { value } } } } }',
          variables: { r: codes.map((c) => ({ __typename: 'Jurisdiction', code: c })) },
        }),
      });
      expect(response.status).toBe(200);
      return Number(response.headers.get('x-nimo-sql-statements'));
    };
    const all = jurisdictionRows().map((r) => r.code);
    await statements(all.slice(0, 3)); // the period's figures, computed once (generation + figures)
    const few = await statements(all.slice(0, 3));
    const many = await statements(all);
    expect(many).toBe(few);
    expect(many).toBe(1); // reused until the data changes: one statement reads the generation
  });

  it('follows a write: the last protected figures at once (as of before it), then figures that count it', async () => {
    const national = '{ nationalConsultationSummary(fiscalYear: 2025) { asOf casesOpened { value } } }';
    type National = { nationalConsultationSummary: { asOf: string; casesOpened: { value: number } } };
    await current(FY);
    const first = (await as<National>('nation', national)).body.data?.nationalConsultationSummary;
    await openCase({ openedOn: '2025-06-01' });
    // At once: a whole snapshot of a committed state before the write (never its counts under another state's suppression).
    const atOnce = (await as<National>('nation', national)).body.data?.nationalConsultationSummary;
    expect(atOnce).toEqual(first);
    const asOf = await current(FY);
    const after = (await as<National>('nation', national)).body.data?.nationalConsultationSummary;
    expect(after?.casesOpened.value).toBe((first?.casesOpened.value ?? 0) + 1);
    expect(new Date(asOf).getTime()).toBeGreaterThan(new Date(first?.asOf ?? 0).getTime());
  }, 120_000);
});
