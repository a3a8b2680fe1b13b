import { createLogger, jurisdictionRows, type Principal } from '@nimo/kit';
import { subgraph } from '../src';
import { buildTrainingDemo } from '../src/seed/demo';
import { post, startTraining } from './helpers';

let hub: Awaited<ReturnType<typeof startTraining>>;
beforeAll(async () => {
  hub = await startTraining();
});
afterAll(() => hub.stop());

const NATION: Principal = { role: 'nation', subject: 'n', jurisdictionCodes: [], organizationId: null };

describe('demo data', () => {
  it('is deterministic, labelled demo, and covers every prefecture and designated city', async () => {
    const a = buildTrainingDemo();
    const b = buildTrainingDemo();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const organisers = new Set(a.courses.map((c) => c.organiserJurisdictionCode));
    for (const r of jurisdictionRows().filter((j) => j.kind === 'PREFECTURE' || j.kind === 'DESIGNATED_CITY')) expect(organisers.has(r.code)).toBe(true);
    const [row] = (await hub.server.db.query('SELECT count(*)::int AS n, bool_and(is_demo) AS demo FROM staff_member')) as { n: number; demo: boolean }[];
    expect(row).toEqual({ n: a.staff.length, demo: true });
    const certificates = a.enrolments.map((e) => e.certificateNumber).filter(Boolean);
    expect(new Set(certificates).size).toBe(certificates.length);
    expect(certificates[0]).toMatch(/^TR-\d{4}-\d{6}-[0-9A-F]{8}-\d{4}$/);
  });

  it('loads in under 5 s and a second load adds nothing', async () => {
    const count = async () => (await hub.server.db.query('SELECT (SELECT count(*) FROM course) + (SELECT count(*) FROM training_session) + (SELECT count(*) FROM staff_member) + (SELECT count(*) FROM enrolment) AS n')) as { n: string }[];
    const before = await count();
    const started = Date.now();
    await subgraph.seed?.(hub.server.db, createLogger('training-test'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await count()).toEqual(before);
  });
});

describe('batching', () => {
  const ENTITIES = `query ($r: [_Any!]!, $fy: Int!) { _entities(representations: $r) { ... on Jurisdiction { code trainedStaffTotal trainingSummary(fiscalYear: $fy) { sessionsHeld enrolments completions staffTrained municipalities municipalitiesWithTrainedConsultationStaff shareOfMunicipalitiesWithTrainedConsultationStaff } } } }`;
  it('answers training figures for every jurisdiction in a constant number of SQL statements', async () => {
    const all = jurisdictionRows().map((r) => ({ __typename: 'Jurisdiction', code: r.code }));
    const few = await post(hub.server.url, ENTITIES, { r: all.filter((_, i) => i % 100 === 0), fy: 2024 }, NATION);
    const many = await post<{ _entities: { trainingSummary: { completions: number } }[] }>(hub.server.url, ENTITIES, { r: all, fy: 2024 }, NATION);
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(many.data?._entities).toHaveLength(all.length);
    expect(few.sql).toBeLessThanOrEqual(3);
    expect(many.sql).toBe(few.sql);
  });

  it('rolls a prefecture up from its municipalities and the nation up from everything', async () => {
    const answer = await post<{ nationalTrainingSummary: { completions: number; municipalities: number }; _entities: { code: string; trainingSummary: { completions: number; municipalities: number } }[] }>(
      hub.server.url,
      `query ($r: [_Any!]!) { nationalTrainingSummary(fiscalYear: 2024) { completions municipalities } _entities(representations: $r) { ... on Jurisdiction { code trainingSummary(fiscalYear: 2024) { completions municipalities } } } }`,
      { r: jurisdictionRows().filter((j) => j.kind === 'PREFECTURE').map((j) => ({ __typename: 'Jurisdiction', code: j.code })) },
      NATION,
    );
    expect(answer.errors).toBeUndefined();
    const prefectures = answer.data?._entities ?? [];
    const sum = prefectures.reduce((t, p) => t + p.trainingSummary.completions, 0);
    expect(sum).toBe(answer.data?.nationalTrainingSummary.completions);
    expect(sum).toBeGreaterThan(0);
    expect(answer.data?.nationalTrainingSummary.municipalities).toBe(1741);
  });
});
