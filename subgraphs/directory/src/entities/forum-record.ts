import { LocalDateResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ForumCycleStage, ForumMemberRole } from '../enums';

/** The record-of-work fields only the forum's own jurisdiction and the tiers above may read (see `policy.ts`). */
export const MINUTES_NOTE =
  "Minutes: the forum's own jurisdiction and the tiers above (its prefecture, the nation, the adviser organisation) read it; anyone else gets null with a FORBIDDEN error.";

@ObjectType({ description: 'How many attended a forum meeting in one member role.' })
export class ForumAttendance {
  @Field(() => ForumMemberRole, { description: 'The part those attending played.' })
  role!: ForumMemberRole;

  @Field(() => Int, { description: 'How many attended in that role (persons are never named).' })
  count!: number;
}

@ObjectType({
  description:
    'A meeting of a consultation forum (協議の場). Everyone may see that a forum met and when (an activity indicator of the ' +
    'evaluation of construction status); the minutes — attendance, agenda, the needs and issues shared, decisions — are ' +
    "for the forum's own jurisdiction and the tiers above. Meetings with `isDemo: true` are generated demo data.",
})
@Entity('forum_meeting')
export class ForumMeeting {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'forum_id' })
  forumId!: string;

  /** The jurisdiction that keeps the record (the forum's municipality or prefecture; a region forum's prefecture). */
  @Column({ type: 'char', length: 6, name: 'owner_code' })
  ownerCode!: string;

  @Field(() => LocalDateResolver, { description: 'The day the meeting was held (in Japan).' })
  @Column({ type: 'date', name: 'held_on' })
  heldOn!: string;

  @Field(() => Int, { description: 'The fiscal year (April to March) the meeting was held in: FY2024 = April 2024 to March 2025.' })
  @Column({ type: 'int', name: 'fiscal_year' })
  fiscalYear!: number;

  @Column({ type: 'jsonb' })
  attendance!: ForumAttendance[];

  @Column({ type: 'text', array: true })
  agenda!: string[];

  @Column({ type: 'text', array: true, name: 'needs_shared' })
  needsShared!: string[];

  @Column({ type: 'text', array: true })
  decisions!: string[];

  @Field(() => Int, { description: 'Optimistic-concurrency version: pass it as `expectedVersion` to `updateForumMeeting`.' })
  @Column({ type: 'int', default: 1 })
  version!: number;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}

@ObjectType({ description: 'An indicator a forum planned for a fiscal year, with its target and, once checked, the value reached.' })
export class ForumCycleIndicator {
  @Field(() => String, { description: 'What is measured, in words (e.g. 「ピアサポーターの活動回数」).' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The unit of the target and the value (e.g. 回, 人, %); null when none.' })
  unit!: string | null;

  @Field(() => Float, { nullable: true, description: 'The target set in the plan; null when the indicator is only watched.' })
  target!: number | null;

  @Field(() => Float, { nullable: true, description: 'The value reached, recorded at the check; null until checked.' })
  actual!: number | null;
}

@ObjectType({
  description:
    "A forum's PDCA cycle for one fiscal year, as the national portal describes building the system: share the area's " +
    'issues and set goals and indicators (Plan), work through individual support (Do, the meetings), check the results ' +
    "against the evaluation of construction status (Check; the jurisdiction's `evaluation(fiscalYear)` holds the " +
    "evaluation's figures) and take action (Act). " +
    MINUTES_NOTE,
})
@Entity('forum_cycle')
export class ForumCycle {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'forum_id' })
  forumId!: string;

  @Column({ type: 'char', length: 6, name: 'owner_code' })
  ownerCode!: string;

  @Field(() => Int, { description: 'The fiscal year the cycle is for (FY2024 = April 2024 to March 2025).' })
  @Column({ type: 'int', name: 'fiscal_year' })
  fiscalYear!: number;

  @Field(() => [String], { description: 'Plan: the goals set for the year.' })
  @Column({ type: 'text', array: true })
  goals!: string[];

  @Field(() => [ForumCycleIndicator], { description: 'Plan and check: the indicators planned, with the values reached once checked.' })
  @Column({ type: 'jsonb' })
  indicators!: ForumCycleIndicator[];

  @Field(() => LocalDateResolver, { description: 'When the plan was agreed.' })
  @Column({ type: 'date', name: 'planned_on' })
  plannedOn!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Check: when the results were checked against the evaluation; null until then.' })
  @Column({ type: 'date', name: 'checked_on', nullable: true })
  checkedOn!: string | null;

  @Field(() => String, { nullable: true, description: 'Check: what the check against the evaluation found; null until checked.' })
  @Column({ type: 'text', name: 'check_findings', nullable: true })
  checkFindings!: string | null;

  @Field(() => [String], { description: 'Act: the actions taken on the findings (empty until then).' })
  @Column({ type: 'text', array: true })
  actions!: string[];

  @Field(() => LocalDateResolver, { nullable: true, description: 'Act: when the actions were decided; null until then.' })
  @Column({ type: 'date', name: 'acted_on', nullable: true })
  actedOn!: string | null;

  @Field(() => ForumCycleStage, { description: 'How far the cycle has come: PLANNED, CHECKED or ACTED.' })
  stage(): ForumCycleStage {
    return this.actedOn !== null ? ForumCycleStage.ACTED : this.checkedOn !== null ? ForumCycleStage.CHECKED : ForumCycleStage.PLANNED;
  }

  @Field(() => Int, { description: 'Optimistic-concurrency version: pass it as `expectedVersion` to `recordForumCycle` to change the cycle.' })
  @Column({ type: 'int', default: 1 })
  version!: number;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}
