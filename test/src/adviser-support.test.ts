import { isDemoPromotionParticipant, jurisdictionRows, JurisdictionKind } from '@nimo/kit';
import { gql, startTestHub, type Answer, type TestHub } from './hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 300_000);
afterAll(() => hub.stop());

type Claims = Record<string, unknown>;
const NATION: Claims = { role: 'nation' };
const ADVISER: Claims = { role: 'adviser' };
const TOKYO: Claims = { role: 'prefecture', jurisdictions: ['130001'] };
const KANAGAWA: Claims = { role: 'prefecture', jurisdictions: ['140007'] };
const CHIYODA: Claims = { role: 'municipality', jurisdictions: ['131016'] };
const CHUO: Claims = { role: 'municipality', jurisdictions: ['131024'] };
const TOTTORI: Claims = { role: 'prefecture', jurisdictions: ['310000'] };
const HEALTH_CENTRE: Claims = { role: 'health_centre', jurisdictions: ['130001'] };
const VENDOR: Claims = { role: 'vendor' };
const PUBLIC: Claims | null = null;

async function as<T = Record<string, unknown>>(claims: Claims | null, query: string, variables?: Record<string, unknown>): Promise<Answer<T>> {
  const headers: Record<string, string> = claims ? { authorization: `Bearer ${await hub.keys.sign(claims)}` } : {};
  return gql<T>(hub.gateway.url, query, variables, headers);
}
const codeOf = (answer: Answer<unknown>) => answer.body.errors?.[0]?.extensions?.code;
const ok = <T>(answer: Answer<T>): T => {
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data as T;
};

const rows = jurisdictionRows();
const TOWN = rows.find((r) => r.kind === JurisdictionKind.TOWN)!;
const CORE_CITY = rows.find((r) => r.kind === JurisdictionKind.CORE_CITY)!;
// A special ward with no demo participation: a new FY2023 participation of its own is not a CONFLICT.
const NON_PARTICIPANT = rows.find((r) => r.kind === JurisdictionKind.SPECIAL_WARD && !isDemoPromotionParticipant(r))!;

const RECORD = `mutation Record($input: ProgramParticipationInput!, $key: String) {
  recordProgramParticipation(input: $input, idempotencyKey: $key) { id program fiscalYear itemNumbers budgetThousandYen version items { number nameJa mandatory } jurisdiction { code name } }
}`;
type Participation = { id: string; program: string; itemNumbers: number[]; version: number; budgetThousandYen: number | null };

describe('reference data', () => {
  it('publishes the real national budgets and the 14 items to everyone, the public included', async () => {
    const data = ok(
      await as<{
        nationalBudgets: { program: string; fiscalYear: number; thousandYen: number; source: string }[];
        programItems: { number: number; mandatory: boolean }[];
      }>(PUBLIC, '{ nationalBudgets(fiscalYear: 2023) { program fiscalYear thousandYen source } programItems { number mandatory } }'),
    );
    expect(data.nationalBudgets.map((b) => [b.program, b.thousandYen])).toEqual([
      ['CONSTRUCTION_PROMOTION', 603031],
      ['CONSTRUCTION_SUPPORT', 39114],
    ]);
    expect(data.nationalBudgets[0]?.source).toMatch(/令和５年度予算額/);
    expect(data.programItems).toHaveLength(14);
    expect(data.programItems.filter((i) => i.mandatory).map((i) => i.number)).toEqual([1]);
  });
});

describe('program participation', () => {
  const input = { jurisdictionCode: '131016', fiscalYear: 2027, program: 'CONSTRUCTION_PROMOTION', items: [5, 1, 2], budgetThousandYen: 1200 };

  it('records a participation with item 1 and refuses one without it, changing nothing', async () => {
    const missing = await as(NATION, RECORD, { input: { ...input, fiscalYear: 2028, items: [2, 3] } });
    expect(codeOf(missing)).toBe('BAD_USER_INPUT');
    expect(missing.body.errors?.[0]?.message).toMatch(/item 1 .*mandatory/);
    const none = ok(
      await as<{ jurisdiction: { programParticipation: Participation[] } }>(
        NATION,
        '{ jurisdiction(code: "131016") { programParticipation(fiscalYear: 2028) { id } } }',
      ),
    );
    expect(none.jurisdiction.programParticipation).toEqual([]);

    const recorded = ok(
      await as<{ recordProgramParticipation: Participation & { items: { number: number }[]; jurisdiction: { name: string } } }>(NATION, RECORD, { input }),
    );
    expect(recorded.recordProgramParticipation).toMatchObject({
      itemNumbers: [1, 2, 5],
      budgetThousandYen: 1200,
      version: 1,
      jurisdiction: { name: '千代田区' },
    });
  });

  it.each([
    ['a town in the promotion program', { ...input, jurisdictionCode: TOWN.code }, /cannot take part in CONSTRUCTION_PROMOTION.*health-centre cities/],
    [
      'a core city in the support program',
      { ...input, jurisdictionCode: CORE_CITY.code, program: 'CONSTRUCTION_SUPPORT', items: [], budgetThousandYen: null },
      /cannot take part in CONSTRUCTION_SUPPORT/,
    ],
    ['an item outside 1–14', { ...input, items: [1, 15] }, /1 to 14/],
    ['a repeated item', { ...input, items: [1, 1] }, /once/],
    [
      'items in the support program',
      { ...input, jurisdictionCode: '130001', program: 'CONSTRUCTION_SUPPORT', items: [1], budgetThousandYen: null },
      /no items/,
    ],
    ['a negative budget', { ...input, budgetThousandYen: -1 }, /0 or more/],
    [
      'a budget over what is left of the FY2023 national budget (603,031 thousand yen)',
      { ...input, jurisdictionCode: NON_PARTICIPANT.code, fiscalYear: 2023, budgetThousandYen: 603_031 },
      /exceeds what is left of the FY2023 national budget/,
    ],
    [
      'a budget in the support program',
      { ...input, jurisdictionCode: '130001', program: 'CONSTRUCTION_SUPPORT', items: [], budgetThousandYen: 10 },
      /must be null for CONSTRUCTION_SUPPORT/,
    ],
    ['a bad fiscal year', { ...input, fiscalYear: 1999 }, /fiscal year/],
    ['an administrative ward', { ...input, jurisdictionCode: '141011' }, /ADMINISTRATIVE_WARD/],
  ])('refuses %s with BAD_USER_INPUT', async (_name, bad, message) => {
    const answer = await as(NATION, RECORD, { input: bad });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.body.errors?.[0]?.message).toMatch(message);
  });

  it('refuses a bad local government code at the scalar', async () => {
    expect(codeOf(await as(NATION, RECORD, { input: { ...input, jurisdictionCode: '131017' } }))).toBe('BAD_USER_INPUT');
  });

  it('changes a participation only with its current version', async () => {
    expect(codeOf(await as(NATION, RECORD, { input }))).toBe('CONFLICT');
    expect(codeOf(await as(NATION, RECORD, { input: { ...input, version: 7 } }))).toBe('CONFLICT');
    const changed = ok(await as<{ recordProgramParticipation: Participation }>(CHIYODA, RECORD, { input: { ...input, items: [1, 13], version: 1 } }));
    expect(changed.recordProgramParticipation).toMatchObject({ itemNumbers: [1, 13], version: 2 });
  });

  it('lets a jurisdiction write only its own, and hides participation from vendors and the public', async () => {
    expect(codeOf(await as(CHUO, RECORD, { input: { ...input, fiscalYear: 2027 } }))).toBe('FORBIDDEN');
    expect(codeOf(await as(VENDOR, RECORD, { input: { ...input, fiscalYear: 2027 } }))).toBe('FORBIDDEN');
    const q = '{ jurisdiction(code: "131016") { name programParticipation(fiscalYear: 2027) { version } } }';
    for (const who of [VENDOR, PUBLIC, CHUO, KANAGAWA]) {
      const answer = await as<{ jurisdiction: { name: string; programParticipation: unknown } }>(who, q);
      expect(answer.body.data?.jurisdiction).toEqual({ name: '千代田区', programParticipation: null });
      expect(codeOf(answer)).toBe('FORBIDDEN');
    }
    for (const who of [NATION, ADVISER, TOKYO, CHIYODA, HEALTH_CENTRE]) {
      expect(ok(await as<{ jurisdiction: { programParticipation: Participation[] } }>(who, q)).jurisdiction.programParticipation).toEqual([{ version: 2 }]);
    }
  });
});

const FILE = `mutation File($input: SupportRequestInput!, $key: String) {
  fileSupportRequest(input: $input, idempotencyKey: $key) { id status version mode topicItem topic { number nameJa } jurisdiction { code } adviser { id } }
}`;
const ASSIGN = `mutation Assign($id: ID!, $version: Int!, $adviserId: ID!, $key: String) {
  assignSupportRequest(id: $id, version: $version, adviserId: $adviserId, idempotencyKey: $key) { id status version adviser { id kind } }
}`;
const MOVE = `mutation Move($id: ID!, $version: Int!, $to: SupportRequestStatus!, $note: String, $outcome: String, $key: String) {
  transitionSupportRequest(id: $id, version: $version, to: $to, note: $note, outcome: $outcome, idempotencyKey: $key) { id status version outcome statusNote }
}`;
type Request = { id: string; status: string; version: number; outcome?: string | null };

describe('support requests', () => {
  const request = {
    jurisdictionCode: '131016',
    fiscalYear: 2027,
    mode: 'ON_SITE_TECHNICAL_ADVICE',
    topicItem: 5,
    subject: 'ピアサポーターの雇用',
    detail: '区の事業でピアサポーターを雇用したい。',
  };
  let adviserId = '';
  const file = async (key: string, extra: Record<string, unknown> = {}) =>
    ok(await as<{ fileSupportRequest: Request }>(CHIYODA, FILE, { input: { ...request, ...extra }, key })).fileSupportRequest;
  const move = (claims: Claims, r: Request, to: string, extra: Record<string, unknown> = {}) =>
    as<{ transitionSupportRequest: Request }>(claims, MOVE, { id: r.id, version: r.version, to, ...extra });

  beforeAll(async () => {
    ok(await as(NATION, RECORD, { input: { jurisdictionCode: '131016', fiscalYear: 2027, program: 'CONSTRUCTION_SUPPORT', items: [] } }));
    const advisers = ok(await as<{ advisers: { id: string }[] }>(ADVISER, '{ advisers(kind: WIDE_AREA) { id } }'));
    adviserId = advisers.advisers[0]!.id;
  });

  it('is filed only by a participant of the construction support program', async () => {
    const answer = await as(CHUO, FILE, { input: { ...request, jurisdictionCode: '131024' } });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.body.errors?.[0]?.message).toMatch(/構築支援事業/);
    expect(codeOf(await as(CHUO, FILE, { input: request }))).toBe('FORBIDDEN');
    expect(codeOf(await as(ADVISER, FILE, { input: request }))).toBe('FORBIDDEN');
    // Every subgraph names the wrong argument under the same key, extensions.argument.
    for (const [bad, argument] of [
      [{ topicItem: 0 }, 'input.topicItem'],
      [{ subject: '  ' }, 'input.subject'],
      [{ fiscalYear: 1999 }, 'input.fiscalYear'],
    ] as const) {
      expect((await as(CHIYODA, FILE, { input: { ...request, ...bad } })).body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    expect(codeOf(await as(CHIYODA, FILE, { input: { ...request, mode: 'FAX' } }))).toBe('BAD_USER_INPUT');
  });

  it('is filed once per idempotency key; a key reused for other input is refused', async () => {
    const first = await file('file-once-0001');
    const again = await file('file-once-0001');
    expect(again).toEqual(first);
    expect(first).toMatchObject({ status: 'REQUESTED', version: 1 });
    const reused = await as(CHIYODA, FILE, { input: { ...request, topicItem: 6 }, key: 'file-once-0001' });
    expect(codeOf(reused)).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(CHIYODA, FILE, { input: request, key: 'bad key!' }))).toBe('BAD_USER_INPUT');
    const counted = await hub.subgraphs['adviser-support']!.db.query<{ n: number }[]>(
      "SELECT count(*)::int n FROM support_request WHERE jurisdiction_code = '131016' AND fiscal_year = 2027",
    );
    expect(counted[0]?.n).toBe(1);
  });

  it('goes REQUESTED → ACCEPTED → IN_PROGRESS → ON_HOLD → IN_PROGRESS → COMPLETED, refusing illegal moves and stale versions', async () => {
    let r = await file('lifecycle-0001', { topicItem: 1 });
    expect(codeOf(await as(CHIYODA, ASSIGN, { id: r.id, version: r.version, adviserId }))).toBe('FORBIDDEN');
    expect(codeOf(await move(ADVISER, r, 'ACCEPTED'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(ADVISER, ASSIGN, { id: r.id, version: r.version, adviserId: '00000000-0000-5000-8000-000000000000' }))).toBe('BAD_USER_INPUT');

    const assigned = ok(
      await as<{ assignSupportRequest: Request & { adviser: { id: string } } }>(ADVISER, ASSIGN, {
        id: r.id,
        version: r.version,
        adviserId,
        key: 'assign-0001',
      }),
    );
    expect(assigned.assignSupportRequest).toMatchObject({ status: 'ACCEPTED', version: 2, adviser: { id: adviserId } });
    // An idempotent retry returns the first answer; the same write without the key is stale.
    const retried = ok(await as<{ assignSupportRequest: Request }>(ADVISER, ASSIGN, { id: r.id, version: r.version, adviserId, key: 'assign-0001' }));
    expect(retried.assignSupportRequest.version).toBe(2);
    const stale = await as(ADVISER, ASSIGN, { id: r.id, version: r.version, adviserId });
    expect(codeOf(stale)).toBe('CONFLICT');
    r = assigned.assignSupportRequest;

    const illegal = await move(ADVISER, r, 'COMPLETED', { outcome: 'x' });
    expect(codeOf(illegal)).toBe('BAD_USER_INPUT');
    expect(illegal.body.errors?.[0]?.message).toMatch(/cannot move from ACCEPTED to COMPLETED; .*IN_PROGRESS, CANCELLED/);
    expect(codeOf(await move(CHIYODA, r, 'IN_PROGRESS'))).toBe('FORBIDDEN');

    for (const [to, extra] of [
      ['IN_PROGRESS', {}],
      ['ON_HOLD', { note: '区の調整待ち' }],
      ['IN_PROGRESS', {}],
    ] as const) {
      const moved = ok(await move(ADVISER, r, to, extra)).transitionSupportRequest;
      expect(moved).toMatchObject({ status: to, version: r.version + 1 });
      r = moved;
    }
    expect(codeOf(await move(ADVISER, r, 'COMPLETED'))).toBe('BAD_USER_INPUT'); // no outcome
    expect(codeOf(await move(ADVISER, { ...r, version: r.version - 1 }, 'COMPLETED', { outcome: '助言した' }))).toBe('CONFLICT');
    r = ok(await move(ADVISER, r, 'COMPLETED', { outcome: '現地で助言し、雇用計画をまとめた。' })).transitionSupportRequest;
    expect(r).toMatchObject({ status: 'COMPLETED', outcome: '現地で助言し、雇用計画をまとめた。' });
    for (const to of ['IN_PROGRESS', 'CANCELLED', 'ON_HOLD', 'REJECTED']) {
      const answer = await move(ADVISER, r, to, { note: 'x' });
      expect(codeOf(answer)).toBe('BAD_USER_INPUT');
      expect(answer.body.errors?.[0]?.message).toMatch(/it is final/);
    }
    expect(codeOf(await as(ADVISER, ASSIGN, { id: r.id, version: r.version, adviserId }))).toBe('BAD_USER_INPUT');

    // Every write has its audit record, in the same transaction; every refusal and replay too.
    const audits = await hub.subgraphs['adviser-support']!.db.query<{ action: string }[]>('SELECT action FROM audit_log WHERE entity_key = $1 ORDER BY seq', [
      r.id,
    ]);
    expect(audits.map((a) => a.action)).toEqual([
      // The kit's write path also records refusals (the mutation's name, denied) and replays.
      'create',
      'assignSupportRequest',
      'assign:ACCEPTED',
      'assign:ACCEPTED:replayed',
      'transitionSupportRequest',
      'transition:ACCEPTED->IN_PROGRESS',
      'transition:IN_PROGRESS->ON_HOLD',
      'transition:ON_HOLD->IN_PROGRESS',
      'transition:IN_PROGRESS->COMPLETED',
    ]);
    // A replay answers with the request as the first write left it, never as it is now (COMPLETED).
    const late = ok(await as<{ assignSupportRequest: Request }>(ADVISER, ASSIGN, { id: r.id, version: 1, adviserId, key: 'assign-0001' }));
    expect(late.assignSupportRequest).toMatchObject({ status: 'ACCEPTED', version: 2 });
  });

  it('is rejected with a reason by the adviser organisation, and cancelled by the jurisdiction', async () => {
    const a = await file('reject-0001', { topicItem: 2 });
    expect(codeOf(await move(ADVISER, a, 'REJECTED'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await move(CHIYODA, a, 'REJECTED', { note: 'x' }))).toBe('FORBIDDEN');
    expect(ok(await move(ADVISER, a, 'REJECTED', { note: '対象外' })).transitionSupportRequest).toMatchObject({ status: 'REJECTED', statusNote: '対象外' });
    const b = await file('cancel-0001', { topicItem: 3 });
    expect(codeOf(await move(CHUO, b, 'CANCELLED'))).toBe('NOT_FOUND');
    expect(codeOf(await move(TOKYO, b, 'CANCELLED'))).toBe('FORBIDDEN');
    expect(ok(await move(CHIYODA, b, 'CANCELLED', { note: '取り下げ' })).transitionSupportRequest).toMatchObject({ status: 'CANCELLED', version: 2 });
  });

  it('is seen by its jurisdiction, its prefecture, the nation and the adviser organisation only', async () => {
    const q = '{ jurisdiction(code: "131016") { supportRequests { id fiscalYear } } }';
    for (const who of [CHIYODA, TOKYO, NATION, ADVISER]) {
      const seen = ok(await as<{ jurisdiction: { supportRequests: { fiscalYear: number }[] } }>(who, q));
      expect(seen.jurisdiction.supportRequests.filter((r) => r.fiscalYear === 2027)).toHaveLength(4);
    }
    for (const who of [CHUO, KANAGAWA, HEALTH_CENTRE, VENDOR, PUBLIC]) {
      const answer = await as<{ jurisdiction: { supportRequests: unknown } }>(who, q);
      expect(answer.body.data?.jurisdiction.supportRequests).toBeNull();
      expect(codeOf(answer)).toBe('FORBIDDEN');
    }
    const list = '{ supportRequests(first: 100, filter: { fiscalYear: 2027 }) { totalCount nodes { jurisdiction { code } } } }';
    expect(ok(await as<{ supportRequests: { totalCount: number } }>(CHUO, list)).supportRequests.totalCount).toBe(0);
    expect(ok(await as<{ supportRequests: { totalCount: number } }>(VENDOR, list)).supportRequests.totalCount).toBe(0);
    expect(ok(await as<{ supportRequests: { totalCount: number } }>(KANAGAWA, list)).supportRequests.totalCount).toBe(0);
    expect(ok(await as<{ supportRequests: { totalCount: number } }>(TOKYO, list)).supportRequests.totalCount).toBe(4);
    // Demo requests of a prefecture's area: Kanagawa sees its own and its designated cities', never Tokyo's.
    const area = ok(
      await as<{ supportRequests: { nodes: { jurisdiction: { code: string } }[] } }>(
        KANAGAWA,
        '{ supportRequests(first: 100) { nodes { jurisdiction { code } } } }',
      ),
    );
    expect(area.supportRequests.nodes.length).toBeGreaterThan(0);
    expect(area.supportRequests.nodes.every((n) => n.jurisdiction.code.startsWith('14'))).toBe(true);
    expect(codeOf(await as(CHIYODA, '{ supportRequest(id: "nope") { id } }'))).toBe('BAD_USER_INPUT');
  });
});

describe('advisers', () => {
  it('lists the advisers assigned to a jurisdiction for staff, and nobody else', async () => {
    const q =
      '{ jurisdiction(code: "140007") { advisers(fiscalYear: 2023) { displayName kind affiliation expertiseAreas { number } isDemo assignments(fiscalYear: 2023) { code } } } }';
    const data = ok(
      await as<{ jurisdiction: { advisers: { kind: string; displayName: string; isDemo: boolean; assignments: { code: string }[] }[] } }>(KANAGAWA, q),
    );
    expect(data.jurisdiction.advisers.map((a) => a.kind)).toEqual(['WIDE_AREA', 'PREFECTURE_EMBEDDED', 'PREFECTURE_EMBEDDED']);
    expect(data.jurisdiction.advisers.every((a) => a.isDemo && a.displayName.endsWith('（デモ）'))).toBe(true);
    expect(data.jurisdiction.advisers.every((a) => a.assignments.some((j) => j.code === '140007'))).toBe(true);
    for (const who of [VENDOR, PUBLIC]) expect(codeOf(await as(who, q))).toBe('FORBIDDEN');
    expect(ok(await as<{ advisers: unknown[] }>(VENDOR, '{ advisers { id } }')).advisers).toEqual([]);
    const supporters = ok(
      await as<{ promotionSupporters: { displayName: string }[] }>(
        TOKYO,
        '{ promotionSupporters(jurisdictionCode: "130001", fiscalYear: 2023) { displayName background } }',
      ),
    );
    expect(supporters.promotionSupporters).toHaveLength(2);
    expect(codeOf(await as(PUBLIC, '{ promotionSupporters(jurisdictionCode: "130001", fiscalYear: 2023) { displayName } }'))).toBe('FORBIDDEN');
  });
});

describe('practice cases', () => {
  type Cases = {
    practiceCases: { totalCount: number; nodes: { title: string; itemNumbers: number[]; tags: string[]; jurisdiction: { code: string; name: string } }[] };
  };
  const search = (filter: Record<string, unknown>) =>
    as<Cases>(
      PUBLIC,
      'query ($f: PracticeCaseFilter) { practiceCases(first: 100, filter: $f) { totalCount nodes { title itemNumbers tags jurisdiction { code name } } } }',
      { f: filter },
    );

  it('finds cases by Japanese text, katakana or hiragana, full- or half-width alike', async () => {
    const kata = ok(await search({ search: 'ピアサポート' })).practiceCases;
    expect(kata.totalCount).toBeGreaterThan(0);
    expect(kata.nodes.every((c) => c.tags.includes('ピアサポート') || c.title.includes('ピアサポート'))).toBe(true);
    expect(ok(await search({ search: 'ぴあさぽーと' })).practiceCases.totalCount).toBe(kata.totalCount);
    expect(ok(await search({ search: 'ﾋﾟｱｻﾎﾟｰﾄ' })).practiceCases.totalCount).toBe(kata.totalCount);
    const yokohama = ok(await search({ search: '横浜' })).practiceCases;
    expect(yokohama.nodes.map((c) => c.jurisdiction.name)).toEqual(['横浜市']);
    expect(ok(await search({ search: 'よこはま' })).practiceCases.totalCount).toBe(1); // the kana reading
    expect(ok(await search({ search: '存在しない取組' })).practiceCases.totalCount).toBe(0);
    expect(ok(await search({ search: '%' })).practiceCases.totalCount).toBe(0);
  });

  it('filters by item and prefecture, and refuses bad input', async () => {
    const housing = ok(await search({ item: 4, prefectureCode: '140007' })).practiceCases;
    expect(housing.nodes.every((c) => c.itemNumbers.includes(4) && c.jurisdiction.code.startsWith('14'))).toBe(true);
    const all = ok(await search({ item: 1 })).practiceCases;
    expect(all.totalCount).toBe(67); // every prefecture and designated city
    expect(codeOf(await search({ item: 15 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await search({ search: '   ' }))).toBe('BAD_USER_INPUT');
  });
});

type Indicator = { code: string; value: number | null; target: number | null; status: string; basis: string | null; note: string | null };
type Coverage = { ownForum: boolean; regions: number; regionsWithForum: number; municipalities: number; municipalitiesWithForum: number };
const EVALUATION = 'tier met notMet indicators { code value target status basis note }';
const byCode = (list: Indicator[]) => Object.fromEntries(list.map((i) => [i.code, i]));
const pct = (n: number, d: number) => Math.round((1000 * n) / d) / 10;

describe('evaluation of construction status', () => {
  it('defines the indicators with targets and sources, publicly', async () => {
    const data = ok(
      await as<{
        evaluationIndicators: { code: string; targets: { fromFiscalYear: number; value: number }[]; source: string; nationalActuals: { value: number }[] }[];
      }>(PUBLIC, '{ evaluationIndicators { code source targets { fromFiscalYear toFiscalYear value source } nationalActuals { fiscalYear value } } }'),
    );
    const d = Object.fromEntries(data.evaluationIndicators.map((i) => [i.code, i]));
    expect(d.COMMUNITY_DAYS_AFTER_DISCHARGE?.targets.map((t) => t.value)).toEqual([316, 325.3]);
    expect(d.COMMUNITY_DAYS_AFTER_DISCHARGE?.nationalActuals).toEqual([{ fiscalYear: 2022, value: 321.9 }]);
    expect([d.DISCHARGE_RATE_3_MONTHS, d.DISCHARGE_RATE_6_MONTHS, d.DISCHARGE_RATE_12_MONTHS].map((i) => i?.targets[0]?.value)).toEqual([69, 86, 92]);
    expect(d.FORUM_MUNICIPALITY?.source).toMatch(/directory/);
    expect(d.STAFF_TRAINED?.source).toMatch(/training subgraph/);
  });

  it('rolls municipalities up to their prefecture, with forums fetched from the directory through federation', async () => {
    type Dated = { establishedOn: string | null; meetingsHeld: number } | null;
    const data = ok(
      await as<{
        jurisdiction: {
          trainedStaffTotal: number;
          trainedStaffHistory: { fiscalYear: number; trainedStaff: number }[];
          forum: Dated;
          forumCoverage: Coverage;
          evaluation: { tier: string; indicators: Indicator[] };
          children: { code: string; forum: Dated; evaluation: { indicators: Indicator[] } }[];
        };
        regions: { forum: Dated }[];
      }>(
        TOTTORI,
        `{ jurisdiction(code: "310000") {
           trainedStaffTotal trainedStaffHistory { fiscalYear trainedStaff }
           forum { establishedOn meetingsHeld(fiscalYear: 2023) }
           forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum }
           evaluation(fiscalYear: 2023) { ${EVALUATION} }
           children { code forum { establishedOn meetingsHeld(fiscalYear: 2023) } evaluation(fiscalYear: 2023) { ${EVALUATION} } } }
         regions(prefectureCode: "310000") { forum { establishedOn meetingsHeld(fiscalYear: 2023) } } }`,
      ),
    );
    const pref = data.jurisdiction;
    const mine = byCode(pref.evaluation.indicators);
    expect(pref.evaluation.tier).toBe('PREFECTURE');
    expect(pref.children).toHaveLength(19); // 鳥取県: 4 cities, 14 towns, 1 village
    // FY2023 counts only the forums the directory dates on or before 31 March 2024 that met in FY2023.
    const byEnd = (f: Dated) => f !== null && f.establishedOn !== null && f.establishedOn <= '2024-03-31';
    const counts = (f: Dated) => byEnd(f) && f!.meetingsHeld > 0;
    expect(mine.FORUM_PREFECTURE?.value).toBe(counts(pref.forum) ? 100 : 0);
    expect(mine.FORUM_REGION?.value).toBe(pct(data.regions.filter((r) => counts(r.forum)).length, data.regions.length));
    const withForum = pref.children.filter((c) => byEnd(c.forum)).length;
    const met = pref.children.filter((c) => counts(c.forum)).length;
    expect(mine.FORUM_MUNICIPALITY).toMatchObject({
      value: pct(met, 19),
      basis: `${met} of 19 municipalities (${withForum} set up by 2024-03-31)`,
      target: 100,
    });
    expect(mine.FORUM_MUNICIPALITY?.status).toBe(met === 19 ? 'MET' : 'NOT_MET');
    // Each municipality's own evaluation agrees with the roll-up.
    const children = pref.children.map((c) => byCode(c.evaluation.indicators));
    expect(children.every((c, i) => c.FORUM_MUNICIPALITY?.value === (counts(pref.children[i]!.forum) ? 100 : 0))).toBe(true);
    expect(pref.forumCoverage.municipalities).toBe(19);
    const inPlace = children.filter((c) => c.CONSULTATION_SUPPORT?.value === 100).length;
    expect(mine.CONSULTATION_SUPPORT?.value).toBe(pct(inPlace, 19));
    expect(children.every((c) => c.FORUM_PREFECTURE?.status === 'NOT_AVAILABLE' && c.COMMUNITY_DAYS_AFTER_DISCHARGE?.status === 'NOT_AVAILABLE')).toBe(true);
    // Outcome indicators against the national plan's targets.
    const days = mine.COMMUNITY_DAYS_AFTER_DISCHARGE!;
    expect(days.target).toBe(316);
    expect(days.status).toBe(days.value! >= 316 ? 'MET' : 'NOT_MET');
    expect(mine.DISCHARGE_RATE_12_MONTHS?.target).toBe(92);
    const longStay = mine.LONG_STAY_INPATIENTS!;
    expect(longStay.status).toBe(longStay.value! <= longStay.target! ? 'MET' : 'NOT_MET');
    // The plan's long-stay targets are set per age group: the two groups make the total, value and target.
    const aged = mine.LONG_STAY_INPATIENTS_65_AND_OVER!;
    const younger = mine.LONG_STAY_INPATIENTS_UNDER_65!;
    expect(aged.value! + younger.value!).toBe(longStay.value);
    expect(aged.target! + younger.target!).toBe(longStay.target);
    for (const group of [aged, younger]) expect(group.status).toBe(group.value! <= group.target! ? 'MET' : 'NOT_MET');
    // Admissions by kind and beds from the 630 survey: counts without a target, inside the beds.
    const beds = mine.PSYCHIATRIC_BEDS!;
    for (const count of [mine.INVOLUNTARY_ADMISSIONS!, mine.MEDICAL_PROTECTION_ADMISSIONS!, beds])
      expect(count).toMatchObject({ target: null, status: 'NO_TARGET' });
    expect(mine.INVOLUNTARY_ADMISSIONS!.value! + mine.MEDICAL_PROTECTION_ADMISSIONS!.value! + longStay.value!).toBeLessThan(2 * beds.value!);
    expect(mine.INVOLUNTARY_ADMISSIONS!.value!).toBeGreaterThan(0);
    expect(longStay.value!).toBeLessThan(beds.value!);
    // Staff trained comes from the training subgraph through federation (@requires), not copied:
    // those trained by the end of FY2023, not today's total.
    expect(pref.trainedStaffTotal).toBeGreaterThan(0);
    const by2023 = [...pref.trainedStaffHistory].reverse().find((h) => h.fiscalYear <= 2023)?.trainedStaff ?? 0;
    expect(mine.STAFF_TRAINED).toMatchObject({ value: by2023, status: 'NO_TARGET' });
    expect(by2023).toBeLessThanOrEqual(pref.trainedStaffTotal);
  });

  it("follows the directory's meeting records: a forum that did not meet in the year stops counting; a meeting recorded through the write path counts in the year it was held", async () => {
    type Child = { code: string; forum: { id: string; establishedOn: string | null; meetingsHeld: number } | null };
    const children = ok(
      await as<{ jurisdiction: { children: Child[] } }>(
        TOTTORI,
        '{ jurisdiction(code: "310000") { children { code forum { id establishedOn meetingsHeld(fiscalYear: 2023) } } } }',
      ),
    ).jurisdiction.children;
    // A municipality whose forum was set up before FY2023 and met in it.
    const chosen = children.find((c) => c.forum && c.forum.establishedOn !== null && c.forum.establishedOn < '2023-04-01' && c.forum.meetingsHeld > 0)!;
    expect(chosen).toBeDefined();
    const own: Claims = { role: 'municipality', jurisdictions: [chosen.code] };
    const QUERY = `query ($code: LocalGovCode!) { p: jurisdiction(code: "310000") { y2023: evaluation(fiscalYear: 2023) { ${EVALUATION} } y2024: evaluation(fiscalYear: 2024) { ${EVALUATION} } }
      m: jurisdiction(code: $code) { forum { meetingsHeld(fiscalYear: 2023) } y2023: evaluation(fiscalYear: 2023) { ${EVALUATION} } y2024: evaluation(fiscalYear: 2024) { ${EVALUATION} } } }`;
    type E = { indicators: Indicator[] };
    type Q = { p: { y2023: E; y2024: E }; m: { forum: { meetingsHeld: number }; y2023: E; y2024: E } };
    const ask = async () => {
      const d = ok(await as<Q>(TOTTORI, QUERY, { code: chosen.code }));
      const f = (e: E) => byCode(e.indicators).FORUM_MUNICIPALITY!;
      return { held: d.m.forum.meetingsHeld, p2023: f(d.p.y2023), p2024: f(d.p.y2024), m2023: f(d.m.y2023), m2024: f(d.m.y2024) };
    };
    const metOf = (i: Indicator) => Number(/^(\d+) of 19 /.exec(i.basis ?? '')?.[1]);
    const before = await ask();
    expect(before.m2023).toMatchObject({ value: 100, status: 'MET' });

    // The forum's FY2023 meetings are gone from its records (as if none had been held): it still
    // exists, but no longer counts for FY2023; FY2024 does not move.
    const directory = hub.subgraphs.directory!.db;
    await directory.query('DELETE FROM forum_meeting WHERE forum_id = $1 AND fiscal_year = 2023', [chosen.forum!.id]);
    const silent = await ask();
    expect(silent.held).toBe(0);
    expect(silent.m2023).toMatchObject({ value: 0, status: 'NOT_MET' });
    expect(metOf(silent.p2023)).toBe(metOf(before.p2023) - 1);
    expect(silent.p2023.value).toBe(pct(metOf(before.p2023) - 1, 19));
    expect(silent.p2024).toEqual(before.p2024);
    expect(silent.m2024).toEqual(before.m2024);

    // The municipality records a meeting held on 1 April 2024 (FY2024): FY2023 still does not count it.
    const RECORD_MEETING = `mutation ($forumId: ID!, $input: ForumMeetingInput!) { recordForumMeeting(forumId: $forumId, input: $input) { id fiscalYear } }`;
    const meeting = (heldOn: string) => ({ heldOn, attendance: [{ role: 'ADMINISTRATION', count: 3 }], agenda: ['地域課題の共有'] });
    const april = ok(
      await as<{ recordForumMeeting: { fiscalYear: number } }>(own, RECORD_MEETING, { forumId: chosen.forum!.id, input: meeting('2024-04-01') }),
    );
    expect(april.recordForumMeeting.fiscalYear).toBe(2024);
    expect((await ask()).m2023).toMatchObject({ value: 0, status: 'NOT_MET' });
    // ...and one held on 31 March 2024 (FY2023): the forum counts for FY2023 again.
    const march = ok(
      await as<{ recordForumMeeting: { fiscalYear: number } }>(own, RECORD_MEETING, { forumId: chosen.forum!.id, input: meeting('2024-03-31') }),
    );
    expect(march.recordForumMeeting.fiscalYear).toBe(2023);
    const after = await ask();
    expect(after.held).toBe(1);
    expect(after.m2023).toMatchObject({ value: 100, status: 'MET' });
    expect(after.p2023).toEqual(before.p2023);
    expect(after.p2024).toEqual(before.p2024);
  });

  it('uses the 7th period target from FY2024', async () => {
    const data = ok(
      await as<{ jurisdiction: { evaluation: { indicators: Indicator[] } } }>(
        NATION,
        `{ jurisdiction(code: "130001") { evaluation(fiscalYear: 2024) { ${EVALUATION} } } }`,
      ),
    );
    const mine = byCode(data.jurisdiction.evaluation.indicators);
    expect(mine.COMMUNITY_DAYS_AFTER_DISCHARGE?.target).toBe(325.3);
    expect(mine.DISCHARGE_RATE_3_MONTHS).toMatchObject({ target: null, status: 'NO_TARGET' });
  });

  it('rolls the prefectures up to the nation', async () => {
    type History = {
      fiscalYear: number;
      ownForum: boolean;
      regionsWithForum: number;
      municipalitiesWithForum: number;
      ownForumMet: boolean;
      regionsWithForumMet: number;
      municipalitiesWithForumMet: number;
    }[];
    const data = ok(
      await as<{
        nationalEvaluation: {
          indicators: Indicator[];
          prefectures: {
            code: string;
            trainedStaffHistory: { fiscalYear: number; trainedStaff: number }[];
            forumCoverage: Coverage & { history: History };
            evaluation: { indicators: Indicator[] };
          }[];
        };
      }>(
        NATION,
        `{ nationalEvaluation(fiscalYear: 2023) {
           indicators { code value target status basis note }
           prefectures { code trainedStaffHistory { fiscalYear trainedStaff } forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum history { fiscalYear ownForum regionsWithForum municipalitiesWithForum ownForumMet regionsWithForumMet municipalitiesWithForumMet } } evaluation(fiscalYear: 2023) { indicators { code value } } } } }`,
      ),
    );
    const nation = byCode(data.nationalEvaluation.indicators);
    const prefectures = data.nationalEvaluation.prefectures;
    expect(prefectures).toHaveLength(47);
    // The forums of FY2023, from each prefecture's history: set up by its end and met in it.
    type Year = History[number];
    const at2023 = (c: Coverage & { history: History }): Year =>
      c.history.find((h) => h.fiscalYear === 2023) ?? {
        fiscalYear: 2023,
        ownForum: false,
        regionsWithForum: 0,
        municipalitiesWithForum: 0,
        ownForumMet: false,
        regionsWithForumMet: 0,
        municipalitiesWithForumMet: 0,
      };
    const sum = (f: (y: Year) => number) => prefectures.reduce((s, p) => s + f(at2023(p.forumCoverage)), 0);
    expect(prefectures.reduce((s, p) => s + p.forumCoverage.municipalities, 0)).toBe(1741);
    const municipalitiesMet = sum((y) => y.municipalitiesWithForumMet);
    expect(nation.FORUM_MUNICIPALITY).toMatchObject({
      value: pct(municipalitiesMet, 1741),
      basis: `${municipalitiesMet} of 1741 municipalities (${sum((y) => y.municipalitiesWithForum)} set up by 2024-03-31)`,
    });
    expect(nation.FORUM_REGION?.value).toBe(
      pct(
        sum((y) => y.regionsWithForumMet),
        prefectures.reduce((s, p) => s + p.forumCoverage.regions, 0),
      ),
    );
    expect(nation.FORUM_PREFECTURE?.basis).toBe(
      `${prefectures.filter((p) => at2023(p.forumCoverage).ownForumMet).length} of 47 prefectures (${prefectures.filter((p) => at2023(p.forumCoverage).ownForum).length} set up by 2024-03-31)`,
    );
    const days = nation.COMMUNITY_DAYS_AFTER_DISCHARGE!;
    const values = prefectures.map((p) => byCode(p.evaluation.indicators).COMMUNITY_DAYS_AFTER_DISCHARGE!.value!);
    expect(days.value).toBeGreaterThanOrEqual(Math.min(...values));
    expect(days.value).toBeLessThanOrEqual(Math.max(...values));
    expect(days.basis).toMatch(/weighted/);
    for (const code of [
      'LONG_STAY_INPATIENTS',
      'LONG_STAY_INPATIENTS_65_AND_OVER',
      'LONG_STAY_INPATIENTS_UNDER_65',
      'INVOLUNTARY_ADMISSIONS',
      'MEDICAL_PROTECTION_ADMISSIONS',
      'PSYCHIATRIC_BEDS',
    ]) {
      const total = prefectures.reduce((s, p) => s + byCode(p.evaluation.indicators)[code]!.value!, 0);
      expect([code, nation[code]?.value]).toEqual([code, total]);
    }
    const trainedBy2023 = (h: { fiscalYear: number; trainedStaff: number }[]) => [...h].reverse().find((y) => y.fiscalYear <= 2023)?.trainedStaff ?? 0;
    expect(nation.STAFF_TRAINED?.value).toBe(prefectures.reduce((sum, p) => sum + trainedBy2023(p.trainedStaffHistory), 0));
  });

  it('is seen by the jurisdiction, its prefecture and its centres, the nation and the adviser organisation only', async () => {
    const q = `{ jurisdiction(code: "131016") { evaluation(fiscalYear: 2023) { tier } } }`;
    for (const who of [CHIYODA, TOKYO, HEALTH_CENTRE, NATION, ADVISER])
      expect(ok(await as<{ jurisdiction: { evaluation: { tier: string } } }>(who, q)).jurisdiction.evaluation.tier).toBe('MUNICIPALITY');
    for (const who of [CHUO, KANAGAWA, VENDOR, PUBLIC]) {
      const answer = await as<{ jurisdiction: { evaluation: unknown } }>(who, q);
      expect(answer.body.data?.jurisdiction.evaluation).toBeNull();
      expect(codeOf(answer)).toBe('FORBIDDEN');
    }
    for (const who of [TOKYO, VENDOR, PUBLIC]) {
      const answer = await as<{ nationalEvaluation: unknown }>(who, '{ nationalEvaluation(fiscalYear: 2023) { fiscalYear } }');
      expect(answer.body.data?.nationalEvaluation).toBeNull();
      expect(codeOf(answer)).toBe('FORBIDDEN');
    }
    expect(codeOf(await as(NATION, '{ jurisdiction(code: "131016") { evaluation(fiscalYear: 1999) { tier } } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(NATION, '{ nationalEvaluation(fiscalYear: 3000) { fiscalYear } }'))).toBe('BAD_USER_INPUT');
  });
});
