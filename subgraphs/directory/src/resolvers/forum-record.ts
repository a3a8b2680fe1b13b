import { ExpectedVersionArg, IdempotencyKeyArg, requireUuid } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, FieldResolver, Float, ID, InputType, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Forum } from '../entities/forum';
import { ForumAttendance, ForumCycle, ForumCycleIndicator, ForumMeeting, MINUTES_NOTE } from '../entities/forum-record';
import { ForumMemberRole } from '../enums';
import { cyclesOf, meetingsHeld, meetingsOf, recordForumCycle, recordForumMeeting, requireReadable, updateForumMeeting } from '../forum-records';

@InputType({ description: 'How many attended a meeting in one member role.' })
export class ForumAttendanceInput {
  @Field(() => ForumMemberRole, { description: 'The member role; each role at most once per meeting.' })
  role!: ForumMemberRole;

  @Field(() => Int, { description: 'How many attended in that role: 1 to 500.' })
  count!: number;
}

@InputType({ description: 'A forum meeting as its own jurisdiction records it. Lists hold up to 30 items of 1 to 1,000 characters each.' })
export class ForumMeetingInput {
  @Field(() => LocalDateResolver, { description: 'The day it was held: not in the future, not before the forum was set up.' })
  heldOn!: string;

  @Field(() => [ForumAttendanceInput], { description: 'Attendance by member role: at least one role.' })
  attendance!: ForumAttendanceInput[];

  @Field(() => [String], { description: 'The agenda: at least one item.' })
  agenda!: string[];

  @Field(() => [String], { nullable: true, description: 'The needs and issues of the area shared at the meeting (empty when none).' })
  needsShared?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Decisions taken (empty when none).' })
  decisions?: string[] | null;
}

@InputType({ description: 'An indicator of a PDCA cycle: planned with a target, checked with the value reached.' })
export class ForumCycleIndicatorInput {
  @Field(() => String, { description: 'What is measured, in words.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The unit (e.g. 回, 人, %).' })
  unit?: string | null;

  @Field(() => Float, { nullable: true, description: 'The target, 0 or more; omit when the indicator is only watched.' })
  target?: number | null;

  @Field(() => Float, { nullable: true, description: 'The value reached, 0 or more: only with `checkedOn`.' })
  actual?: number | null;
}

@InputType({
  description:
    "A forum's PDCA cycle for a fiscal year, the whole record each time (Plan first; Check and Act added as they happen). " +
    "Dates: plannedOn ≤ checkedOn ≤ actedOn, none in the future, plannedOn not after the year's end.",
})
export class ForumCycleInput {
  @Field(() => [String], { description: 'Plan: the goals, at least one.' })
  goals!: string[];

  @Field(() => [ForumCycleIndicatorInput], { nullable: true, description: 'Plan: the indicators with their targets (and, once checked, the values reached).' })
  indicators?: ForumCycleIndicatorInput[] | null;

  @Field(() => LocalDateResolver, { description: 'When the plan was agreed.' })
  plannedOn!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Check: when the results were checked against the evaluation (with `checkFindings`).' })
  checkedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Check: what the check against the evaluation found (with `checkedOn`).' })
  checkFindings?: string | null;

  @Field(() => [String], { nullable: true, description: 'Act: the actions decided on the findings (with `actedOn`).' })
  actions?: string[] | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Act: when the actions were decided (after the check).' })
  actedOn?: string | null;
}

const WRITES =
  "Only the forum's own jurisdiction (the municipality of a municipal forum; the prefecture of its own forum and of its " +
  "regions' forums) may write: FORBIDDEN otherwise. Bad input is BAD_USER_INPUT and changes nothing.";

@Resolver(() => ForumMeeting)
export class ForumMeetingResolver {
  @Query(() => ForumMeeting, { nullable: true, description: 'A forum meeting by id; null when unknown. That it was held is public; its minutes are not.' })
  forumMeeting(@Arg('id', () => ID, { description: 'The meeting id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<ForumMeeting | null> {
    return ctx.loaders.meeting.load(requireUuid('id', id));
  }

  @FieldResolver(() => Forum, { description: 'The forum that met.' })
  async forum(@Root() m: ForumMeeting, @Ctx() ctx: Context): Promise<Forum> {
    return (await ctx.loaders.forum.load(m.forumId))!;
  }

  @FieldResolver(() => [ForumAttendance], { nullable: true, description: `Attendance by member role. ${MINUTES_NOTE}` })
  attendance(@Root() m: ForumMeeting, @Ctx() ctx: Context): ForumAttendance[] {
    requireReadable(ctx, m.ownerCode, 'the minutes of this meeting');
    return m.attendance;
  }

  @FieldResolver(() => Int, { nullable: true, description: `How many attended in all (the sum of \`attendance\`). ${MINUTES_NOTE}` })
  attendees(@Root() m: ForumMeeting, @Ctx() ctx: Context): number {
    requireReadable(ctx, m.ownerCode, 'the minutes of this meeting');
    return m.attendance.reduce((sum, a) => sum + a.count, 0);
  }

  @FieldResolver(() => [String], { nullable: true, description: `The agenda. ${MINUTES_NOTE}` })
  agenda(@Root() m: ForumMeeting, @Ctx() ctx: Context): string[] {
    requireReadable(ctx, m.ownerCode, 'the minutes of this meeting');
    return m.agenda;
  }

  @FieldResolver(() => [String], { nullable: true, description: `The needs and issues of the area shared at the meeting. ${MINUTES_NOTE}` })
  needsShared(@Root() m: ForumMeeting, @Ctx() ctx: Context): string[] {
    requireReadable(ctx, m.ownerCode, 'the minutes of this meeting');
    return m.needsShared;
  }

  @FieldResolver(() => [String], { nullable: true, description: `Decisions taken. ${MINUTES_NOTE}` })
  decisions(@Root() m: ForumMeeting, @Ctx() ctx: Context): string[] {
    requireReadable(ctx, m.ownerCode, 'the minutes of this meeting');
    return m.decisions;
  }

  @Mutation(() => ForumMeeting, { nullable: true, description: `Records a meeting a forum held. ${WRITES}` })
  recordForumMeeting(
    @Arg('forumId', () => ID, { description: 'The forum (a UUID).' }) forumId: string,
    @Arg('input', () => ForumMeetingInput, { description: 'The meeting.' }) input: ForumMeetingInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ForumMeeting | null> {
    return recordForumMeeting(ctx, info, { forumId, input, idempotencyKey });
  }

  @Mutation(() => ForumMeeting, { nullable: true, description: `Corrects a recorded meeting (the whole record). CONFLICT on a stale version. ${WRITES}` })
  updateForumMeeting(
    @Arg('meetingId', () => ID, { description: 'The meeting (a UUID).' }) meetingId: string,
    @ExpectedVersionArg() expectedVersion: number,
    @Arg('input', () => ForumMeetingInput, { description: 'The meeting as it should read.' }) input: ForumMeetingInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ForumMeeting | null> {
    return updateForumMeeting(ctx, info, { meetingId, expectedVersion, input, idempotencyKey });
  }
}

@Resolver(() => ForumCycleIndicator)
export class ForumCycleIndicatorResolver {
  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the value reached the target (actual ≥ target); null without both.' })
  met(@Root() x: ForumCycleIndicator): boolean | null {
    return x.target === null || x.actual === null ? null : x.actual >= x.target;
  }
}

@Resolver(() => ForumCycle)
export class ForumCycleResolver {
  @FieldResolver(() => Forum, { description: 'The forum whose cycle it is.' })
  async forum(@Root() c: ForumCycle, @Ctx() ctx: Context): Promise<Forum> {
    return (await ctx.loaders.forum.load(c.forumId))!;
  }

  @Mutation(() => ForumCycle, {
    nullable: true,
    description:
      `Records a forum's PDCA cycle for a fiscal year, or (with \`expectedVersion\`) changes it: CONFLICT on a stale version or ` +
      `when one is already recorded. Refused for a year before the forum was set up. ${WRITES}`,
  })
  recordForumCycle(
    @Arg('forumId', () => ID, { description: 'The forum (a UUID).' }) forumId: string,
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year of the cycle (FY2024 = April 2024 to March 2025).' }) fiscalYear: number,
    @Arg('input', () => ForumCycleInput, { description: 'The cycle.' }) input: ForumCycleInput,
    @Arg('expectedVersion', () => Int, {
      nullable: true,
      description: "Omit to record the year's first cycle; to change it, the `version` you last read (stale → CONFLICT).",
    })
    expectedVersion: number | null,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ForumCycle | null> {
    return recordForumCycle(ctx, info, { forumId, fiscalYear, input, expectedVersion: expectedVersion ?? null, idempotencyKey });
  }
}

/** The forum's record of its work, as fields of Forum. */
@Resolver(() => Forum)
export class ForumRecordFieldsResolver {
  @FieldResolver(() => [ForumMeeting], {
    description:
      'The meetings the forum held, newest first; of one fiscal year when given. Public: that and when a forum met (its minutes are guarded field by field).',
  })
  meetings(
    @Root() f: Forum,
    @Arg('fiscalYear', () => Int, { nullable: true, description: 'Only meetings of this fiscal year (FY2024 = April 2024 to March 2025).' })
    fiscalYear: number | null,
    @Arg('latest', () => Int, { nullable: true, description: 'At most this many, the newest (1–100).' }) latest: number | null,
    @Ctx() ctx: Context,
  ): Promise<ForumMeeting[]> {
    return meetingsOf(ctx, f, fiscalYear ?? null, latest ?? null);
  }

  @FieldResolver(() => Int, { description: 'How many meetings the forum held in a fiscal year (from its meeting records; public).' })
  async meetingsHeld(
    @Root() f: Forum,
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year (FY2024 = April 2024 to March 2025).' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<number> {
    return meetingsHeld(ctx, f, fiscalYear);
  }

  @FieldResolver(() => [ForumCycle], {
    nullable: true,
    description: `The forum's PDCA cycles, newest year first; of one fiscal year when given. ${MINUTES_NOTE}`,
  })
  cycles(
    @Root() f: Forum,
    @Arg('fiscalYear', () => Int, { nullable: true, description: 'Only the cycle of this fiscal year.' }) fiscalYear: number | null,
    @Ctx() ctx: Context,
  ): Promise<ForumCycle[]> {
    return cyclesOf(ctx, f, fiscalYear ?? null);
  }
}
