import { badUserInput, conflict, connectionTypes, fiscalYearOf, forbidden, Guard, LocalGovCodeScalar, notFound, PageArgs, paginate, requireFiscalYear, requireUuid, transactionally, type Principal } from '@nimo/kit';
import type { EntityManager } from 'typeorm';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Course } from '../entities/course';
import { Enrolment } from '../entities/enrolment';
import { Jurisdiction } from '../entities/external';
import { TrainingSession } from '../entities/session';
import { Delivery, SessionState } from '../enums';
import { mayOrganise, organises, policy } from '../policy';
import { jurisdictionList } from '../summary';
import { lockRow, newId, requireDate, requireVersion } from './common';

export const { Connection: TrainingSessionConnection } = connectionTypes(TrainingSession, 'TrainingSession', 'training session');

@InputType({ description: 'Filters for `trainingSessions`; all given filters apply together.' })
export class TrainingSessionFilter {
  @Field(() => ID, { nullable: true, description: 'Only sessions of this course.' })
  courseId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only sessions starting in this fiscal year (April–March).' })
  fiscalYear?: number | null;

  @Field(() => [SessionState], { nullable: true, description: 'Only sessions in these states.' })
  states?: SessionState[] | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only on-site sessions with a venue in this jurisdiction (a prefecture code covers the whole prefecture).' })
  venueJurisdictionCode?: string | null;
}

@InputType({ description: 'A new session of a course.' })
export class CreateTrainingSessionInput {
  @Field(() => ID, { description: 'The course; the caller must organise it.' })
  courseId!: string;

  @Field(() => String, { description: 'First day, YYYY-MM-DD.' })
  startsOn!: string;

  @Field(() => String, { description: 'Last day, YYYY-MM-DD, not before `startsOn`.' })
  endsOn!: string;

  @Field(() => Delivery, { description: 'Online or on site.' })
  delivery!: Delivery;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'The venue\'s jurisdiction: required on site, omitted online.' })
  venueJurisdictionCode?: string | null;

  @Field(() => Int, { description: 'Places (1–1000).' })
  capacity!: number;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Open enrolment at once (state OPEN) instead of SCHEDULED. Default false.' })
  openNow?: boolean | null;
}

/** Session states the organiser may set: OPEN (from SCHEDULED), HELD and CANCELLED. FULL follows the enrolments. */
const SETTABLE: Record<SessionState, SessionState[]> = {
  [SessionState.SCHEDULED]: [SessionState.OPEN, SessionState.CANCELLED],
  [SessionState.OPEN]: [SessionState.HELD, SessionState.CANCELLED],
  [SessionState.FULL]: [SessionState.HELD, SessionState.CANCELLED],
  [SessionState.HELD]: [],
  [SessionState.CANCELLED]: [],
};

interface SessionOrganiserRow {
  id: string;
  state: SessionState;
  version: number;
  organiser_kind: Course['organiserKind'];
  organiser_jurisdiction_code: string | null;
  organiser_organization_id: string | null;
}

/** The session (locked) with its course's organiser; FORBIDDEN unless the principal organises it. */
export async function lockSessionAsOrganiser(manager: EntityManager, principal: Principal, sessionId: string): Promise<SessionOrganiserRow> {
  const row = await lockRow<SessionOrganiserRow>(
    manager,
    `SELECT ts.id, ts.state, ts.version, c.organiser_kind, c.organiser_jurisdiction_code, c.organiser_organization_id
       FROM training_session ts JOIN course c ON c.id = ts.course_id WHERE ts.id = $1`,
    sessionId,
    'training session',
  );
  if (!organises(principal, { organiserKind: row.organiser_kind, organiserJurisdictionCode: row.organiser_jurisdiction_code, organiserOrganizationId: row.organiser_organization_id })) {
    throw forbidden('Only the organiser of this session may do that.');
  }
  return row;
}

@Resolver(() => TrainingSession)
export class TrainingSessionResolver {
  @Query(() => TrainingSession, { nullable: true, description: 'A training session by id; null when unknown.' })
  trainingSession(@Arg('id', () => ID, { description: 'The session id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<TrainingSession | null> {
    return ctx.loaders.session.load(requireUuid('id', id));
  }

  @Query(() => TrainingSessionConnection, { description: 'Training sessions by start date, filtered, a page at a time. Open to everyone: the catalogue holds no personal data.' })
  trainingSessions(
    @Arg('filter', () => TrainingSessionFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: TrainingSessionFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    const query = ctx.db.getRepository(TrainingSession).createQueryBuilder('ts');
    if (filter?.courseId) query.andWhere('ts.course_id = :course', { course: requireUuid('filter.courseId', filter.courseId) });
    if (filter?.fiscalYear !== undefined && filter.fiscalYear !== null) query.andWhere('ts.fiscal_year = :fy', { fy: requireFiscalYear(filter.fiscalYear, 'filter.fiscalYear') });
    if (filter?.states?.length) query.andWhere('ts.state IN (:...states)', { states: filter.states });
    if (filter?.venueJurisdictionCode) {
      const code = filter.venueJurisdictionCode;
      if (code.slice(2, 5) === '000') query.andWhere('left(ts.venue_jurisdiction_code, 2) = :prefix', { prefix: code.slice(0, 2) });
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

  @FieldResolver(() => Course, { description: 'The course this is a session of.' })
  async course(@Root() s: TrainingSession, @Ctx() ctx: Context): Promise<Course> {
    const course = await ctx.loaders.course.load(s.courseId);
    if (!course) throw new Error(`session ${s.id} has no course`);
    return course;
  }

  @FieldResolver(() => Jurisdiction, { nullable: true, description: 'Where an on-site session is held; null online.' })
  venueJurisdiction(@Root() s: TrainingSession): Jurisdiction | null {
    return s.venueJurisdictionCode ? { code: s.venueJurisdictionCode } : null;
  }

  @FieldResolver(() => Int, { description: 'Places taken (enrolled, attended, absent or completed).' })
  async enrolledCount(@Root() s: TrainingSession, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.placeCounts.load(s.id))?.enrolled ?? 0;
  }

  @FieldResolver(() => Int, { description: 'Enrolments on the wait list.' })
  async waitListedCount(@Root() s: TrainingSession, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.placeCounts.load(s.id))?.waitListed ?? 0;
  }

  @FieldResolver(() => Int, { description: 'Places left (capacity minus places taken, at least 0).' })
  async placesLeft(@Root() s: TrainingSession, @Ctx() ctx: Context): Promise<number> {
    return Math.max(0, s.capacity - ((await ctx.loaders.placeCounts.load(s.id))?.enrolled ?? 0));
  }

  @FieldResolver(() => [Enrolment], {
    nullable: true,
    description:
      'Enrolments in wait-list order: all of them for the session\'s organiser, the own staff\'s for an organisation; ' +
      'null with FORBIDDEN for principals that can see neither (personal data).',
  })
  @Guard<TrainingSession>((p) => mayOrganise(p) || policy.ownStaff(p).organizations.length > 0, 'the enrolments of this session')
  enrolments(@Root() s: TrainingSession, @Ctx() ctx: Context): Promise<Enrolment[]> {
    return ctx.loaders.enrolmentsOfSession.load(s.id);
  }

  @Mutation(() => TrainingSession, { description: 'Adds a session to a course the caller organises. Idempotent with `idempotencyKey`.' })
  async createTrainingSession(
    @Arg('input', () => CreateTrainingSessionInput, { description: 'The session.' }) input: CreateTrainingSessionInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'A key of 8–100 characters: a retry with the same key returns the first answer and creates nothing twice.' }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
  ): Promise<TrainingSession> {
    const courseId = requireUuid('input.courseId', input.courseId);
    const startsOn = requireDate('input.startsOn', input.startsOn);
    const endsOn = requireDate('input.endsOn', input.endsOn);
    if (endsOn < startsOn) throw badUserInput('`input.endsOn` must not be before `input.startsOn`.', { argument: 'input.endsOn' });
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 1000) throw badUserInput('`input.capacity` must be 1 to 1000 places.', { argument: 'input.capacity' });
    const venue = input.venueJurisdictionCode ?? null;
    if ((input.delivery === Delivery.ON_SITE) !== (venue !== null)) {
      throw badUserInput('`input.venueJurisdictionCode` is required on site and must be omitted online.', { argument: 'input.venueJurisdictionCode' });
    }
    if (venue !== null && !jurisdictionList().byCode.has(venue)) throw badUserInput(`\`input.venueJurisdictionCode\` ${venue} names no jurisdiction.`, { argument: 'input.venueJurisdictionCode' });
    const course = await ctx.loaders.course.load(courseId);
    if (!course) throw notFound(`No course with id ${courseId}.`);
      if (!organises(ctx.principal, course)) throw forbidden('Only the organiser of the course may add sessions to it.');
    const id = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'createTrainingSession', input }, async (manager) => {
      const sessionId = newId();
      await manager.query(
        `INSERT INTO training_session (id, course_id, starts_on, ends_on, fiscal_year, delivery, venue_jurisdiction_code, capacity, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [sessionId, courseId, startsOn, endsOn, fiscalYearOf(new Date(`${startsOn}T00:00:00+09:00`)), input.delivery, venue, input.capacity, input.openNow ? SessionState.OPEN : SessionState.SCHEDULED],
      );
      return sessionId;
    });
    return loadSession(ctx, id);
  }

  @Mutation(() => TrainingSession, {
    description:
      'The organiser opens enrolment (SCHEDULED → OPEN), marks a session held (OPEN/FULL → HELD) or cancels it. ' +
      'Optimistic concurrency: a stale `version` is CONFLICT. Idempotent with `idempotencyKey`.',
  })
  async setTrainingSessionState(
    @Arg('id', () => ID, { description: 'The session.' }) id: string,
    @Arg('state', () => SessionState, { description: 'The new state: OPEN, HELD or CANCELLED.' }) state: SessionState,
    @Arg('version', () => Int, { description: 'The session\'s `version` as last read.' }) version: number,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'A key of 8–100 characters: a retry with the same key returns the first answer.' }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
  ): Promise<TrainingSession> {
    const sessionId = requireUuid('id', id);
    if (![SessionState.OPEN, SessionState.HELD, SessionState.CANCELLED].includes(state)) {
      throw badUserInput('`state` must be OPEN, HELD or CANCELLED; FULL follows the enrolments.', { argument: 'state' });
    }
    const done = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'setTrainingSessionState', input: { sessionId, state, version } }, async (manager) => {
      const row = await lockSessionAsOrganiser(manager, ctx.principal, sessionId);
      requireVersion('The session', row.version, version);
      if (!SETTABLE[row.state].includes(state)) throw conflict(`A ${row.state} session cannot become ${state}.`, row.version);
      await manager.query('UPDATE training_session SET state = $2, version = version + 1 WHERE id = $1', [sessionId, state]);
      return sessionId;
    });
    return loadSession(ctx, done);
  }
}

export async function loadSession(ctx: Context, id: string): Promise<TrainingSession> {
  const session = await ctx.db.getRepository(TrainingSession).findOneBy({ id });
  if (!session) throw notFound(`No training session with id ${id}.`);
  return session;
}
