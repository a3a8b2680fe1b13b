import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Delivery, SessionState } from '../enums';

@ObjectType({ description: 'One run of a course (開催回): dates, online or on site, capacity and state. Demo data where `isDemo` says so.' })
@Entity('training_session')
export class TrainingSession {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'course_id' })
  courseId!: string;

  @Field(() => String, { description: 'First day (YYYY-MM-DD, Japan).' })
  @Column({ type: 'date', name: 'starts_on' })
  startsOn!: string;

  @Field(() => String, { description: 'Last day (YYYY-MM-DD, Japan); the same as `startsOn` for a one-day session.' })
  @Column({ type: 'date', name: 'ends_on' })
  endsOn!: string;

  @Field(() => Int, { description: 'The fiscal year (April–March) the session starts in, e.g. 2024 for 2024-04-01 … 2025-03-31.' })
  @Column({ type: 'smallint', name: 'fiscal_year' })
  fiscalYear!: number;

  @Field(() => Delivery, { description: 'Online or on site.' })
  @Column({ type: 'text' })
  delivery!: Delivery;

  @Column({ type: 'char', length: 6, name: 'venue_jurisdiction_code', nullable: true })
  venueJurisdictionCode!: string | null;

  @Field(() => Int, { description: 'How many places the session has.' })
  @Column({ type: 'integer' })
  capacity!: number;

  @Field(() => SessionState, { description: 'Where the session stands.' })
  @Column({ type: 'text' })
  state!: SessionState;

  @Column({ type: 'integer', name: 'completion_serial' })
  completionSerial!: number;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo' })
  isDemo!: boolean;

  @Field(() => Int, { description: "Version for optimistic concurrency: pass it back when changing the session's state." })
  @Column({ type: 'integer' })
  version!: number;
}
