import { Guard } from '@nimo/kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Qualification } from '../enums';
import { seesStaff } from '../policy';

@ObjectType({
  description:
    'A member of staff of an organisation (the workforce that training builds). Personal data: visible to the ' +
    "staff member's own organisation and to the organiser of a session they enrolled in; others get aggregates " +
    'only. Demo staff are pseudonymous (e.g. 職員 A-0123) and marked `isDemo`.',
})
@Entity('staff_member')
export class StaffMember {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'organization_id' })
  organizationId!: string;

  @Column({ type: 'char', length: 6, name: 'jurisdiction_code' })
  jurisdictionCode!: string;

  @Column({ type: 'char', length: 6, name: 'municipality_code', nullable: true })
  municipalityCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Display name (pseudonymous in demo data). Personal data: null with FORBIDDEN for those who may not see it.',
  })
  @Guard<StaffMember>(seesStaff, "this staff member's personal data")
  @Column({ type: 'text', name: 'display_name' })
  displayName!: string;

  @Field(() => [Qualification], {
    nullable: true,
    description: 'Professional qualifications. Personal data: null with FORBIDDEN for those who may not see it.',
  })
  @Guard<StaffMember>(seesStaff, "this staff member's personal data")
  @Column({ type: 'text', array: true })
  qualifications!: Qualification[];

  @Field(() => Boolean, { description: 'Whether the staff member does mental-health consultation (相談担当) at a municipal desk.' })
  @Column({ type: 'boolean', name: 'consultation_staff' })
  consultationStaff!: boolean;

  @Field(() => Boolean, { description: 'True: generated, pseudonymous demo data.' })
  @Column({ type: 'boolean', name: 'is_demo' })
  isDemo!: boolean;

  @Field(() => Int, { description: 'Version for optimistic concurrency.' })
  @Column({ type: 'integer' })
  version!: number;

  /** Set by the loader (SQL, same rule as the policy): the principal organises a session this staff member enrolled in. */
  organiserView?: boolean;
}
