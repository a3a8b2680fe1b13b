import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LocalDateResolver } from 'graphql-scalars';
import { ReferralStatus, ReferralTarget } from '../enums';

@ObjectType('Referral', {
  description:
    'A referral (つなぎ) between the municipality and another organisation, either way: the municipal desk refers its case ' +
    'to the second line (FROM_MUNICIPALITY; the receiver answers), or a public health centre, mental health and welfare ' +
    'centre, hospital or other organisation refers a person to the municipal desk (TO_MUNICIPALITY; the municipality ' +
    "answers, and the case is the municipality's). Seen by the owning municipality, by the receiving organisation while " +
    'it is open (REQUESTED, ACCEPTED, IN_PROGRESS), and by the organisation that sent it.',
})
@Entity('referral')
export class Referral {
  @Field(() => ID, { description: 'The referral id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'char', length: 6, name: 'municipality_code' })
  municipalityCode!: string;

  @Field(() => ReferralTarget, { description: 'The kind of organisation the person is referred to (MUNICIPALITY for a referral to the municipal desk).' })
  @Column({ type: 'text' })
  target!: ReferralTarget;

  @Field(() => ReferralTarget, { description: 'The kind of organisation that made the referral (MUNICIPALITY for one the municipal desk made).' })
  @Column({ type: 'text', name: 'from_kind', default: ReferralTarget.MUNICIPALITY })
  fromKind!: ReferralTarget;

  /** The organisation that made a referral to the municipality; null for one the municipality made. */
  @Column({ type: 'uuid', name: 'from_organization_id', nullable: true })
  fromOrganizationId!: string | null;

  @Column({ type: 'uuid', name: 'to_organization_id' })
  toOrganizationId!: string;

  @Field(() => ReferralStatus, { description: 'Where the referral stands.' })
  @Column({ type: 'text' })
  status!: ReferralStatus;

  @Column({ type: 'text', name: 'reason_key_id' })
  reasonKeyId!: string;

  @Column({ type: 'bytea', name: 'reason_ciphertext' })
  reasonCiphertext!: Buffer;

  @Column({ type: 'text', name: 'response_key_id', nullable: true })
  responseKeyId!: string | null;

  @Column({ type: 'bytea', name: 'response_ciphertext', nullable: true })
  responseCiphertext!: Buffer | null;

  @Field(() => LocalDateResolver, { description: 'The day the municipality sent the referral.' })
  @Column({ type: 'date', name: 'requested_on' })
  requestedOn!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'The day the receiving organisation accepted or declined it; null before.' })
  @Column({ type: 'date', name: 'responded_on', nullable: true })
  respondedOn!: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'The day it was completed, declined or cancelled; null while open.' })
  @Column({ type: 'date', name: 'ended_on', nullable: true })
  endedOn!: string | null;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it as `expectedVersion` to change the referral.' })
  @Column({ type: 'int' })
  version!: number;

  @Field(() => Boolean, { description: 'True for generated demonstration data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
