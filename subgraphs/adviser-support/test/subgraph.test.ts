import { createLogger, jurisdictionRows, JurisdictionKind } from '@nimo/kit';
import { subgraph } from '../src';
import { NATION, post, startAdviserSupport } from './helpers';

let hub: Awaited<ReturnType<typeof startAdviserSupport>>;
beforeAll(async () => {
  hub = await startAdviserSupport();
});
afterAll(() => hub.stop());

const COVERAGE = { ownForum: true, regions: 5, regionsWithForum: 4, municipalities: 20, municipalitiesWithForum: 10 };

// Every list and aggregate field this subgraph adds to Jurisdiction, as the gateway asks for them.
const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Jurisdiction {
      code
      programParticipation(fiscalYear: 2023) { program itemNumbers items { number } jurisdiction { code } }
      advisers(fiscalYear: 2023) { id kind assignments(fiscalYear: 2023) { code } }
      supportRequests { id status adviser { id } topic { number } }
      evaluation(fiscalYear: 2023) { tier met notMet indicators { code value status } }
    }
  }
}`;

describe('batching', () => {
  it('resolves every prefecture, designated city and municipality in a constant number of SQL statements', async () => {
    const codes = jurisdictionRows()
      .filter((r) => !r.administrationSuspended && r.kind !== JurisdictionKind.ADMINISTRATIVE_WARD)
      .map((r) => r.code);
    expect(codes.length).toBe(47 + 1741);
    const representations = (list: string[]) => list.map((code) => ({ __typename: 'Jurisdiction', code, forumCoverage: COVERAGE }));
    const few = await post<{ _entities: { code: string }[] }>(hub.server.url, ENTITIES, { representations: representations(codes.slice(0, 20)) });
    const many = await post<{ _entities: { code: string; evaluation: { indicators: unknown[] } }[] }>(hub.server.url, ENTITIES, { representations: representations(codes) });
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(many.data?._entities).toHaveLength(codes.length);
    expect(many.data?._entities.every((e) => e.evaluation.indicators.length === 11)).toBe(true);
    // One statement per loader per level: all 1,788 jurisdictions cost no more than 20 do.
    expect(few.sql).toBeLessThanOrEqual(8);
    expect(many.sql).toBeLessThanOrEqual(few.sql);
  });
});

describe('seed', () => {
  it('loads in under 5 seconds on an empty database', () => {
    expect(hub.seedMs).toBeLessThan(5000);
  });

  it('is deterministic, idempotent and fast', async () => {
    const count = async () =>
      (await hub.server.db.query(
        `SELECT (SELECT count(*) FROM program_participation) p, (SELECT count(*) FROM adviser) a, (SELECT count(*) FROM support_request) r,
                (SELECT count(*) FROM indicator_value) v, (SELECT count(*) FROM practice_case) c`,
      )) as Record<string, string>[];
    const before = await count();
    const started = Date.now();
    await subgraph.seed?.(hub.server.db, createLogger('seed-again'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await count()).toEqual(before);
    // Every prefecture and designated city has demo data, all of it labelled.
    const [covered] = (await hub.server.db.query(
      `SELECT count(DISTINCT jurisdiction_code)::int n FROM program_participation WHERE is_demo AND (substr(jurisdiction_code, 3, 3) = '000' OR jurisdiction_code = ANY($1))`,
      [jurisdictionRows().filter((r) => r.kind === JurisdictionKind.DESIGNATED_CITY).map((r) => r.code)],
    )) as { n: number }[];
    expect(covered?.n).toBe(67);
    const [unlabelled] = (await hub.server.db.query('SELECT count(*)::int n FROM adviser WHERE NOT is_demo OR display_name NOT LIKE $1', ['%（デモ）'])) as { n: number }[];
    expect(unlabelled?.n).toBe(0);
  });

  it('keeps the real national budgets from the migration', async () => {
    const answer = await post<{ nationalBudgets: { program: string; fiscalYear: number; thousandYen: number }[] }>(hub.server.url, '{ nationalBudgets { program fiscalYear thousandYen } }', undefined, NATION);
    expect(answer.data?.nationalBudgets).toEqual([
      { program: 'CONSTRUCTION_PROMOTION', fiscalYear: 2022, thousandYen: 669312 },
      { program: 'CONSTRUCTION_SUPPORT', fiscalYear: 2022, thousandYen: 39114 },
      { program: 'CONSTRUCTION_PROMOTION', fiscalYear: 2023, thousandYen: 603031 },
      { program: 'CONSTRUCTION_SUPPORT', fiscalYear: 2023, thousandYen: 39114 },
    ]);
  });
});
