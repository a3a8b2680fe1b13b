import { DeprecatedVersionArg, ExpectedVersionArg, expectedVersionOf, IdempotencyKeyArg, requireUuid } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { cancelEnrolment, enrol, recordAttendance, recordCompletion } from '../enrolments';
import { Enrolment } from '../entities/enrolment';
import { TrainingSession } from '../entities/session';
import { StaffMember } from '../entities/staff-member';
import { EnrolmentState } from '../enums';

@Resolver(() => Enrolment)
export class EnrolmentResolver {
  @Query(() => Enrolment, {
    nullable: true,
    description: "An enrolment by id; null when unknown or when you may not see it (only the staff member's organisation and the session's organiser may).",
  })
  enrolment(@Arg('id', () => ID, { description: 'The enrolment id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<Enrolment | null> {
    return ctx.loaders.enrolment.load(requireUuid('id', id));
  }

  @FieldResolver(() => TrainingSession, { description: 'The session.' })
  async session(@Root() e: Enrolment, @Ctx() ctx: Context): Promise<TrainingSession> {
    const session = await ctx.loaders.session.load(e.sessionId);
    if (!session) throw new Error(`enrolment ${e.id} has no session`);
    return session;
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'The staff member enrolled; null when you may not see them.' })
  staffMember(@Root() e: Enrolment, @Ctx() ctx: Context): Promise<StaffMember | null> {
    return ctx.loaders.staff.load(e.staffId);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Position on the wait list (1 = next to be promoted); null unless WAIT_LISTED.' })
  async waitListPosition(@Root() e: Enrolment, @Ctx() ctx: Context): Promise<number | null> {
    if (e.state !== EnrolmentState.WAIT_LISTED) return null;
    const all = await ctx.loaders.enrolmentsOfSession.load(e.sessionId);
    const waiting = all.filter((x) => x.state === EnrolmentState.WAIT_LISTED);
    const index = waiting.findIndex((x) => x.id === e.id);
    return index < 0 ? null : index + 1;
  }

  @Mutation(() => Enrolment, {
    description:
      "Enrols a staff member of the caller's own organisation in an OPEN or FULL session: ENROLLED while places are " +
      'left, WAIT_LISTED otherwise (promoted first come, first served when a place frees up). Never exceeds capacity, ' +
      'however many enrol at once. Idempotent with `idempotencyKey`.',
  })
  enrol(
    @Arg('sessionId', () => ID, { description: 'The session.' }) sessionId: string,
    @Arg('staffMemberId', () => ID, { description: "The staff member (of the caller's organisation)." }) staffMemberId: string,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Enrolment> {
    return enrol(ctx, info, { sessionId, staffMemberId, idempotencyKey });
  }

  @Mutation(() => Enrolment, {
    description:
      "Cancels an enrolment of a staff member of the caller's organisation (ENROLLED or WAIT_LISTED). A freed place goes " +
      'to the first on the wait list. Optimistic concurrency: a stale `expectedVersion` is CONFLICT. Idempotent with `idempotencyKey`.',
  })
  cancelEnrolment(
    @Arg('id', () => ID, { description: 'The enrolment.' }) id: string,
    @ExpectedVersionArg({ withDeprecatedAlias: true }) expectedVersion: number | null,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @DeprecatedVersionArg() version: number | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Enrolment> {
    return cancelEnrolment(ctx, info, { id, expectedVersion: expectedVersionOf(expectedVersion, version), idempotencyKey });
  }

  @Mutation(() => Enrolment, {
    description:
      'The organiser records attendance (ATTENDED or ABSENT) of an enrolled staff member once the session is HELD. ' +
      'Optimistic concurrency: a stale `expectedVersion` is CONFLICT. Idempotent with `idempotencyKey`.',
  })
  recordAttendance(
    @Arg('id', () => ID, { description: 'The enrolment.' }) id: string,
    @Arg('attended', () => Boolean, { description: 'True: attended; false: absent.' }) attended: boolean,
    @ExpectedVersionArg({ withDeprecatedAlias: true }) expectedVersion: number | null,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @DeprecatedVersionArg() version: number | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Enrolment> {
    return recordAttendance(ctx, info, { id, attended, expectedVersion: expectedVersionOf(expectedVersion, version), idempotencyKey });
  }

  @Mutation(() => Enrolment, {
    description:
      'The organiser records completion of an ATTENDED enrolment and issues its certificate number (unique; see ' +
      '`Enrolment.certificateNumber`). Optimistic concurrency: a stale `expectedVersion` is CONFLICT. Idempotent with `idempotencyKey`.',
  })
  recordCompletion(
    @Arg('id', () => ID, { description: 'The enrolment.' }) id: string,
    @ExpectedVersionArg({ withDeprecatedAlias: true }) expectedVersion: number | null,
    @Arg('completedOn', () => String, {
      nullable: true,
      description: "Day of completion (YYYY-MM-DD), not before the session starts; default: the session's last day.",
    })
    completedOn: string | null,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @DeprecatedVersionArg() version: number | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Enrolment> {
    return recordCompletion(ctx, info, { id, expectedVersion: expectedVersionOf(expectedVersion, version), completedOn: completedOn ?? null, idempotencyKey });
  }
}
