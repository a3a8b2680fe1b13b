import { whereAny, GenerationCache, groupLoader, intFromEnv, rowLoader, type Principal } from '@nimo/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { Course } from './entities/course';
import { Enrolment } from './entities/enrolment';
import { TrainingSession } from './entities/session';
import { StaffMember } from './entities/staff-member';
import { EnrolmentState, PLACE_HOLDING } from './enums';
import { enrolmentWhere, organiserOfStaffSql, organiserWhere, staffWhere } from './policy';
import { byPrefecture, rollUp, type StaffGroup, type TrainingFigures } from './summary';

export interface PlaceCounts {
  sessionId: string;
  enrolled: number;
  waitListed: number;
}

/**
 * The training subgraph's loaders for one request: one SQL statement per loader per tick, whatever
 * the number of keys. Loaders of personal data (staff, enrolments) apply the policy in SQL.
 */
export function createLoaders(db: DataSource, principal: Principal) {
  const staffScope = staffWhere(principal, 's');
  const organiserView = organiserOfStaffSql(organiserWhere(principal, 'oc', 'sorg'), 's');
  const enrolmentScope = enrolmentWhere(principal, 's', 'c');

  /** Staff rows in scope, each with `organiserView` computed in SQL. */
  const staffQuery = (condition: string, params: Record<string, unknown>) =>
    db
      .getRepository(StaffMember)
      .createQueryBuilder('s')
      .addSelect(organiserView, 's_organiser_view')
      .setParameters(organiserWhere(principal, 'oc', 'sorg').params)
      .where(condition, params)
      .andWhere(staffScope.sql, staffScope.params)
      .orderBy('s.display_name')
      .addOrderBy('s.id');
  const staffRows = async (condition: string, params: Record<string, unknown>): Promise<StaffMember[]> => {
    const { entities, raw } = await staffQuery(condition, params).getRawAndEntities<{ s_organiser_view: boolean }>();
    entities.forEach((entity, i) => {
      entity.organiserView = raw[i]?.s_organiser_view === true;
    });
    return entities;
  };
  const enrolmentQuery = (condition: string, params: Record<string, unknown>) =>
    db
      .getRepository(Enrolment)
      .createQueryBuilder('e')
      .innerJoin(StaffMember, 's', 's.id = e.staff_id')
      .innerJoin(TrainingSession, 'ts', 'ts.id = e.session_id')
      .innerJoin(Course, 'c', 'c.id = ts.course_id')
      .where(condition, params)
      .andWhere(enrolmentScope.sql, enrolmentScope.params)
      .orderBy('e.seq');

  return {
    course: rowLoader((ids: readonly string[]) => whereAny(db.getRepository(Course), 'id', ids).getMany(), (c) => c.id),
    session: rowLoader((ids: readonly string[]) => whereAny(db.getRepository(TrainingSession), 'id', ids).getMany(), (s) => s.id),
    sessionsOfCourse: groupLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(TrainingSession), 'course_id', ids).orderBy('x.starts_on').addOrderBy('x.id').getMany(),
      (s) => s.courseId,
    ),
    placeCounts: rowLoader(
      async (ids: readonly string[]): Promise<PlaceCounts[]> => {
        const rows = (await db.query(
          `SELECT session_id, count(*) FILTER (WHERE state = ANY($2))::int AS enrolled, count(*) FILTER (WHERE state = 'WAIT_LISTED')::int AS wait_listed
             FROM enrolment WHERE session_id = ANY($1::uuid[]) GROUP BY session_id`,
          [ids, PLACE_HOLDING],
        )) as { session_id: string; enrolled: number; wait_listed: number }[];
        return rows.map((r) => ({ sessionId: r.session_id, enrolled: r.enrolled, waitListed: r.wait_listed }));
      },
      (r) => r.sessionId,
    ),
    staff: rowLoader((ids: readonly string[]) => staffRows('s.id = ANY(:ids::uuid[])', { ids }), (s) => s.id),
    staffOfOrganization: groupLoader((ids: readonly string[]) => staffRows('s.organization_id = ANY(:orgIds::uuid[])', { orgIds: ids }), (s) => s.organizationId),
    enrolment: rowLoader((ids: readonly string[]) => enrolmentQuery('e.id = ANY(:ids::uuid[])', { ids }).getMany(), (e) => e.id),
    enrolmentsOfSession: groupLoader((ids: readonly string[]) => enrolmentQuery('e.session_id = ANY(:sessionIds::uuid[])', { sessionIds: ids }).getMany(), (e) => e.sessionId),
    enrolmentsOfStaff: groupLoader((ids: readonly string[]) => enrolmentQuery('e.staff_id = ANY(:staffIds::uuid[])', { staffIds: ids }).getMany(), (e) => e.staffId),
    completionsOfOrganization: groupLoader(
      async (ids: readonly string[]) => {
        const { entities, raw } = await enrolmentQuery('s.organization_id = ANY(:orgIds::uuid[]) AND e.state = :completed', { orgIds: ids, completed: EnrolmentState.COMPLETED })
          .addSelect('s.organization_id', 'org_id')
          .getRawAndEntities<{ org_id: string }>();
        return entities.map((e, i) => ({ organizationId: raw[i]?.org_id ?? '', enrolment: e }));
      },
      (r) => r.organizationId,
    ),
    /** Training figures per `fiscalYear|code`, from the national figures of each fiscal year asked for. */
    trainingSummary: new DataLoader<string, TrainingFigures>(async (keys) => {
      const byYear = new Map<number, string[]>();
      for (const key of keys) {
        const [fy, code] = key.split('|') as [string, string];
        const codes = byYear.get(Number(fy));
        if (codes) codes.push(code);
        else byYear.set(Number(fy), [code]);
      }
      const results = new Map<string, TrainingFigures>();
      for (const [fiscalYear, codes] of byYear) {
        const figures = await nationalFigures(db, fiscalYear);
        for (const code of codes) {
          const prefix = code.slice(0, 2);
          results.set(`${fiscalYear}|${code}`, code === '' ? rollUp(null, figures.groups, figures.held) : rollUp(code, figures.groupsOf.get(prefix) ?? [], figures.heldOf.get(prefix) ?? []));
        }
      }
      return keys.map((k) => results.get(k) ?? rollUp(null, [], []));
    }),
    /** Distinct staff with at least one completion, ever, per code (rolled up for prefectures). */
    trainedStaffTotal: new DataLoader<string, number>(async (codes) => {
      const { groupsOf } = await nationalFigures(db, null);
      return codes.map((code) => rollUp(code, groupsOf.get(code.slice(0, 2)) ?? [], []).trainedStaffTotal);
    }),
  };
}

/** The nation's staff groups and held sessions of a fiscal year (null: every year), indexed by prefecture. */
interface NationalFigures {
  readonly groups: StaffGroup[];
  readonly held: { code: string | null; held: number }[];
  readonly groupsOf: Map<string, StaffGroup[]>;
  readonly heldOf: Map<string, { code: string | null; held: number }[]>;
}

/** A few fiscal years' national figures (a few hundred KB each). */
const national = new GenerationCache<NationalFigures>(8);

/**
 * The national figures of a fiscal year, reused across requests until the training data changes
 * (kit `GenerationCache`; the TrainingFiguresGeneration migration): a request for any number of
 * jurisdictions reads one generation and, when it moved, runs two aggregations for the whole nation.
 */
function nationalFigures(db: DataSource, fiscalYear: number | null): Promise<NationalFigures> {
  return national.get(db, String(fiscalYear ?? 'every year'), intFromEnv('FIGURES_MAX_AGE_MS', 300_000), async () => {
    const [groups, held] = await Promise.all([staffGroups(db, fiscalYear), fiscalYear === null ? [] : sessionsHeld(db, fiscalYear)]);
    return { groups, held, groupsOf: byPrefecture(groups, (g) => g.jurisdictionCode), heldOf: byPrefecture(held, (h) => h.code) };
  });
}

/** The nation's staff figures grouped by the staff's jurisdiction and municipality. Groups are disjoint, so roll-ups are sums. */
async function staffGroups(db: DataSource, fiscalYear: number | null): Promise<StaffGroup[]> {
  const rows = (await db.query(
    `SELECT s.jurisdiction_code, s.municipality_code,
            count(e.id) FILTER (WHERE e.state <> 'CANCELLED' AND ts.fiscal_year = $1)::int AS enrolments,
            count(e.id) FILTER (WHERE e.state = 'COMPLETED' AND ts.fiscal_year = $1)::int AS completions,
            count(DISTINCT s.id) FILTER (WHERE e.state = 'COMPLETED' AND ts.fiscal_year = $1)::int AS staff_trained,
            count(DISTINCT s.id) FILTER (WHERE e.state = 'COMPLETED')::int AS trained_ever,
            bool_or(s.consultation_staff AND e.state = 'COMPLETED' AND ($1::int IS NULL OR e.completed_on <= make_date($1::int + 1, 3, 31))) AS consultation_trained
       FROM staff_member s
       JOIN enrolment e ON e.staff_id = s.id
       JOIN training_session ts ON ts.id = e.session_id
      GROUP BY s.jurisdiction_code, s.municipality_code`,
    [fiscalYear],
  )) as { jurisdiction_code: string; municipality_code: string | null; enrolments: number; completions: number; staff_trained: number; trained_ever: number; consultation_trained: boolean | null }[];
  return rows.map((r) => ({
    jurisdictionCode: r.jurisdiction_code,
    municipalityCode: r.municipality_code,
    enrolments: r.enrolments,
    completions: r.completions,
    staffTrained: r.staff_trained,
    trainedEver: r.trained_ever,
    consultationTrained: r.consultation_trained === true,
  }));
}

/** Sessions held in a fiscal year, by organiser jurisdiction. */
async function sessionsHeld(db: DataSource, fiscalYear: number): Promise<{ code: string | null; held: number }[]> {
  const rows = (await db.query(
    `SELECT c.organiser_jurisdiction_code AS code, count(*)::int AS held
       FROM training_session ts JOIN course c ON c.id = ts.course_id
      WHERE ts.fiscal_year = $1 AND ts.state = 'HELD'
      GROUP BY c.organiser_jurisdiction_code`,
    [fiscalYear],
  )) as { code: string | null; held: number }[];
  return rows;
}

export type Loaders = ReturnType<typeof createLoaders>;
