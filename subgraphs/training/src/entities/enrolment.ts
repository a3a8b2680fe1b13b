import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EnrolmentState } from '../enums';

@ObjectType({
  description:
    "A staff member's enrolment in a training session: enrolled or wait-listed, then attendance and completion as " +
    "the organiser records them. Visible to the staff member's organisation and to the session's organiser.",
})
@Entity('enrolment')
export class Enrolment {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ type: 'uuid', name: 'session_id' })
  sessionId!: string;

  @Column({ type: 'uuid', name: 'staff_id' })
  staffId!: string;

  @Field(() => EnrolmentState, { description: 'Where the enrolment stands.' })
  @Column({ type: 'text' })
  state!: EnrolmentState;

  @Field(() => Date, { description: 'When the enrolment was asked for (wait-list order is first come, first served).' })
  @Column({ type: 'timestamptz', name: 'requested_at' })
  requestedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Day of completion (YYYY-MM-DD); null until completed.' })
  @Column({ type: 'date', name: 'completed_on', nullable: true })
  completedOn!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Completion certificate number (修了証番号), unique: TR-<fiscal year>-<organiser code or 000000>-<first 8 hex digits of the session id>-<serial in the session, 4 digits>; null until completed.',
  })
  @Column({ type: 'text', name: 'certificate_number', nullable: true })
  certificateNumber!: string | null;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo' })
  isDemo!: boolean;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it back when cancelling or recording attendance or completion.' })
  @Column({ type: 'integer' })
  version!: number;
}
