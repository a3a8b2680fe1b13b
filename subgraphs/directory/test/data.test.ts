import { jurisdictionRows } from '@nimo/kit';
import { subgraph } from '../src';
import { SERVICE_KINDS, ServiceKind } from '../src/enums';
import { createLogger } from '@nimo/kit';
import { post, startDirectory } from './helpers';

let hub: Awaited<ReturnType<typeof startDirectory>>;
beforeAll(async () => {
  hub = await startDirectory();
});
afterAll(() => hub.stop());

const count = async (filter: string) => {
  const answer = await post<{ jurisdictions: { totalCount: number } }>(hub.server.url, `{ jurisdictions(filter: ${filter}) { totalCount } }`);
  expect(answer.errors).toBeUndefined();
  return answer.data?.jurisdictions.totalCount;
};

describe('real jurisdiction data', () => {
  it('has every prefecture, municipality and kind in the numbers official lists give', async () => {
    expect(await count('{ kinds: [PREFECTURE] }')).toBe(47);
    expect(await count('{ municipalitiesOnly: true }')).toBe(1741);
    expect(await count('{ municipalitiesOnly: true, includeAdministrationSuspended: true }')).toBe(1747);
    expect(await count('{ kinds: [SPECIAL_WARD] }')).toBe(23);
    expect(await count('{ kinds: [DESIGNATED_CITY] }')).toBe(20);
    expect(await count('{ kinds: [CORE_CITY] }')).toBe(62);
    const wards = jurisdictionRows().filter((r) => r.kind === 'ADMINISTRATIVE_WARD').length;
    expect(wards).toBeGreaterThan(170);
    expect(await count('{ kinds: [ADMINISTRATIVE_WARD] }')).toBe(wards);
  });

  it('classifies a ward, its city and the health-centre cities', async () => {
    const answer = await post<{ ward: Record<string, unknown>; machida: Record<string, unknown>; town: Record<string, unknown> }>(
      hub.server.url,
      `{ ward: jurisdiction(code: "141011") { name kind isMunicipality runsPublicHealthCentre parent { name kind runsPublicHealthCentre } prefecture { code } }
         machida: jurisdiction(code: "132098") { name kind runsPublicHealthCentre }
         town: jurisdiction(code: "013030") { name nameKana kind isMunicipality runsPublicHealthCentre } }`,
    );
    expect(answer.data).toEqual({
      ward: {
        name: '鶴見区',
        kind: 'ADMINISTRATIVE_WARD',
        isMunicipality: false,
        runsPublicHealthCentre: false,
        parent: { name: '横浜市', kind: 'DESIGNATED_CITY', runsPublicHealthCentre: true },
        prefecture: { code: '140007' },
      },
      machida: { name: '町田市', kind: 'OTHER_CITY', runsPublicHealthCentre: true },
      town: { name: '当別町', nameKana: 'とうべつちょう', kind: 'TOWN', isMunicipality: true, runsPublicHealthCentre: false },
    });
  });

  it('keeps the Northern Territories villages out of lists, regions, organisations and forums', async () => {
    const answer = await post<{ jurisdiction: Record<string, unknown>; hokkaido: { children: { code: string }[] } }>(
      hub.server.url,
      `{ jurisdiction(code: "016951") { name administrationSuspended region { id } organizations { id } forum { id } dailyLifeAreas { id } }
         hokkaido: jurisdiction(code: "010006") { children { code } } }`,
    );
    expect(answer.data?.jurisdiction).toEqual({
      name: '色丹村',
      administrationSuspended: true,
      region: null,
      organizations: [],
      forum: null,
      dailyLifeAreas: [],
    });
    expect(answer.data?.hokkaido.children.map((c) => c.code)).not.toContain('016951');
  });

  it('has a mental health and welfare centre in every prefecture (Tokyo three) and designated city: 69', async () => {
    const answer = await post<{ organizations: { totalCount: number } }>(
      hub.server.url,
      '{ organizations(filter: { serviceKinds: [MENTAL_HEALTH_WELFARE_CENTRE] }) { totalCount } }',
    );
    expect(answer.data?.organizations.totalCount).toBe(69);
  });

  it('has demo organisations for every service kind the schema names, each in its category and marked demo', async () => {
    const rows = await hub.server.db.query<{ kind: string; organisations: number; demo: boolean }[]>(
      'SELECT s.kind, count(*)::int AS organisations, bool_and(o.is_demo) AS demo FROM organization o, unnest(o.services) AS s(kind) GROUP BY s.kind',
    );
    const byKind = new Map(rows.map((r) => [r.kind, r]));
    const missing = Object.values(ServiceKind).filter((k) => !byKind.get(k)?.organisations);
    expect(missing).toEqual([]);
    expect(rows.every((r) => r.demo)).toBe(true);
    // Peer support and self-help groups are kinds of their own, in the mutual-aid category, with Japanese labels.
    const answer = await post<{ organizations: { totalCount: number; nodes: { category: string; services: string[] }[] } }>(
      hub.server.url,
      '{ organizations(first: 5, filter: { categories: [MUTUAL_AID] }) { totalCount nodes { category services } } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.organizations.totalCount).toBe((byKind.get('PEER_SUPPORT')?.organisations ?? 0) + (byKind.get('SELF_HELP_GROUP')?.organisations ?? 0));
    expect(answer.data?.organizations.nodes.every((o) => o.category === 'MUTUAL_AID')).toBe(true);
    expect(SERVICE_KINDS.PEER_SUPPORT.description).toMatch(/^ピアサポート: /);
  });

  it('loads the data only once: a second seed adds nothing', async () => {
    const before = await hub.server.db.query<{ j: string; o: string; m: string }[]>(
      'SELECT (SELECT count(*) FROM jurisdiction) j, (SELECT count(*) FROM organization) o, (SELECT count(*) FROM forum_member) m',
    );
    await subgraph.seed?.(hub.server.db, createLogger('seed-again'));
    const after = await hub.server.db.query<{ j: string; o: string; m: string }[]>(
      'SELECT (SELECT count(*) FROM jurisdiction) j, (SELECT count(*) FROM organization) o, (SELECT count(*) FROM forum_member) m',
    );
    expect(after).toEqual(before);
    expect(Number(before[0]?.j)).toBe(47 + 1747 + jurisdictionRows().filter((r) => r.kind === 'ADMINISTRATIVE_WARD').length);
  });
});
