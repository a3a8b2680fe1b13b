import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { SupportMode, SupportRequestStatus } from '../enums';

@ObjectType({
  description:
    'A request for support from a jurisdiction taking part in the construction support program to the national adviser ' +
    'organisation: how (mode), about which item (topic), its lifecycle, the adviser assigned and the outcome. ' +
    'Rows with `isDemo: true` are generated demo data.',
})
@Entity('support_request')
export class SupportRequest {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Filing order (a sequence), the keyset of pages. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Index()
  @Column({ type: 'char', length: 6, name: 'jurisdiction_code' })
  jurisdictionCode!: string;

  @Field(() => Int, { description: 'The fiscal year the request belongs to.' })
  @Column({ type: 'int', name: 'fiscal_year' })
  fiscalYear!: number;

  @Field(() => SupportMode, { description: 'How the jurisdiction wants to be supported.' })
  @Column({ type: 'text' })
  mode!: SupportMode;

  @Field(() => Int, { description: 'The topic: the number (1–14) of the construction promotion program item it is about; see `topic`.' })
  @Column({ type: 'int', name: 'topic_item' })
  topicItem!: number;

  @Field(() => String, { description: 'Short subject.' })
  @Column({ type: 'text' })
  subject!: string;

  @Field(() => String, { description: 'What the jurisdiction asks, in words (no personal data of residents).' })
  @Column({ type: 'text' })
  detail!: string;

  @Field(() => SupportRequestStatus, { description: 'Where the request stands.' })
  @Index()
  @Column({ type: 'text' })
  status!: SupportRequestStatus;

  @Index()
  @Column({ type: 'uuid', name: 'adviser_id', nullable: true })
  adviserId!: string | null;

  @Field(() => String, { nullable: true, description: 'The outcome, recorded when the request is completed.' })
  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected, put on hold or cancelled (the last such note).' })
  @Column({ type: 'text', name: 'status_note', nullable: true })
  statusNote!: string | null;

  @Field(() => DateTimeISOResolver, { description: 'When it was filed.' })
  @Column({ type: 'timestamptz', name: 'requested_at' })
  requestedAt!: Date;

  @Field(() => DateTimeISOResolver, { description: 'When it last changed.' })
  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it back with every change; a stale version is refused with CONFLICT.' })
  @Column({ type: 'int', default: 1 })
  version!: number;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}
