import { randomUUID } from 'node:crypto';
import { buildTrainingDemo, directoryOrganizationId, OrganiserKind } from '@nimo/training';
import { gql, startTestHub, type Answer, type TestHub } from './hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

type Claims = Record<string, unknown>;
const as = async (claims: Claims | null): Promise<Record<string, string>> => (claims ? { authorization: `Bearer ${await hub.keys.sign(claims)}` } : {});
async function call<T = Record<string, unknown>>(claims: Claims | null, query: string, variables?: Record<string, unknown>): Promise<Answer<T>> {
  return gql<T>(hub.gateway.url, query, variables, await as(claims));
}
const key = () => randomUUID();
const codeOf = (answer: Answer<unknown>) => answer.body.errors?.[0]?.extensions?.code;

// The directory's demo organisations, recomputed as the training seed does.
const CHIYODA_DESK = directoryOrganizationId('131016', '千代田区障害福祉課 精神保健福祉相談窓口');
const TOKYO_CENTRE = directoryOrganizationId('130001', '東京都中部精神保健福祉センター');
const OSAKA_DESK = directoryOrganizationId('272078', '高槻市障害福祉課 精神保健福祉相談窓口');

const TOKYO = { role: 'prefecture', jurisdictions: ['130001'] };
const CHIYODA = { role: 'municipality', jurisdictions: ['131016'], org: CHIYODA_DESK };
const OTHER_MUNICIPALITY = { role: 'municipality', jurisdictions: ['272078'], org: OSAKA_DESK };

const CREATE_COURSE = `mutation ($input: CreateCourseInput!, $key: String) { createCourse(input: $input, idempotencyKey: $key) { id version organiserKind programItem organiserJurisdiction { name } } }`;
const CREATE_SESSION = `mutation ($input: CreateTrainingSessionInput!, $key: String) { createTrainingSession(input: $input, idempotencyKey: $key) { id state version capacity } }`;
const ADD_STAFF = `mutation ($input: AddStaffMemberInput!, $key: String) { addStaffMember(input: $input, idempotencyKey: $key) { id displayName version organization { name } } }`;
const ENROL = `mutation ($s: ID!, $m: ID!, $key: String) { enrol(sessionId: $s, staffMemberId: $m, idempotencyKey: $key) { id state version } }`;
const CANCEL = `mutation ($id: ID!, $v: Int!, $key: String) { cancelEnrolment(id: $id, version: $v, idempotencyKey: $key) { id state version } }`;
const SESSION = `query ($id: ID!) { trainingSession(id: $id) { state version enrolledCount waitListedCount placesLeft enrolments { id state version waitListPosition staffMember { id displayName } } } }`;

async function newCourse(): Promise<string> {
  const answer = await call<{ createCourse: { id: string } }>(TOKYO, CREATE_COURSE, {
    input: {
      title: '東京都 相談担当者フォローアップ研修（テスト）',
      organiserKind: 'PREFECTURE',
      organiserJurisdictionCode: '130001',
      audience: 'MUNICIPAL_CONSULTATION_STAFF',
      curriculum: ['事例検討'],
      programItem: 11,
    },
    key: key(),
  });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data?.createCourse.id ?? '';
}

/** A day next year: enrolment is open only before a session starts. */
const FUTURE = `${new Date().getUTCFullYear() + 1}-11-10`;

/** Lets time pass for a session: it started (and ended) on 10 November 2025. */
async function moveIntoThePast(sessionId: string): Promise<void> {
  await hub.subgraphs.training?.db.query(`UPDATE training_session SET starts_on = '2025-11-10', ends_on = '2025-11-10', fiscal_year = 2025 WHERE id = $1`, [
    sessionId,
  ]);
}

async function newSession(courseId: string, capacity: number, openNow = true, startsOn = FUTURE): Promise<{ id: string; version: number }> {
  const answer = await call<{ createTrainingSession: { id: string; version: number } }>(TOKYO, CREATE_SESSION, {
    input: { courseId, startsOn, endsOn: startsOn, delivery: 'ON_SITE', venueJurisdictionCode: '131016', capacity, openNow },
    key: key(),
  });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data?.createTrainingSession ?? { id: '', version: 0 };
}

async function newStaff(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const answer = await call<{ addStaffMember: { id: string } }>(CHIYODA, ADD_STAFF, {
      input: {
        organizationId: CHIYODA_DESK,
        jurisdictionCode: '131016',
        displayName: `職員 T-${String(i).padStart(4, '0')}（デモ）`,
        qualifications: ['PSW'],
        consultationStaff: true,
      },
      key: key(),
    });
    expect(answer.body.errors).toBeUndefined();
    ids.push(answer.body.data?.addStaffMember.id ?? '');
  }
  return ids;
}

describe('enrolment', () => {
  let courseId: string;
  beforeAll(async () => {
    courseId = await newCourse();
  });

  it('never exceeds capacity under 30 concurrent enrolments, and promotes the wait list first come first served', async () => {
    const session = await newSession(courseId, 5);
    const staff = await newStaff(30);
    const answers = await Promise.all(staff.map((m) => call<{ enrol: { id: string; state: string } }>(CHIYODA, ENROL, { s: session.id, m, key: key() })));
    for (const a of answers) expect(a.body.errors).toBeUndefined();
    const states = answers.map((a) => a.body.data?.enrol.state);
    expect(states.filter((s) => s === 'ENROLLED')).toHaveLength(5);
    expect(states.filter((s) => s === 'WAIT_LISTED')).toHaveLength(25);

    type S = {
      trainingSession: {
        state: string;
        enrolledCount: number;
        waitListedCount: number;
        placesLeft: number;
        enrolments: { id: string; state: string; version: number; waitListPosition: number | null }[];
      };
    };
    const before = (await call<S>(TOKYO, SESSION, { id: session.id })).body.data?.trainingSession;
    expect(before).toMatchObject({ state: 'FULL', enrolledCount: 5, waitListedCount: 25, placesLeft: 0 });
    const first = before?.enrolments.find((e) => e.waitListPosition === 1);
    const second = before?.enrolments.find((e) => e.waitListPosition === 2);
    const leaving = before?.enrolments.find((e) => e.state === 'ENROLLED');
    expect(first && second && leaving).toBeTruthy();

    const cancelled = await call<{ cancelEnrolment: { state: string } }>(CHIYODA, CANCEL, { id: leaving?.id, v: leaving?.version, key: key() });
    expect(cancelled.body.errors).toBeUndefined();
    expect(cancelled.body.data?.cancelEnrolment.state).toBe('CANCELLED');
    const after = (await call<S>(TOKYO, SESSION, { id: session.id })).body.data?.trainingSession;
    expect(after).toMatchObject({ state: 'FULL', enrolledCount: 5, waitListedCount: 24 });
    expect(after?.enrolments.find((e) => e.id === first?.id)).toMatchObject({ state: 'ENROLLED', waitListPosition: null });
    expect(after?.enrolments.find((e) => e.id === second?.id)).toMatchObject({ state: 'WAIT_LISTED', waitListPosition: 1 });

    // Every write on staff personal data left an audit record.
    const [audit] = (await hub.subgraphs.training?.db.query(
      "SELECT count(*) FILTER (WHERE action IN ('enrol','wait-list'))::int AS enrol, count(*) FILTER (WHERE action = 'promote')::int AS promote, count(*) FILTER (WHERE action = 'create')::int AS created FROM audit_log",
    )) as { enrol: number; promote: number; created: number }[];
    expect(audit?.enrol).toBeGreaterThanOrEqual(30);
    expect(audit?.promote).toBeGreaterThanOrEqual(1);
    expect(audit?.created).toBeGreaterThanOrEqual(30);
  });

  it('opens a FULL session again when a place frees up and nobody waits', async () => {
    const session = await newSession(courseId, 1);
    const [m] = await newStaff(1);
    const enrolled = await call<{ enrol: { id: string; version: number } }>(CHIYODA, ENROL, { s: session.id, m, key: key() });
    expect(
      (await call<{ trainingSession: { state: string } }>(null, SESSION.replace(/enrolments \{[^}]*\{[^}]*\} \}/, ''), { id: session.id })).body.data
        ?.trainingSession.state,
    ).toBe('FULL');
    await call(CHIYODA, CANCEL, { id: enrolled.body.data?.enrol.id, v: enrolled.body.data?.enrol.version, key: key() });
    expect(
      (await call<{ trainingSession: { state: string; placesLeft: number } }>(null, '{ trainingSession(id: "' + session.id + '") { state placesLeft } }')).body
        .data?.trainingSession,
    ).toEqual({ state: 'OPEN', placesLeft: 1 });
  });

  it('creates nothing twice when a mutation is retried with the same idempotency key', async () => {
    const session = await newSession(courseId, 10);
    const [m] = await newStaff(1);
    const k = key();
    const [a, b] = await Promise.all([
      call<{ enrol: { id: string } }>(CHIYODA, ENROL, { s: session.id, m, key: k }),
      call<{ enrol: { id: string } }>(CHIYODA, ENROL, { s: session.id, m, key: k }),
    ]);
    const c = await call<{ enrol: { id: string } }>(CHIYODA, ENROL, { s: session.id, m, key: k });
    // At once, the second is either answered with the first's result or told the first still runs (CONFLICT).
    const [done, other] = a.body.errors ? [b, a] : [a, b];
    expect(done.body.errors).toBeUndefined();
    expect(done.body.data?.enrol.id).toEqual(expect.any(String));
    if (other.body.errors) expect(codeOf(other)).toBe('CONFLICT');
    else expect(other.body.data?.enrol.id).toBe(done.body.data?.enrol.id);
    expect(c.body.data?.enrol.id).toBe(done.body.data?.enrol.id);
    const counted = await call<{ trainingSession: { enrolledCount: number } }>(null, `{ trainingSession(id: "${session.id}") { enrolledCount } }`);
    expect(counted.body.data?.trainingSession.enrolledCount).toBe(1);
    const staffKey = key();
    const input = {
      organizationId: CHIYODA_DESK,
      jurisdictionCode: '131016',
      displayName: '職員 R-0001（デモ）',
      qualifications: [],
      consultationStaff: false,
    };
    const s1 = await call<{ addStaffMember: { id: string } }>(CHIYODA, ADD_STAFF, { input, key: staffKey });
    const s2 = await call<{ addStaffMember: { id: string } }>(CHIYODA, ADD_STAFF, { input, key: staffKey });
    expect(s1.body.errors).toBeUndefined();
    expect(s1.body.data?.addStaffMember.id).toEqual(expect.any(String));
    expect(s2.body.data?.addStaffMember.id).toBe(s1.body.data?.addStaffMember.id);
    // The same key for another request is refused, and changes nothing.
    const reused = await call(CHIYODA, ADD_STAFF, { input: { ...input, displayName: '職員 R-0002（デモ）' }, key: staffKey });
    expect(codeOf(reused)).toBe('BAD_USER_INPUT');
    // A second enrolment of the same staff member (new key) is refused.
    expect(codeOf(await call(CHIYODA, ENROL, { s: session.id, m, key: key() }))).toBe('BAD_USER_INPUT');
  });

  it('answers a replay with the enrolment as the first write left it, never its later state', async () => {
    const session = await newSession(courseId, 10);
    const [m] = await newStaff(1);
    const k = key();
    const first = await call<{ enrol: { id: string; state: string; version: number } }>(CHIYODA, ENROL, { s: session.id, m, key: k });
    expect(first.body.data?.enrol).toMatchObject({ state: 'ENROLLED', version: 1 });
    const id = first.body.data?.enrol.id;
    const cancelled = await call<{ cancelEnrolment: { state: string; version: number } }>(CHIYODA, CANCEL, { id, v: 1, key: key() });
    expect(cancelled.body.data?.cancelEnrolment).toMatchObject({ state: 'CANCELLED', version: 2 });
    const replay = await call<{ enrol: { id: string; state: string; version: number } }>(CHIYODA, ENROL, { s: session.id, m, key: k });
    expect(replay.body.data?.enrol).toEqual({ id, state: 'ENROLLED', version: 1 });
  });

  it('refuses a stale version with CONFLICT and changes nothing', async () => {
    const session = await newSession(courseId, 3);
    const [m] = await newStaff(1);
    const enrolled = await call<{ enrol: { id: string; version: number } }>(CHIYODA, ENROL, { s: session.id, m, key: key() });
    const stale = await call(CHIYODA, CANCEL, { id: enrolled.body.data?.enrol.id, v: (enrolled.body.data?.enrol.version ?? 0) + 7, key: key() });
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(stale.body.data?.cancelEnrolment ?? null).toBeNull();
    const setState = `mutation ($id: ID!, $state: TrainingSessionState!, $v: Int!) { setTrainingSessionState(id: $id, state: $state, version: $v) { state version } }`;
    expect(codeOf(await call(TOKYO, setState, { id: session.id, state: 'HELD', v: session.version - 1 }))).toBe('CONFLICT');
    // Not HELD before it starts; the session is unchanged.
    const early = await call(TOKYO, setState, { id: session.id, state: 'HELD', v: session.version });
    expect(codeOf(early)).toBe('BAD_USER_INPUT');
    expect(early.body.errors?.[0]?.message).toMatch(/once it has started/);
    await moveIntoThePast(session.id);
    const held = await call<{ setTrainingSessionState: { state: string; version: number } }>(TOKYO, setState, {
      id: session.id,
      state: 'HELD',
      v: session.version,
    });
    expect(held.body.data?.setTrainingSessionState.state).toBe('HELD');
    // Attendance, then completion with a certificate number, by the organiser.
    const attendance = await call<{ recordAttendance: { state: string; version: number } }>(
      TOKYO,
      'mutation ($id: ID!, $v: Int!) { recordAttendance(id: $id, attended: true, version: $v) { state version } }',
      { id: enrolled.body.data?.enrol.id, v: enrolled.body.data?.enrol.version },
    );
    expect(attendance.body.data?.recordAttendance.state).toBe('ATTENDED');
    const completion = await call<{ recordCompletion: { state: string; certificateNumber: string; completedOn: string } }>(
      TOKYO,
      'mutation ($id: ID!, $v: Int!) { recordCompletion(id: $id, version: $v) { state certificateNumber completedOn } }',
      { id: enrolled.body.data?.enrol.id, v: attendance.body.data?.recordAttendance.version },
    );
    expect(completion.body.errors).toBeUndefined();
    expect(completion.body.data?.recordCompletion).toEqual({
      state: 'COMPLETED',
      completedOn: '2025-11-10',
      certificateNumber: `TR-2025-130001-${session.id.slice(0, 8).toUpperCase()}-0001`,
    });
    // The staff member's organisation refuses to let others record completion.
    expect(codeOf(await call(CHIYODA, 'mutation ($id: ID!) { recordCompletion(id: $id, version: 1) { state } }', { id: enrolled.body.data?.enrol.id }))).toBe(
      'FORBIDDEN',
    );
  });
});

describe('bad input', () => {
  const course = { title: 'テスト', organiserKind: 'PREFECTURE', organiserJurisdictionCode: '130001', audience: 'PEER_SUPPORTERS', curriculum: ['a'] };
  const cases: [string, Claims | null, string, Record<string, unknown>, RegExp][] = [
    ['a program item outside 1–14', TOKYO, CREATE_COURSE, { input: { ...course, programItem: 15 } }, /program item from 1 to 14/],
    ['a jurisdiction code with a wrong check digit', TOKYO, CREATE_COURSE, { input: { ...course, organiserJurisdictionCode: '130002' } }, /check digit/],
    ['an empty curriculum', TOKYO, CREATE_COURSE, { input: { ...course, curriculum: [] } }, /curriculum/],
    ['a prefecture organiser with a municipality code', TOKYO, CREATE_COURSE, { input: { ...course, organiserJurisdictionCode: '131016' } }, /prefecture code/],
    ['a malformed idempotency key', TOKYO, CREATE_COURSE, { input: course, key: 'short' }, /idempotencyKey/],
    ['a session id that is not a UUID', CHIYODA, ENROL, { s: 'nope', m: CHIYODA_DESK }, /must be a UUID/],
    ['a fiscal year out of range', { role: 'nation' }, '{ nationalTrainingSummary(fiscalYear: 1800) { completions } }', {}, /fiscal year/],
  ];
  it.each(cases)('refuses %s with BAD_USER_INPUT', async (_name, claims, query, variables, message) => {
    const answer = await call(claims, query, variables);
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.body.errors?.[0]?.message).toMatch(message);
  });

  it('refuses bad session input and enrolment in a session not open, with BAD_USER_INPUT', async () => {
    const courseId = await newCourse();
    const base = { courseId, startsOn: '2025-11-10', endsOn: '2025-11-10', delivery: 'ONLINE', capacity: 5 };
    for (const input of [
      { ...base, capacity: 0 },
      { ...base, endsOn: '2025-11-09' },
      { ...base, startsOn: '2025-02-30' },
      { ...base, delivery: 'ON_SITE' },
    ]) {
      expect(codeOf(await call(TOKYO, CREATE_SESSION, { input }))).toBe('BAD_USER_INPUT');
    }
    const scheduled = await newSession(courseId, 5, false);
    const [m] = await newStaff(1);
    const answer = await call(CHIYODA, ENROL, { s: scheduled.id, m, key: key() });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.body.errors?.[0]?.message).toMatch(/SCHEDULED/);
  });

  it('closes enrolment when a session starts, and changes nothing when refused', async () => {
    const courseId = await newCourse();
    const started = await newSession(courseId, 5, true, '2025-11-10');
    const [m] = await newStaff(1);
    type S = { trainingSession: { state: string; enrolmentOpen: boolean; enrolledCount: number; version: number } };
    const before = (await call<S>(null, `{ trainingSession(id: "${started.id}") { state enrolmentOpen enrolledCount version } }`)).body.data?.trainingSession;
    expect(before).toEqual({ state: 'OPEN', enrolmentOpen: false, enrolledCount: 0, version: started.version });
    const answer = await call(CHIYODA, ENROL, { s: started.id, m, key: key() });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.body.errors?.[0]?.message).toMatch(/enrolment closed when it started/);
    expect((await call<S>(null, `{ trainingSession(id: "${started.id}") { state enrolmentOpen enrolledCount version } }`)).body.data?.trainingSession).toEqual(
      before,
    );
    const future = await newSession(courseId, 5);
    expect((await call<S>(null, `{ trainingSession(id: "${future.id}") { enrolmentOpen } }`)).body.data?.trainingSession.enrolmentOpen).toBe(true);
  });

  it('leaves no demo session in the past open for enrolment', async () => {
    const [row] = (await hub.subgraphs.training?.db.query(
      `SELECT count(*) FILTER (WHERE state IN ('OPEN', 'FULL') AND ends_on < (now() AT TIME ZONE 'Asia/Tokyo')::date)::int AS past_open,
              count(*) FILTER (WHERE state = 'HELD' AND starts_on > (now() AT TIME ZONE 'Asia/Tokyo')::date)::int AS future_held,
              count(*) FILTER (WHERE state IN ('OPEN', 'FULL') AND starts_on > (now() AT TIME ZONE 'Asia/Tokyo')::date)::int AS open_ahead
         FROM training_session WHERE is_demo`,
    )) as { past_open: number; future_held: number; open_ahead: number }[];
    expect(row).toMatchObject({ past_open: 0, future_held: 0 });
    // Completion only after a session: no demo completion before its session started.
    const [early] = (await hub.subgraphs.training?.db.query(
      `SELECT count(*)::int AS n FROM enrolment e JOIN training_session ts ON ts.id = e.session_id WHERE e.completed_on < ts.starts_on OR (e.state = 'COMPLETED' AND ts.state <> 'HELD')`,
    )) as { n: number }[];
    expect(early?.n).toBe(0);
  });
});

describe('access', () => {
  const demo = buildTrainingDemo();
  const consultation = demo.courses.find((c) => c.organiserJurisdictionCode === '130001' && c.organiserKind === OrganiserKind.MHW_CENTRE);
  const heldSession = demo.sessions.find((s) => s.courseId === consultation?.id && s.fiscalYear === 2024);
  const enrolledStaff = new Set(demo.enrolments.filter((e) => e.sessionId === heldSession?.id).map((e) => e.staffId));
  const deskWithEnrollee = demo.staff.find((s) => enrolledStaff.has(s.id));
  const TOKYO_CENTRE_CLAIMS = { role: 'mhw_centre', jurisdictions: ['130001'], org: TOKYO_CENTRE };
  const ORG_QUERY = `query ($id: ID!) { organization(id: $id) { name staff { id displayName qualifications completions { certificateNumber } } completions { certificateNumber } } }`;
  type Org = {
    organization: { name: string; staff: { id: string; displayName: string | null }[] | null; completions: { certificateNumber: string }[] | null };
  };

  it('shows an organisation all its own staff, with personal data and completions', async () => {
    const own = { role: 'municipality', jurisdictions: [deskWithEnrollee?.jurisdictionCode], org: deskWithEnrollee?.organizationId };
    const answer = await call<Org>(own, ORG_QUERY, { id: deskWithEnrollee?.organizationId });
    expect(answer.body.errors).toBeUndefined();
    const staff = answer.body.data?.organization.staff ?? [];
    expect(answer.body.data?.organization.name).toMatch(/精神保健福祉相談窓口/);
    expect(staff.length).toBe(demo.staff.filter((s) => s.organizationId === deskWithEnrollee?.organizationId).length);
    expect(staff.every((s) => s.displayName?.startsWith('職員 '))).toBe(true);
    expect((answer.body.data?.organization.completions ?? []).length).toBeGreaterThan(0);
  });

  it('shows the organiser the staff enrolled in its sessions, and no one else', async () => {
    const session = await call<{ trainingSession: { enrolments: { staffMember: { id: string; displayName: string | null } }[] } }>(
      TOKYO_CENTRE_CLAIMS,
      `query ($id: ID!) { trainingSession(id: $id) { enrolments { staffMember { id displayName } } } }`,
      { id: heldSession?.id },
    );
    expect(session.body.errors).toBeUndefined();
    const seen = session.body.data?.trainingSession.enrolments ?? [];
    expect(seen.length).toBe(enrolledStaff.size);
    expect(seen.every((e) => e.staffMember.displayName?.startsWith('職員 '))).toBe(true);
    // Through the organisation: only its enrollees of the centre's sessions.
    const org = await call<Org>(TOKYO_CENTRE_CLAIMS, ORG_QUERY, { id: deskWithEnrollee?.organizationId });
    expect(org.body.errors).toBeUndefined();
    const ids = (org.body.data?.organization.staff ?? []).map((s) => s.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(
      ids.every(
        (id) =>
          enrolledStaff.has(id) ||
          demo.enrolments.some((e) => e.staffId === id && demo.sessions.find((s) => s.id === e.sessionId)?.courseId === consultation?.id),
      ),
    ).toBe(true);
  });

  const outsiders: [string, Claims | null][] = [
    ["another municipality's organisation", OTHER_MUNICIPALITY],
    ['another prefecture', { role: 'prefecture', jurisdictions: ['270008'] }],
    ['the nation', { role: 'nation' }],
    ['a provider', { role: 'provider', org: OSAKA_DESK }],
    ['a vendor', { role: 'vendor' }],
    ['the public', null],
  ];
  it.each(outsiders)('gives %s FORBIDDEN-null on staff personal data', async (_name, claims) => {
    const answer = await call<Org>(claims, ORG_QUERY, { id: deskWithEnrollee?.organizationId });
    expect(answer.body.data?.organization.name).toMatch(/精神保健福祉相談窓口/);
    expect(answer.body.data?.organization.staff).toBeNull();
    expect(answer.body.data?.organization.completions).toBeNull();
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const direct = await call<{ staffMember: unknown }>(claims, `{ staffMember(id: "${deskWithEnrollee?.id}") { displayName } }`);
    expect(direct.body.data?.staffMember).toBeNull();
    const enrolments = await call<{ trainingSession: { enrolments: unknown } }>(
      claims,
      `{ trainingSession(id: "${heldSession?.id}") { enrolledCount enrolments { id } } }`,
    );
    expect((enrolments.body.data?.trainingSession.enrolments as unknown[] | null) ?? []).toEqual([]);
  });

  const SUMMARY = `{ jurisdiction(code: "130001") { name trainedStaffTotal trainingSummary(fiscalYear: 2024) { sessionsHeld completions staffTrained municipalities shareOfMunicipalitiesWithTrainedConsultationStaff } } }`;
  it.each([
    ['another prefecture', { role: 'prefecture', jurisdictions: ['270008'] }],
    ['the nation', { role: 'nation' }],
    ['the adviser organisation', { role: 'adviser' }],
    ['another municipality', OTHER_MUNICIPALITY],
  ] as [string, Claims][])('gives %s the aggregates', async (_name, claims) => {
    const answer = await call<{
      jurisdiction: {
        trainedStaffTotal: number;
        trainingSummary: { completions: number; municipalities: number; shareOfMunicipalitiesWithTrainedConsultationStaff: number };
      };
    }>(claims, SUMMARY);
    expect(answer.body.errors).toBeUndefined();
    const j = answer.body.data?.jurisdiction;
    expect(j?.trainingSummary.completions).toBeGreaterThan(0);
    expect(j?.trainingSummary.municipalities).toBe(62);
    expect(j?.trainingSummary.shareOfMunicipalitiesWithTrainedConsultationStaff).toBeGreaterThan(0);
    expect(j?.trainedStaffTotal).toBeGreaterThanOrEqual(j?.trainingSummary.completions ? 1 : 0);
  });

  it.each([
    ['a vendor', { role: 'vendor' }],
    ['the public', null],
    ['a provider', { role: 'provider', org: OSAKA_DESK }],
  ] as [string, Claims | null][])('denies %s the aggregates (FORBIDDEN-null) but not the course catalogue', async (_name, claims) => {
    const answer = await call<{ jurisdiction: { name: string; trainedStaffTotal: null; trainingSummary: null } }>(claims, SUMMARY);
    expect(answer.body.data?.jurisdiction).toEqual({ name: '東京都', trainedStaffTotal: null, trainingSummary: null });
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const national = await call(claims, '{ nationalTrainingSummary(fiscalYear: 2024) { completions } }');
    expect(codeOf(national)).toBe('FORBIDDEN');
    const catalogue = await call<{ courses: { totalCount: number } }>(claims, '{ courses(filter: { programItem: 11 }) { totalCount } }');
    expect(catalogue.body.data?.courses.totalCount).toBeGreaterThanOrEqual(47);
  });

  it('refuses to let an outsider enrol, cancel or organise', async () => {
    expect(codeOf(await call(OTHER_MUNICIPALITY, ENROL, { s: heldSession?.id, m: deskWithEnrollee?.id, key: key() }))).toBe('FORBIDDEN');
    const input = { title: 'x', organiserKind: 'PREFECTURE', organiserJurisdictionCode: '130001', audience: 'PEER_SUPPORTERS', curriculum: ['a'] };
    expect(codeOf(await call({ role: 'prefecture', jurisdictions: ['270008'] }, CREATE_COURSE, { input }))).toBe('FORBIDDEN');
    expect(codeOf(await call({ role: 'vendor' }, CREATE_COURSE, { input }))).toBe('FORBIDDEN');
  });

  it('rolls the nation up from the prefectures through the gateway', async () => {
    const answer = await call<{
      nationalTrainingSummary: { completions: number; municipalities: number };
      jurisdictions: { nodes: { trainingSummary: { completions: number } }[] };
    }>(
      { role: 'nation' },
      '{ nationalTrainingSummary(fiscalYear: 2023) { completions municipalities } jurisdictions(first: 47, filter: { kinds: [PREFECTURE] }) { nodes { trainingSummary(fiscalYear: 2023) { completions } } } }',
    );
    expect(answer.body.errors).toBeUndefined();
    const sum = (answer.body.data?.jurisdictions.nodes ?? []).reduce((t, n) => t + n.trainingSummary.completions, 0);
    expect(sum).toBe(answer.body.data?.nationalTrainingSummary.completions);
    expect(answer.body.data?.nationalTrainingSummary.municipalities).toBe(1741);
  });
});

describe('text that cannot be stored as sent (issue 13)', () => {
  const STAFF = `query ($id: ID!) { organization(id: $id) { staff { id } } }`;
  const staffCount = async () =>
    (await call<{ organization: { staff: unknown[] } }>(CHIYODA, STAFF, { id: CHIYODA_DESK })).body.data?.organization.staff.length ?? -1;

  it.each([
    ['a null character', '職員\u0000（デモ）', /null character/],
    ['a lone high surrogate', '職員\ud842（デモ）', /lone UTF-16 surrogate \(U\+D842\)/],
    ['a lone low surrogate', '\udfb7職員（デモ）', /lone UTF-16 surrogate \(U\+DFB7\)/],
  ])('refuses %s with 400 BAD_USER_INPUT naming the field, and stores nothing', async (_name, displayName, reason) => {
    const before = await staffCount();
    const answer = await call(CHIYODA, ADD_STAFF, {
      input: { organizationId: CHIYODA_DESK, jurisdictionCode: '131016', displayName, qualifications: ['PSW'], consultationStaff: true },
      key: key(),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.displayName' });
    expect(answer.body.errors?.[0]?.message).toMatch(reason);
    expect(await staffCount()).toBe(before);
  });

  it('refuses a null character written into the document itself, naming the argument', async () => {
    const answer = await call(
      CHIYODA,
      `mutation { addStaffMember(input: { organizationId: "${CHIYODA_DESK}", jurisdictionCode: "131016", displayName: "a\\u0000b", qualifications: [PSW], consultationStaff: true }) { id } }`,
    );
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'addStaffMember.input.displayName' });
  });

  it('stores a character outside the BMP (a surrogate pair) as sent', async () => {
    const answer = await call<{ addStaffMember: { displayName: string } }>(CHIYODA, ADD_STAFF, {
      input: { organizationId: CHIYODA_DESK, jurisdictionCode: '131016', displayName: '𠮷田 職員（デモ）', qualifications: ['PSW'], consultationStaff: true },
      key: key(),
    });
    // Display names are stored NFKC-normalised (（デモ） → (デモ)); the pair survives as one character.
    expect(answer.body.data?.addStaffMember.displayName).toBe('𠮷田 職員（デモ）'.normalize('NFKC'));
    expect(answer.body.data?.addStaffMember.displayName.codePointAt(0)).toBe(0x20bb7);
  });
});
