import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LocalDateResolver } from 'graphql-scalars';
import { Guard } from '@nimo/kit';
import { AgeBand, CaseStatus, CloseReason, Need, Sex } from '../enums';
import { isCaseOwner } from '../policy';

@ObjectType('ConsultationCase', {
  description:
    'A consultation case (相談ケース) of one municipality, opened at one of its consultation desks. The person is ' +
    "pseudonymous: a reference of the municipality's own, an age band, a sex and the fields of need; never a name or " +
    'an ID number. Visible to the owning municipality, and — while a referral of it is open — in summary to the ' +
    'organisation it was referred to. Every read is recorded in the audit trail.',
})
@Entity('consultation_case')
export class ConsultationCase {
  @Field(() => ID, { description: 'The case id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'char', length: 6, name: 'municipality_code' })
  municipalityCode!: string;

  @Column({ type: 'uuid', name: 'desk_organization_id' })
  deskOrganizationId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The municipality's own pseudonymous reference for the person (never a name or ID number). Owning municipality only; null with FORBIDDEN for anyone else.",
  })
  @Guard<ConsultationCase>(isCaseOwner, 'the client reference of a case your municipality does not own')
  @Column({ type: 'text', name: 'client_reference' })
  clientReference!: string;

  @Field(() => AgeBand, { description: 'Age band of the person.' })
  @Column({ type: 'text', name: 'age_band' })
  ageBand!: AgeBand;

  @Field(() => Sex, { description: 'Sex of the person, as they state it.' })
  @Column({ type: 'text' })
  sex!: Sex;

  @Field(() => [Need], { description: 'The fields of need the case touches (at least one).' })
  @Column({ type: 'text', array: true })
  needs!: Need[];

  @Field(() => CaseStatus, { description: 'Where the case stands.' })
  @Column({ type: 'text' })
  status!: CaseStatus;

  @Field(() => CloseReason, { nullable: true, description: 'Why the case was closed; null unless CLOSED.' })
  @Column({ type: 'text', name: 'close_reason', nullable: true })
  closeReason!: CloseReason | null;

  @Field(() => LocalDateResolver, { description: 'The day the case was opened.' })
  @Column({ type: 'date', name: 'opened_on' })
  openedOn!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'The day of the first recorded contact; null before any.' })
  @Column({ type: 'date', name: 'first_contact_on', nullable: true })
  firstContactOn!: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'The day the case was closed; null unless CLOSED.' })
  @Column({ type: 'date', name: 'closed_on', nullable: true })
  closedOn!: string | null;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it as `expectedVersion` to change the case; every change adds one.' })
  @Column({ type: 'int' })
  version!: number;

  @Field(() => Boolean, { description: 'True for generated demonstration data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
