import { fiscalYearOf, type Principal } from '@nimo/kit';
import { postToSubgraph } from '@nimo/kit/testing';
import { startDirectory } from './helpers';

let hub: Awaited<ReturnType<typeof startDirectory>>;
beforeAll(async () => {
  hub = await startDirectory();
}, 300_000);
afterAll(() => hub.stop());

const as = (role: Principal['role'], jurisdictionCodes: string[] = [], subject = `${role}-test`): Principal => ({
  role,
  subject,
  jurisdictionCodes,
  organizationId: null,
});
const PUBLIC = as('public');
const NATION = as('nation');
const TOTTORI = as('prefecture', ['310000']);
const OKAYAMA = as('prefecture', ['330001']);
const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
const thisYear = fiscalYearOf(new Date());

type ForumNode = { id: string; level: string; establishedOn: string; jurisdiction: { code: string } | null };
async function forumsOf(prefecture: string, level: string): Promise<ForumNode[]> {
  const answer = await postToSubgraph<{ forums: { nodes: ForumNode[] } }>(
    hub.server.url,
    `{ forums(first: 100, filter: { prefectureCode: "${prefecture}", level: ${level} }) { nodes { id level establishedOn jurisdiction { code } } } }`,
  );
  return answer.data!.forums.nodes;
}
const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await hub.server.db.query<{ n: string }[]>(sql, params))[0]?.n);

/**
 * A query answered without errors, as a function to ask again; and its first two answers after the
 * figures' generation moved: computed, then reused (the same data for fewer statements).
 */
async function computedThenReused<T>(query: string, variables?: Record<string, unknown>) {
  const ask = async () => {
    const answer = await postToSubgraph<T>(hub.server.url, query, variables);
    expect(answer.errors).toBeUndefined();
    return answer;
  };
  await hub.server.db.query("SELECT nextval('figures_generation')");
  const computed = await ask();
  const reused = await ask();
  expect(reused.data).toEqual(computed.data);
  expect(reused.sql).toBeLessThan(computed.sql);
  return { ask, computed };
}

const MEETING = `mutation ($forumId: ID!, $input: ForumMeetingInput!, $key: String) {
  recordForumMeeting(forumId: $forumId, input: $input, idempotencyKey: $key) { id heldOn fiscalYear version attendees agenda needsShared decisions attendance { role count } } }`;
const input = (heldOn: string, extra: Record<string, unknown> = {}) => ({
  heldOn,
  attendance: [
    { role: 'ADMINISTRATION', count: 3 },
    { role: 'PEER_SUPPORTER', count: 1 },
  ],
  agenda: ['地域課題の共有'],
  needsShared: ['夜間の相談先が少ない'],
  decisions: ['部会を設置する'],
  ...extra,
});

describe("demo records of the forums' work", () => {
  it("holds meetings only between a forum's set-up and today, and counts meetingsLastYear from them", async () => {
    expect(await count('SELECT count(*) AS n FROM forum_meeting')).toBeGreaterThan(1000);
    expect(
      await count('SELECT count(*) AS n FROM forum_meeting m JOIN forum f ON f.id = m.forum_id WHERE m.held_on < f.established_on OR m.held_on > $1', [today]),
    ).toBe(0);
    expect(
      await count(
        'SELECT count(*) AS n FROM forum_cycle c JOIN forum f ON f.id = c.forum_id WHERE c.planned_on < f.established_on OR c.checked_on > $1 OR c.acted_on > $1',
        [today],
      ),
    ).toBe(0);
    // Every year of a forum's life has at least one meeting (its Do) and one cycle.
    expect(
      await count(
        `SELECT count(*) AS n FROM forum_cycle c WHERE NOT EXISTS (SELECT 1 FROM forum_meeting m WHERE m.forum_id = c.forum_id AND m.fiscal_year = c.fiscal_year)`,
      ),
    ).toBe(0);
    const forums = await forumsOf('310000', 'MUNICIPALITY');
    const answer = await postToSubgraph<{ forum: { meetingsLastYear: number; meetingsHeld: number; meetings: { heldOn: string; fiscalYear: number }[] } }>(
      hub.server.url,
      `query ($id: ID!) { forum(id: $id) { meetingsLastYear meetingsHeld(fiscalYear: ${thisYear - 1}) meetings { heldOn fiscalYear } } }`,
      { id: forums[0]!.id },
    );
    expect(answer.errors).toBeUndefined();
    const f = answer.data!.forum;
    expect(f.meetingsLastYear).toBe(f.meetingsHeld);
    expect(f.meetingsHeld).toBe(f.meetings.filter((m) => m.fiscalYear === thisYear - 1).length);
    expect(f.meetings.map((m) => m.heldOn)).toEqual([...f.meetings.map((m) => m.heldOn)].sort().reverse());
  });
});

describe("who sees a forum's minutes", () => {
  const MINUTES = `query ($id: ID!) { forum(id: $id) { meetings(latest: 1) { heldOn agenda attendees } cycles { fiscalYear stage goals } } }`;
  type Minutes = { forum: { meetings: { heldOn: string; agenda: string[] | null; attendees: number | null }[]; cycles: { fiscalYear: number }[] | null } };

  it('shows everyone that and when a forum met, and the minutes only to its jurisdiction and the tiers above', async () => {
    const [forum] = await forumsOf('310000', 'MUNICIPALITY');
    const own = as('municipality', [forum!.jurisdiction!.code]);
    const cases: [Principal, boolean][] = [
      [PUBLIC, false],
      [as('vendor'), false],
      [{ ...as('provider'), organizationId: '00000000-0000-5000-8000-000000000001' }, false],
      [as('municipality', ['312011'].filter((c) => c !== forum!.jurisdiction!.code).concat(forum!.jurisdiction!.code === '312011' ? ['312029'] : [])), false],
      [OKAYAMA, false],
      [own, true],
      [TOTTORI, true],
      [as('health_centre', [forum!.jurisdiction!.code]), true],
      [NATION, true],
      [as('adviser'), true],
    ];
    for (const [principal, allowed] of cases) {
      const answer = await postToSubgraph<Minutes>(hub.server.url, MINUTES, { id: forum!.id }, principal);
      const meeting = answer.data!.forum.meetings[0]!;
      expect([principal.role, meeting.heldOn <= today]).toEqual([principal.role, true]);
      expect([principal.role, principal.jurisdictionCodes, meeting.agenda !== null, answer.data!.forum.cycles !== null]).toEqual([
        principal.role,
        principal.jurisdictionCodes,
        allowed,
        allowed,
      ]);
      const codes = (answer.errors ?? []).map((e) => e.extensions?.code);
      expect(codes.every((c) => c === 'FORBIDDEN')).toBe(true);
      expect(codes.length > 0).toBe(!allowed);
    }
  });

  it("lets a prefecture read its region forums' records", async () => {
    const [region] = await forumsOf('310000', 'REGION');
    const answer = await postToSubgraph<Minutes>(hub.server.url, MINUTES, { id: region!.id }, TOTTORI);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.forum.meetings[0]!.agenda!.length).toBeGreaterThan(0);
  });
});

describe('recording a meeting', () => {
  it("stores it once for the forum's own municipality, with an audit record; a retry changes nothing", async () => {
    const [, forum] = await forumsOf('310000', 'MUNICIPALITY');
    const own = as('municipality', [forum!.jurisdiction!.code]);
    const before = await count('SELECT count(*) AS n FROM forum_meeting WHERE forum_id = $1', [forum!.id]);
    const vars = { forumId: forum!.id, input: input(today), key: 'meeting-key-0001' };
    const first = await postToSubgraph<{ recordForumMeeting: { id: string; version: number; attendees: number; fiscalYear: number } }>(
      hub.server.url,
      MEETING,
      vars,
      own,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordForumMeeting).toMatchObject({ version: 1, attendees: 4, fiscalYear: thisYear });
    const again = await postToSubgraph<{ recordForumMeeting: { id: string } }>(hub.server.url, MEETING, vars, own);
    expect(again.data!.recordForumMeeting.id).toBe(first.data!.recordForumMeeting.id);
    expect(await count('SELECT count(*) AS n FROM forum_meeting WHERE forum_id = $1', [forum!.id])).toBe(before + 1);
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE entity_type = 'ForumMeeting' AND entity_key = $1`, [first.data!.recordForumMeeting.id])).toBe(
      2,
    );
    const reused = await postToSubgraph(hub.server.url, MEETING, { ...vars, input: input(today, { agenda: ['別の議題'] }) }, own);
    expect(reused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // Correcting it: the version read, a stale one is CONFLICT.
    const UPDATE = `mutation ($id: ID!, $v: Int!, $input: ForumMeetingInput!) { updateForumMeeting(meetingId: $id, expectedVersion: $v, input: $input) { version decisions } }`;
    const updated = await postToSubgraph<{ updateForumMeeting: { version: number; decisions: string[] } }>(
      hub.server.url,
      UPDATE,
      { id: first.data!.recordForumMeeting.id, v: 1, input: input(today, { decisions: ['部会を設置する', '次回は3月'] }) },
      own,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateForumMeeting).toEqual({ version: 2, decisions: ['部会を設置する', '次回は3月'] });
    const stale = await postToSubgraph(hub.server.url, UPDATE, { id: first.data!.recordForumMeeting.id, v: 1, input: input(today) }, own);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });

  it('refuses another jurisdiction (FORBIDDEN, recorded as denied) and bad input (BAD_USER_INPUT), storing nothing', async () => {
    const forums = await forumsOf('310000', 'MUNICIPALITY');
    const forum = forums[2]!;
    const stored = () => count('SELECT count(*) AS n FROM forum_meeting WHERE forum_id = $1', [forum.id]);
    const before = await stored();
    const other = as('municipality', [forums[3]!.jurisdiction!.code]);
    for (const principal of [other, TOTTORI, NATION, PUBLIC]) {
      const answer = await postToSubgraph(hub.server.url, MEETING, { forumId: forum.id, input: input(today) }, principal);
      expect([principal.role, answer.errors?.[0]?.extensions?.code]).toEqual([principal.role, 'FORBIDDEN']);
    }
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE outcome = 'denied' AND entity_key = $1`, [forum.id])).toBe(3);
    const own = as('municipality', [forum.jurisdiction!.code]);
    const dayBefore = new Date(Date.parse(`${forum.establishedOn}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const bad: [string, Record<string, unknown>][] = [
      ['future', input('2999-01-01')],
      ['before set-up', input(dayBefore)],
      ['no agenda', input(today, { agenda: [] })],
      ['blank item', input(today, { decisions: ['  '] })],
      [
        'role twice',
        input(today, {
          attendance: [
            { role: 'FAMILY', count: 1 },
            { role: 'FAMILY', count: 2 },
          ],
        }),
      ],
      ['nobody', input(today, { attendance: [] })],
      ['zero count', input(today, { attendance: [{ role: 'FAMILY', count: 0 }] })],
    ];
    for (const [why, given] of bad) {
      const answer = await postToSubgraph(hub.server.url, MEETING, { forumId: forum.id, input: given }, own);
      expect([why, answer.errors?.[0]?.extensions?.code]).toEqual([why, 'BAD_USER_INPUT']);
    }
    const unknown = await postToSubgraph(hub.server.url, MEETING, { forumId: '00000000-0000-5000-8000-000000000000', input: input(today) }, own);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await stored()).toBe(before);
  });

  it("lets a prefecture record its region forums' meetings, not its municipalities'", async () => {
    const [region] = await forumsOf('310000', 'REGION');
    const [municipal] = await forumsOf('310000', 'MUNICIPALITY');
    const ok = await postToSubgraph(hub.server.url, MEETING, { forumId: region!.id, input: input(today) }, TOTTORI);
    expect(ok.errors).toBeUndefined();
    const refused = await postToSubgraph(hub.server.url, MEETING, { forumId: municipal!.id, input: input(today) }, TOTTORI);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('recording a PDCA cycle', () => {
  const CYCLE = `mutation ($forumId: ID!, $fy: Int!, $input: ForumCycleInput!, $v: Int) {
    recordForumCycle(forumId: $forumId, fiscalYear: $fy, input: $input, expectedVersion: $v) { id fiscalYear stage version indicators { name target actual met } } }`;
  const plan = { goals: ['地域移行を進める'], indicators: [{ name: '協議の場の開催回数', unit: '回', target: 3 }], plannedOn: today };

  it("creates the year's cycle, then changes it at the version read; CONFLICT otherwise", async () => {
    const [forum] = await forumsOf('310000', 'PREFECTURE');
    const fy = thisYear + 1;
    const created = await postToSubgraph<{ recordForumCycle: { id: string; stage: string; version: number } }>(
      hub.server.url,
      CYCLE,
      { forumId: forum!.id, fy, input: plan },
      TOTTORI,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.recordForumCycle).toMatchObject({ stage: 'PLANNED', version: 1 });
    const twice = await postToSubgraph(hub.server.url, CYCLE, { forumId: forum!.id, fy, input: plan }, TOTTORI);
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 1 });
    const checked = { ...plan, indicators: [{ name: '協議の場の開催回数', unit: '回', target: 3, actual: 4 }], checkedOn: today, checkFindings: '計画どおり' };
    const changed = await postToSubgraph<{ recordForumCycle: { stage: string; version: number; indicators: { met: boolean }[] } }>(
      hub.server.url,
      CYCLE,
      { forumId: forum!.id, fy, input: checked, v: 1 },
      TOTTORI,
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.recordForumCycle).toMatchObject({ stage: 'CHECKED', version: 2, indicators: [{ met: true }] });
    const stale = await postToSubgraph(hub.server.url, CYCLE, { forumId: forum!.id, fy, input: checked, v: 1 }, TOTTORI);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect(
      await count(`SELECT count(*) AS n FROM audit_log WHERE entity_type = 'ForumCycle' AND entity_key = $1 AND outcome = 'allowed'`, [
        created.data!.recordForumCycle.id,
      ]),
    ).toBe(2);
  });

  it('refuses a cycle out of order or before the forum existed, storing nothing', async () => {
    const [forum] = await forumsOf('310000', 'PREFECTURE');
    const stored = () => count('SELECT count(*) AS n FROM forum_cycle WHERE forum_id = $1', [forum!.id]);
    const before = await stored();
    const bad: [string, number, Record<string, unknown>][] = [
      ['year before set-up', fiscalYearOf(new Date(`${forum!.establishedOn}T00:00:00+09:00`)) - 1, plan],
      ['no goals', thisYear + 2, { ...plan, goals: [] }],
      ['check without findings', thisYear + 2, { ...plan, checkedOn: today }],
      ['act before check', thisYear + 2, { ...plan, actions: ['見直す'], actedOn: today }],
      ['actual before check', thisYear + 2, { ...plan, indicators: [{ name: 'x', actual: 1 }] }],
      ['negative target', thisYear + 2, { ...plan, indicators: [{ name: 'x', target: -1 }] }],
      ['planned after the year', thisYear - 5, plan],
      ['not a year', 1999, plan],
    ];
    for (const [why, fy, given] of bad) {
      const answer = await postToSubgraph(hub.server.url, CYCLE, { forumId: forum!.id, fy, input: given }, TOTTORI);
      expect([why, answer.errors?.[0]?.extensions?.code]).toEqual([why, 'BAD_USER_INPUT']);
    }
    expect(await stored()).toBe(before);
  });
});

describe('forum figures reused until the data changes', () => {
  type Figures = {
    forum: { meetingsLastYear: number };
    jurisdiction: { forumCoverage: { municipalitiesWithForum: number; history: { fiscalYear: number; municipalitiesWithForumMet: number }[] } };
  };
  const FIGURES = `query ($id: ID!) { forum(id: $id) { meetingsLastYear }
    jurisdiction(code: "310000") { forumCoverage { municipalitiesWithForum history { fiscalYear municipalitiesWithForumMet } } } }`;
  const metLastYear = (f: Figures) => f.jurisdiction.forumCoverage.history.find((y) => y.fiscalYear === thisYear - 1)?.municipalitiesWithForumMet;

  it('reads coverage and meeting counts once per generation, and shows a meeting removed or recorded in the next answer', async () => {
    // A municipality forum of Tottori that met last year (a forum's only meetings then: they are removed below).
    const forums = await forumsOf('310000', 'MUNICIPALITY');
    const met = await hub.server.db.query<{ forum_id: string }[]>(
      'SELECT forum_id FROM forum_meeting WHERE forum_id = ANY($1::uuid[]) AND fiscal_year = $2 GROUP BY forum_id ORDER BY forum_id LIMIT 1',
      [forums.map((f) => f.id), thisYear - 1],
    );
    const forum = forums.find((f) => f.id === met[0]?.forum_id);
    expect(forum).toBeDefined();
    // Reused: the two figure statements (coverage, meeting counts) give way to generation reads.
    const { ask, computed } = await computedThenReused<Figures>(FIGURES, { id: forum!.id });
    const before = computed.data!;
    expect(before.forum.meetingsLastYear).toBeGreaterThan(0);

    const removed = await count('WITH d AS (DELETE FROM forum_meeting WHERE forum_id = $1 AND fiscal_year = $2 RETURNING id) SELECT count(*) AS n FROM d', [
      forum!.id,
      thisYear - 1,
    ]);
    expect(removed).toBe(before.forum.meetingsLastYear);
    const after = (await ask()).data!;
    expect(after.forum.meetingsLastYear).toBe(0);
    expect(metLastYear(after)).toBe(metLastYear(before)! - 1);
    expect(after.jurisdiction.forumCoverage.municipalitiesWithForum).toBe(before.jurisdiction.forumCoverage.municipalitiesWithForum);

    const [{ code } = { code: '' }] = await hub.server.db.query<{ code: string }[]>('SELECT jurisdiction_code AS code FROM forum WHERE id = $1', [forum!.id]);
    await hub.server.db.query(
      `INSERT INTO forum_meeting (id, forum_id, owner_code, held_on, fiscal_year, attendance, agenda)
       VALUES (gen_random_uuid(), $1, $2, make_date($3, 10, 1), $3, '[]', ARRAY['地域課題の共有'])`,
      [forum!.id, code, thisYear - 1],
    );
    const recorded = (await ask()).data!;
    expect(recorded.forum.meetingsLastYear).toBe(1);
    expect(metLastYear(recorded)).toBe(metLastYear(before));
  });

  it("reuses a jurisdiction's children and their forums until a jurisdiction or a forum changes", async () => {
    type Children = { jurisdiction: { children: { code: string; name: string; forum: { id: string; name: string } | null }[] } };
    const CHILDREN = '{ jurisdiction(code: "310000") { children { code name forum { id name } } } }';
    const { ask, computed } = await computedThenReused<Children>(CHILDREN);
    const children = computed.data!.jurisdiction.children;
    const child = children.find((c) => c.forum !== null)!;
    expect(child).toBeDefined();

    await hub.server.db.query("UPDATE jurisdiction SET name = name || '（改称）' WHERE code = $1", [child.code]);
    const renamed = (await ask()).data!.jurisdiction.children;
    expect(renamed.find((c) => c.code === child.code)?.name).toBe(`${child.name}（改称）`);

    await hub.server.db.query("UPDATE forum SET name = name || '（改称）' WHERE id = $1", [child.forum!.id]);
    const forumRenamed = (await ask()).data!.jurisdiction.children;
    expect(forumRenamed.find((c) => c.code === child.code)?.forum?.name).toBe(`${child.forum!.name}（改称）`);
    expect(forumRenamed.filter((c) => c.code !== child.code)).toEqual(children.filter((c) => c.code !== child.code));
  });
});
