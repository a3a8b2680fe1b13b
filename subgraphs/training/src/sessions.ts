import { randomUUID } from 'node:crypto';
import {
  badUserInput,
  conflict,
  fiscalYearOf,
  forbidden,
  isPrefectureCode,
  lockRow,
  mutate,
  nationalCodeList,
  notFound,
  paginate,
  requireFiscalYear,
  requireUuid,
  revive,
  rowAsWritten,
  type PageArgs,
  type Principal,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import type { Context } from './context';
import type { Course } from './entities/course';
import { TrainingSession } from './entities/session';
import { Delivery, hasStarted, SessionState } from './enums';
import { mayOrganise, organises } from './policy';
import { requireDate } from './validate';

/**
 * The training session aggregate: the catalogue's reads and the organiser's writes (the kit's
 * mutation pipeline). The resolvers call these and hold no SQL.
 */

const ENTITY = 'TrainingSession';

export interface SessionFilterArgs {
  readonly courseId?: string | null;
  readonly fiscalYear?: number | null;
  readonly states?: readonly SessionState[] | null;
  readonly venueJurisdictionCode?: string | null;
}

/** Sessions by start date, filtered, a page at a time (the catalogue is open to everyone). */
export function listSessions(ctx: Context, filter: SessionFilterArgs | null, page: PageArgs) {
  const query = ctx.db.getRepository(TrainingSession).createQueryBuilder('ts');
  if (filter?.courseId) query.andWhere('ts.course_id = :course', { course: requireUuid('filter.courseId', filter.courseId) });
  if (filter?.fiscalYear !== undefined && filter.fiscalYear !== null)
    query.andWhere('ts.fiscal_year = :fy', { fy: requireFiscalYear(filter.fiscalYear, 'filter.fiscalYear') });
  if (filter?.states?.length) query.andWhere('ts.state IN (:...states)', { states: filter.states });
  if (filter?.venueJurisdictionCode) {
    const code = filter.venueJurisdictionCode;
    if (isPrefectureCode(code)) query.andWhere('left(ts.venue_jurisdiction_code, 2) = :prefix', { prefix: code.slice(0, 2) });
    else query.andWhere('ts.venue_jurisdiction_code = :venue', { venue: code });
  }
  return paginate(
    query,
    [
      { sql: 'ts.starts_on', value: (s) => s.startsOn },
      { sql: 'ts.id', value: (s) => s.id },
    ],
    page,
  );
}

export interface SessionRow {
  id: string;
  state: SessionState;
  capacity: number;
  version: number;
  starts_on: string;
  organiser_kind: Course['organiserKind'];
  organiser_jurisdiction_code: string | null;
  organiser_organization_id: string | null;
}

/** The session, locked, with its course's organiser. Every training write locks a session before an enrolment. */
export function lockSession(manager: EntityManager, sessionId: string): Promise<SessionRow> {
  return lockRow<SessionRow>(
    manager,
    {
      sql: `SELECT ts.id, ts.state, ts.capacity, ts.version, ts.starts_on::text, c.organiser_kind, c.organiser_jurisdiction_code, c.organiser_organization_id
              FROM training_session ts JOIN course c ON c.id = ts.course_id WHERE ts.id = $1`,
      params: [sessionId],
    },
    'training session',
    sessionId,
  );
}

/** The policy decision on a locked session: only its organiser may run it. */
export function authorizeOrganiser(principal: Principal, row: SessionRow): void {
  if (
    !organises(principal, {
      organiserKind: row.organiser_kind,
      organiserJurisdictionCode: row.organiser_jurisdiction_code,
      organiserOrganizationId: row.organiser_organization_id,
    })
  ) {
    throw forbidden('Only the organiser of this session may do that.');
  }
}

export interface CreateSessionArgs {
  readonly courseId: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly delivery: Delivery;
  readonly venueJurisdictionCode?: string | null;
  readonly capacity: number;
  readonly openNow?: boolean | null;
}

export async function createTrainingSession(
  ctx: Context,
  info: GraphQLResolveInfo,
  input: CreateSessionArgs,
  idempotencyKey: string | null,
): Promise<TrainingSession> {
  const validate = () => {
    const courseId = requireUuid('input.courseId', input.courseId);
    const startsOn = requireDate('input.startsOn', input.startsOn);
    const endsOn = requireDate('input.endsOn', input.endsOn);
    if (endsOn < startsOn) throw badUserInput('`input.endsOn` must not be before `input.startsOn`.', { argument: 'input.endsOn' });
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 1000)
      throw badUserInput('`input.capacity` must be 1 to 1000 places.', { argument: 'input.capacity' });
    const venue = input.venueJurisdictionCode ?? null;
    if ((input.delivery === Delivery.ON_SITE) !== (venue !== null)) {
      throw badUserInput('`input.venueJurisdictionCode` is required on site and must be omitted online.', { argument: 'input.venueJurisdictionCode' });
    }
    return { courseId, startsOn, endsOn, venue };
  };
  // The course is read first: who may add sessions to it is a property of the course.
  const course = await ctx.loaders.course.load(validate().courseId);
  const written = await mutate(ctx, info, {
    action: 'createTrainingSession',
    entityType: ENTITY,
    input,
    idempotencyKey,
    validate,
    authorize: (principal) => {
      if (!course) throw notFound(`No course with id ${input.courseId}.`);
      if (!organises(principal, course)) throw forbidden('Only the organiser of the course may add sessions to it.');
    },
    checkReferences: async (_m, v) => {
      if (v.venue !== null && !nationalCodeList().byCode.has(v.venue))
        throw badUserInput(`\`input.venueJurisdictionCode\` ${v.venue} names no jurisdiction.`, { argument: 'input.venueJurisdictionCode' });
    },
    write: async (m, v) => {
      const sessionId = randomUUID();
      await m.query(
        `INSERT INTO training_session (id, course_id, starts_on, ends_on, fiscal_year, delivery, venue_jurisdiction_code, capacity, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          sessionId,
          v.courseId,
          v.startsOn,
          v.endsOn,
          fiscalYearOf(new Date(`${v.startsOn}T00:00:00+09:00`)),
          input.delivery,
          v.venue,
          input.capacity,
          input.openNow ? SessionState.OPEN : SessionState.SCHEDULED,
        ],
      );
      return { id: sessionId, row: await rowAsWritten(m, TrainingSession, sessionId) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: 'create' }],
  });
  return revive(ctx.db, TrainingSession, written.row);
}

/** Session states the organiser may set: OPEN (from SCHEDULED), HELD and CANCELLED. FULL follows the enrolments. */
const SETTABLE: Record<SessionState, SessionState[]> = {
  [SessionState.SCHEDULED]: [SessionState.OPEN, SessionState.CANCELLED],
  [SessionState.OPEN]: [SessionState.HELD, SessionState.CANCELLED],
  [SessionState.FULL]: [SessionState.HELD, SessionState.CANCELLED],
  [SessionState.HELD]: [],
  [SessionState.CANCELLED]: [],
};

export async function setTrainingSessionState(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { id: string; state: SessionState; expectedVersion: number; idempotencyKey: string | null },
): Promise<TrainingSession> {
  const { state, expectedVersion } = args;
  const written = await mutate(ctx, info, {
    action: 'setTrainingSessionState',
    entityType: ENTITY,
    input: { sessionId: args.id.toLowerCase(), state, version: expectedVersion },
    idempotencyKey: args.idempotencyKey,
    refusedKey: args.id.toLowerCase(),
    validate: () => {
      const sessionId = requireUuid('id', args.id);
      if (![SessionState.OPEN, SessionState.HELD, SessionState.CANCELLED].includes(state)) {
        throw badUserInput('`state` must be OPEN, HELD or CANCELLED; FULL follows the enrolments.', { argument: 'state' });
      }
      return { sessionId };
    },
    authorize: (principal) => {
      // Which sessions a principal organises is a property of their courses: decided again on the locked row.
      if (!mayOrganise(principal)) throw forbidden('Only the organiser of this session may do that.');
    },
    lock: { what: 'training session', row: (m, v) => lockSession(m, v.sessionId), authorize: authorizeOrganiser, expectedVersion },
    write: async (m, _v, row) => {
      if (!SETTABLE[row.state].includes(state)) throw conflict(`A ${row.state} session cannot become ${state}.`, row.version);
      if (state === SessionState.HELD && !hasStarted(row.starts_on)) {
        throw badUserInput(`The session starts on ${row.starts_on}: it can be marked HELD once it has started.`, { argument: 'state' });
      }
      await m.query('UPDATE training_session SET state = $2, version = version + 1 WHERE id = $1', [row.id, state]);
      return { id: row.id, row: await rowAsWritten(m, TrainingSession, row.id) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: `state:${state}` }],
  });
  // The session as the write left it (a replay answers the same, never its later state).
  return revive(ctx.db, TrainingSession, written.row);
}
