import { fiscalYearOf } from '@nimo/kit';
import { post, startDirectory } from './helpers';

let hub: Awaited<ReturnType<typeof startDirectory>>;
beforeAll(async () => {
  hub = await startDirectory();
});
afterAll(() => hub.stop());

type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { code: string; name: string }[] };

describe('jurisdictions', () => {
  it('pages through a filtered list with cursors and no overlap', async () => {
    const q =
      'query ($after: String) { jurisdictions(first: 20, after: $after, filter: { prefectureCode: "130001", municipalitiesOnly: true }) { totalCount pageInfo { hasNextPage endCursor } nodes { code name } } }';
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 10; i += 1) {
      const answer: { data?: { jurisdictions: Page } } = await post<{ jurisdictions: Page }>(hub.server.url, q, { after });
      const page = answer.data?.jurisdictions;
      if (!page) throw new Error('no page');
      total = page.totalCount;
      seen.push(...page.nodes.map((n) => n.code));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(total).toBe(62); // 23 special wards, 26 cities, 5 towns, 8 villages
    expect(new Set(seen).size).toBe(62);
    expect([...seen].sort()).toEqual(seen);
  });

  it('searches names and kana, katakana included', async () => {
    const answer = await post<{ kana: Page; name: Page }>(
      hub.server.url,
      '{ kana: jurisdictions(filter: { search: "ミナトク" }) { nodes { code name } } name: jurisdictions(filter: { search: "千代田" }) { nodes { code } } }',
    );
    expect(answer.data?.kana.nodes.map((n) => n.code)).toEqual(['131032', '231118', '271071']);
    expect(answer.data?.name.nodes.map((n) => n.code)).toEqual(['105236', '131016']); // 群馬県千代田町 and 東京都千代田区
  });

  it('finds regions, forums and organisations of a municipality', async () => {
    const answer = await post<{ jurisdiction: { region: { id: string; isDemo: boolean }; organizations: { services: string[] }[] } }>(
      hub.server.url,
      '{ jurisdiction(code: "131016") { region { id isDemo } organizations(category: CONSULTATION) { services isDemo contact { phone email } openingHours { days opens closes } } } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.jurisdiction.region).toEqual({ id: '13-01', isDemo: true });
    const services = answer.data?.jurisdiction.organizations.flatMap((o) => o.services) ?? [];
    expect(services).toContain('MUNICIPAL_MENTAL_HEALTH_DESK');
    expect(services).toContain('PUBLIC_HEALTH_CENTRE');
  });
});

describe('organisations', () => {
  it('filters by service and by the area served', async () => {
    const answer = await post<{ organizations: { totalCount: number; nodes: { services: string[]; serviceAreas: { code: string }[] }[] } }>(
      hub.server.url,
      '{ organizations(first: 100, filter: { servesJurisdiction: "131016", serviceKinds: [HELLO_WORK, EMPLOYMENT_LIFE_SUPPORT_CENTRE] }) { totalCount nodes { services serviceAreas { code } } } }',
    );
    expect(answer.data?.organizations.totalCount).toBe(2);
    expect(answer.data?.organizations.nodes).toHaveLength(2);
    for (const o of answer.data?.organizations.nodes ?? []) expect(o.serviceAreas.map((a) => a.code)).toContain('131016');
  });

  it('finds one by id and its daily-life areas', async () => {
    const list = await post<{ organizations: { nodes: { id: string }[] } }>(
      hub.server.url,
      '{ organizations(first: 1, filter: { dailyLifeAreaId: "131016-01", serviceKinds: [COMMUNITY_GENERAL_SUPPORT_CENTRE] }) { nodes { id } } }',
    );
    const id = list.data?.organizations.nodes[0]?.id;
    const one = await post<{ organization: { dailyLifeAreas: { id: string }[]; categories: string[] } }>(
      hub.server.url,
      `{ organization(id: "${id}") { dailyLifeAreas { id } categories } }`,
    );
    expect(one.data?.organization).toEqual({ dailyLifeAreas: [{ id: '131016-01' }], categories: ['CONSULTATION', 'LONG_TERM_CARE'] });
  });
});

describe('bad input', () => {
  const cases: [string, string, RegExp][] = [
    ['wrong check digit', '{ jurisdiction(code: "131017") { name } }', /check digit/],
    ['wrong length', '{ jurisdiction(code: "13101") { name } }', /6 digits/],
    ['non-digits', '{ jurisdiction(code: "13101X") { name } }', /digits only/],
    ['code in a filter', '{ jurisdictions(filter: { prefectureCode: "130000" }) { totalCount } }', /check digit/],
    ['page size 0', '{ jurisdictions(first: 0) { totalCount } }', /between 1 and 500/],
    ['page size too large', '{ jurisdictions(first: 501) { totalCount } }', /between 1 and 500/],
    ['forged cursor', '{ jurisdictions(after: "bm90LWEtY3Vyc29y") { totalCount } }', /Invalid cursor/],
    ['empty search', '{ jurisdictions(filter: { search: "  " }) { totalCount } }', /1 to 100/],
    ['organisation id', '{ organization(id: "42") { name } }', /must be a UUID/],
    ['region id', '{ region(id: "Tokyo") { name } }', /region id/],
    ['area id', '{ organizations(filter: { dailyLifeAreaId: "x" }) { totalCount } }', /daily-life area id/],
  ];
  it.each(cases)('rejects %s with BAD_USER_INPUT and a clear message', async (_name, query, message) => {
    const answer = await post(hub.server.url, query);
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.message).toMatch(message);
  });

  it('answers null, not an error, for unknown keys', async () => {
    const answer = await post(
      hub.server.url,
      '{ jurisdiction(code: "471003") { name } organization(id: "00000000-0000-5000-8000-000000000000") { name } region(id: "99-99") { name } forum(id: "00000000-0000-5000-8000-000000000000") { name } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ jurisdiction: null, organization: null, region: null, forum: null });
  });
});

describe('forumCoverage', () => {
  type Coverage = { ownForum: boolean; regions: number; regionsWithForum: number; municipalities: number; municipalitiesWithForum: number };
  it('counts forums at each tier for a prefecture, agreeing with the forum and region lists', async () => {
    const answer = await post<{
      jurisdiction: { forum: { id: string } | null; forumCoverage: Coverage };
      forums: { totalCount: number };
      regions: { id: string; forum: { id: string } | null }[];
    }>(
      hub.server.url,
      `{ jurisdiction(code: "130001") { forum { id } forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum } }
         forums(first: 1, filter: { level: MUNICIPALITY, prefectureCode: "130001" }) { totalCount }
         regions(prefectureCode: "130001") { id forum { id } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const d = answer.data!;
    expect(d.jurisdiction.forumCoverage).toEqual({
      ownForum: d.jurisdiction.forum !== null,
      regions: d.regions.length,
      regionsWithForum: d.regions.filter((r) => r.forum !== null).length,
      municipalities: 62,
      municipalitiesWithForum: d.forums.totalCount,
    });
  });

  it("counts every prefecture's municipalities in one batch, agreeing with their children", async () => {
    const answer = await post<{ jurisdictions: { nodes: { code: string; forumCoverage: Coverage; children: { forum: { id: string } | null }[] }[] } }>(
      hub.server.url,
      `{ jurisdictions(first: 47, filter: { kinds: [PREFECTURE] }) { nodes { code forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum } children { forum { id } } } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.jurisdictions.nodes;
    expect(nodes).toHaveLength(47);
    for (const p of nodes) {
      expect([p.code, p.forumCoverage.municipalities, p.forumCoverage.municipalitiesWithForum]).toEqual([
        p.code,
        p.children.length,
        p.children.filter((c) => c.forum !== null).length,
      ]);
      expect(p.forumCoverage.regions).toBeGreaterThan(0);
    }
  });

  it('counts a municipality as itself and an administrative ward as nothing', async () => {
    const answer = await post<{
      m: { forum: { id: string } | null; region: { forum: { id: string } | null }; forumCoverage: Coverage };
      w: { forumCoverage: Coverage };
    }>(
      hub.server.url,
      `{ m: jurisdiction(code: "131016") { forum { id } region { forum { id } } forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum } }
         w: jurisdiction(code: "141011") { forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const m = answer.data!.m;
    const own = m.forum !== null;
    expect(m.forumCoverage).toEqual({
      ownForum: own,
      regions: 1,
      regionsWithForum: m.region.forum ? 1 : 0,
      municipalities: 1,
      municipalitiesWithForum: own ? 1 : 0,
    });
    expect(answer.data!.w.forumCoverage).toEqual({ ownForum: false, regions: 0, regionsWithForum: 0, municipalities: 0, municipalitiesWithForum: 0 });
  });

  it('dates each forum into the fiscal year it was set up in, and each meeting into the year it was held in: 31 March ends a year, 1 April starts the next', async () => {
    type Year = {
      fiscalYear: number;
      ownForum: boolean;
      regionsWithForum: number;
      municipalitiesWithForum: number;
      ownForumMet: boolean;
      regionsWithForumMet: number;
      municipalitiesWithForumMet: number;
    };
    const none: Year = {
      fiscalYear: 0,
      ownForum: false,
      regionsWithForum: 0,
      municipalitiesWithForum: 0,
      ownForumMet: false,
      regionsWithForumMet: 0,
      municipalitiesWithForumMet: 0,
    };
    const at = (h: Year[], fy: number) => [...h].reverse().find((y) => y.fiscalYear <= fy) ?? none;
    const metIn = (h: Year[], fy: number) => h.find((y) => y.fiscalYear === fy)?.municipalitiesWithForumMet ?? 0;
    const ask = async () => {
      const answer = await post<{ p: { forumCoverage: Coverage & { history: Year[] } } }>(
        hub.server.url,
        '{ p: jurisdiction(code: "310000") { forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum history { fiscalYear ownForum regionsWithForum municipalitiesWithForum ownForumMet regionsWithForumMet municipalitiesWithForumMet } } } }',
      );
      expect(answer.errors).toBeUndefined();
      return answer.data!.p.forumCoverage;
    };
    const before = await ask();
    // The latest year's counts are today's; every year from the first through the current one is listed.
    expect(before.history.at(-1)).toMatchObject({
      fiscalYear: fiscalYearOf(new Date()),
      ownForum: before.ownForum,
      regionsWithForum: before.regionsWithForum,
      municipalitiesWithForum: before.municipalitiesWithForum,
    });
    expect(before.history.map((y) => y.fiscalYear)).toEqual(before.history.map((_, i) => before.history[0]!.fiscalYear + i));
    // Met counts never exceed what was set up by the year's end.
    expect(
      before.history.every(
        (y) => y.municipalitiesWithForumMet <= y.municipalitiesWithForum && y.regionsWithForumMet <= y.regionsWithForum && (!y.ownForumMet || y.ownForum),
      ),
    ).toBe(true);
    const without = await hub.server.db.query<{ code: string }[]>(
      `SELECT j.code FROM jurisdiction j WHERE j.prefecture_code = '310000' AND j.kind <> 'PREFECTURE'
          AND NOT EXISTS (SELECT 1 FROM forum f WHERE f.jurisdiction_code = j.code) ORDER BY j.code LIMIT 2`,
    );
    expect(without).toHaveLength(2);
    const ids: string[] = [];
    for (const [{ code }, establishedOn] of without.map((w, i) => [w, i === 0 ? '2024-03-31' : '2024-04-01'] as const)) {
      const [row] = await hub.server.db.query<{ id: string }[]>(
        `INSERT INTO forum (id, name, level, jurisdiction_code, region_id, prefecture_code, established_on, meetings_last_year, is_demo)
         VALUES (gen_random_uuid(), 'テスト協議の場', 'MUNICIPALITY', $1, NULL, '310000', $2, 1, true) RETURNING id`,
        [code, establishedOn],
      );
      ids.push(row!.id);
    }
    const [early, late] = ids as [string, string];
    const meet = (forumId: string, heldOn: string, fiscalYear: number) =>
      hub.server.db.query(
        `INSERT INTO forum_meeting (id, forum_id, owner_code, held_on, fiscal_year, attendance, agenda)
         SELECT gen_random_uuid(), f.id, f.jurisdiction_code, $2, $3, '[{"role":"ADMINISTRATION","count":2}]', '{テスト}' FROM forum f WHERE f.id = $1`,
        [forumId, heldOn, fiscalYear],
      );
    // Set up on 31 March 2024 and met that day: counts for FY2023. Set up on 1 April 2024: a meeting
    // dated the day before (only possible by bypassing the write path) does not count for FY2023.
    await meet(early, '2024-03-31', 2023);
    await meet(late, '2024-03-31', 2023);
    let after = await ask();
    expect(after.municipalitiesWithForum - before.municipalitiesWithForum).toBe(2);
    expect(at(after.history, 2022).municipalitiesWithForum - at(before.history, 2022).municipalitiesWithForum).toBe(0);
    expect(at(after.history, 2023).municipalitiesWithForum - at(before.history, 2023).municipalitiesWithForum).toBe(1);
    expect(at(after.history, 2024).municipalitiesWithForum - at(before.history, 2024).municipalitiesWithForum).toBe(2);
    expect(metIn(after.history, 2023) - metIn(before.history, 2023)).toBe(1);
    // Set up but not yet met in FY2024: not counted as met there.
    expect(metIn(after.history, 2024) - metIn(before.history, 2024)).toBe(0);
    // Meetings on 1 April 2024 count for FY2024, not FY2023; two meetings of one forum count it once.
    await meet(early, '2024-04-01', 2024);
    await meet(late, '2024-04-01', 2024);
    await meet(late, '2024-06-01', 2024);
    after = await ask();
    expect(metIn(after.history, 2023) - metIn(before.history, 2023)).toBe(1);
    expect(metIn(after.history, 2024) - metIn(before.history, 2024)).toBe(2);
    expect(metIn(after.history, 2025) - metIn(before.history, 2025)).toBe(0);
    await hub.server.db.query(`DELETE FROM forum WHERE name = 'テスト協議の場'`);
  });
});
