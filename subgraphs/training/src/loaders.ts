import { groupLoader, keyedLoader, rowLoader, whereAny, type Principal } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { Course } from './entities/course';
import { Enrolment } from './entities/enrolment';
import { TrainingSession } from './entities/session';
import { StaffMember } from './entities/staff-member';
import { EnrolmentState, PLACE_HOLDING } from './enums';
import { enrolmentWhere, organiserOfStaffSql, organiserWhere, staffWhere } from './policy';
import { figuresOf, nationalFigures, nationalFiguresOfYears, trainedStaffHistory, type FiguresKey, type TrainingFigures } from './figures';

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
    course: rowLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(Course), 'id', ids).getMany(),
      (c) => c.id,
    ),
    session: rowLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(TrainingSession), 'id', ids).getMany(),
      (s) => s.id,
    ),
    sessionsOfCourse: groupLoader(
      (ids: readonly string[]) => whereAny(db.getRepository(TrainingSession), 'course_id', ids).orderBy('x.starts_on').addOrderBy('x.id').getMany(),
      (s) => s.courseId,
    ),
    placeCounts: rowLoader(
      async (ids: readonly string[]): Promise<PlaceCounts[]> => {
        const rows = await db.query<{ session_id: string; enrolled: number; wait_listed: number }[]>(
          `SELECT session_id, count(*) FILTER (WHERE state = ANY($2))::int AS enrolled, count(*) FILTER (WHERE state = 'WAIT_LISTED')::int AS wait_listed
             FROM enrolment WHERE session_id = ANY($1::uuid[]) GROUP BY session_id`,
          [ids, PLACE_HOLDING],
        );
        return rows.map((r) => ({ sessionId: r.session_id, enrolled: r.enrolled, waitListed: r.wait_listed }));
      },
      (r) => r.sessionId,
    ),
    staff: rowLoader(
      (ids: readonly string[]) => staffRows('s.id = ANY(:ids::uuid[])', { ids }),
      (s) => s.id,
    ),
    staffOfOrganization: groupLoader(
      (ids: readonly string[]) => staffRows('s.organization_id = ANY(:orgIds::uuid[])', { orgIds: ids }),
      (s) => s.organizationId,
    ),
    enrolment: rowLoader(
      (ids: readonly string[]) => enrolmentQuery('e.id = ANY(:ids::uuid[])', { ids }).getMany(),
      (e) => e.id,
    ),
    enrolmentsOfSession: groupLoader(
      (ids: readonly string[]) => enrolmentQuery('e.session_id = ANY(:sessionIds::uuid[])', { sessionIds: ids }).getMany(),
      (e) => e.sessionId,
    ),
    enrolmentsOfStaff: groupLoader(
      (ids: readonly string[]) => enrolmentQuery('e.staff_id = ANY(:staffIds::uuid[])', { staffIds: ids }).getMany(),
      (e) => e.staffId,
    ),
    completionsOfOrganization: groupLoader(
      async (ids: readonly string[]) => {
        const { entities, raw } = await enrolmentQuery('s.organization_id = ANY(:orgIds::uuid[]) AND e.state = :completed', {
          orgIds: ids,
          completed: EnrolmentState.COMPLETED,
        })
          .addSelect('s.organization_id', 'org_id')
          .getRawAndEntities<{ org_id: string }>();
        return entities.map((e, i) => ({ organizationId: raw[i]?.org_id ?? '', enrolment: e }));
      },
      (r) => r.organizationId,
    ),
    /** Training figures of a jurisdiction (or the nation, code null) in a fiscal year: one computation for all the years asked for. */
    trainingSummary: keyedLoader<FiguresKey, TrainingFigures>(async (keys) => {
      const years = [...new Set(keys.map((k) => k.fiscalYear))];
      const computed = await nationalFiguresOfYears(db, years);
      const byYear = new Map(years.map((fy, i) => [fy, computed[i]]));
      return keys.map((key) => {
        const figures = byYear.get(key.fiscalYear);
        if (!figures) throw new Error(`no training figures computed for FY${key.fiscalYear}`);
        return figuresOf(figures, key.code);
      });
    }),
    /** Distinct staff with at least one completion, ever, per code (rolled up for prefectures). */
    trainedStaffTotal: keyedLoader<string, number>(async (codes) => {
      const every = await nationalFigures(db, null);
      return codes.map((code) => figuresOf(every, code).trainedStaffTotal);
    }),
    /** Staff trained by the end of each fiscal year, per code (rolled up for prefectures). */
    trainedStaffHistory: keyedLoader<string, { fiscalYear: number; trainedStaff: number }[]>(async (codes) => {
      const { firstCompletionsOf } = await nationalFigures(db, null);
      return codes.map((code) => trainedStaffHistory(code, firstCompletionsOf.get(code.slice(0, 2)) ?? []));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
