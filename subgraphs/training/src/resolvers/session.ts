import {
  connectionTypes,
  DeprecatedVersionArg,
  ExpectedVersionArg,
  expectedVersionOf,
  Guard,
  IdempotencyKeyArg,
  LocalGovCodeScalar,
  PageArgs,
  requireUuid,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Course } from '../entities/course';
import { Enrolment } from '../entities/enrolment';
import { Jurisdiction } from '../entities/external';
import { TrainingSession } from '../entities/session';
import { Delivery, enrolmentOpenOn, SessionState } from '../enums';
import { mayOrganise, policy } from '../policy';
import { createTrainingSession, listSessions, setTrainingSessionState } from '../sessions';

export const { Connection: TrainingSessionConnection } = connectionTypes(TrainingSession, 'TrainingSession', 'training session');

@InputType({ description: 'Filters for `trainingSessions`; all given filters apply together.' })
export class TrainingSessionFilter {
  @Field(() => ID, { nullable: true, description: 'Only sessions of this course.' })
  courseId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only sessions starting in this fiscal year (April–March).' })
  fiscalYear?: number | null;

  @Field(() => [SessionState], { nullable: true, description: 'Only sessions in these states.' })
  states?: SessionState[] | null;

  @Field(() => LocalGovCodeScalar, {
    nullable: true,
    description: 'Only on-site sessions with a venue in this jurisdiction (a prefecture code covers the whole prefecture).',
  })
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

  @Field(() => LocalGovCodeScalar, { nullable: true, description: "The venue's jurisdiction: required on site, omitted online." })
  venueJurisdictionCode?: string | null;

  @Field(() => Int, { description: 'Places (1–1000).' })
  capacity!: number;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Open enrolment at once (state OPEN) instead of SCHEDULED. Default false.' })
  openNow?: boolean | null;
}

@Resolver(() => TrainingSession)
export class TrainingSessionResolver {
  @Query(() => TrainingSession, { nullable: true, description: 'A training session by id; null when unknown.' })
  trainingSession(@Arg('id', () => ID, { description: 'The session id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<TrainingSession | null> {
    return ctx.loaders.session.load(requireUuid('id', id));
  }

  @Query(() => TrainingSessionConnection, {
    description: 'Training sessions by start date, filtered, a page at a time. Open to everyone: the catalogue holds no personal data.',
  })
  trainingSessions(
    @Arg('filter', () => TrainingSessionFilter, { nullable: true, description: 'Filters; all given filters apply together.' })
    filter: TrainingSessionFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listSessions(ctx, filter, page);
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

  @FieldResolver(() => Boolean, {
    description:
      'Whether staff can enrol now: the session is OPEN or FULL (wait list) and has not started yet. Enrolment closes ' +
      'when the session starts (its first day in Japan); completion is recorded after it, once the organiser marks it HELD.',
  })
  enrolmentOpen(@Root() s: TrainingSession): boolean {
    return (s.state === SessionState.OPEN || s.state === SessionState.FULL) && enrolmentOpenOn(s.startsOn);
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
      "Enrolments in wait-list order: all of them for the session's organiser, the own staff's for an organisation; " +
      'null with FORBIDDEN for principals that can see neither (personal data).',
  })
  @Guard<TrainingSession>((p) => mayOrganise(p) || policy.ownStaff(p).organizations.length > 0, 'the enrolments of this session')
  enrolments(@Root() s: TrainingSession, @Ctx() ctx: Context): Promise<Enrolment[]> {
    return ctx.loaders.enrolmentsOfSession.load(s.id);
  }

  @Mutation(() => TrainingSession, { description: 'Adds a session to a course the caller organises. Idempotent with `idempotencyKey`.' })
  createTrainingSession(
    @Arg('input', () => CreateTrainingSessionInput, { description: 'The session.' }) input: CreateTrainingSessionInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TrainingSession> {
    return createTrainingSession(ctx, info, input, idempotencyKey);
  }

  @Mutation(() => TrainingSession, {
    description:
      'The organiser opens enrolment (SCHEDULED → OPEN), marks a session held (OPEN/FULL → HELD, once it has started; BAD_USER_INPUT before) or cancels it. ' +
      'Optimistic concurrency: a stale `expectedVersion` is CONFLICT. Idempotent with `idempotencyKey`.',
  })
  setTrainingSessionState(
    @Arg('id', () => ID, { description: 'The session.' }) id: string,
    @Arg('state', () => SessionState, { description: 'The new state: OPEN, HELD or CANCELLED.' }) state: SessionState,
    @ExpectedVersionArg({ withDeprecatedAlias: true }) expectedVersion: number | null,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @DeprecatedVersionArg() version: number | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TrainingSession> {
    return setTrainingSessionState(ctx, info, { id, state, expectedVersion: expectedVersionOf(expectedVersion, version), idempotencyKey });
  }
}
