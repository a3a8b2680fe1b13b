import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Audience, OrganiserKind } from '../enums';

@ObjectType({
  description:
    'A training course (研修): who organises it, whom it is for, its curriculum and the construction promotion ' +
    'program item it serves. Courses with `isDemo: true` are generated demo data.',
})
@Entity('course')
export class Course {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Field(() => String, { description: 'Title in Japanese, e.g. 市町村精神保健福祉相談担当者研修.' })
  @Column({ type: 'text' })
  title!: string;

  @Field(() => OrganiserKind, { description: 'What kind of body organises the course.' })
  @Column({ type: 'text', name: 'organiser_kind' })
  organiserKind!: OrganiserKind;

  @Column({ type: 'char', length: 6, name: 'organiser_jurisdiction_code', nullable: true })
  organiserJurisdictionCode!: string | null;

  @Column({ type: 'uuid', name: 'organiser_organization_id', nullable: true })
  organiserOrganizationId!: string | null;

  @Field(() => Audience, { description: 'Whom the course is for.' })
  @Column({ type: 'text' })
  audience!: Audience;

  @Field(() => [String], { description: 'The curriculum: its units in order.' })
  @Column({ type: 'text', array: true })
  curriculum!: string[];

  @Field(() => Int, {
    nullable: true,
    description:
      'The item (1–14) of the construction promotion program (構築推進事業) the course serves, e.g. 11 (training for ' +
      'community-transition staff); null for trainings of the construction support program (e.g. adviser trainings).',
  })
  @Column({ type: 'smallint', name: 'program_item', nullable: true })
  programItem!: number | null;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo' })
  isDemo!: boolean;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it back when changing the course.' })
  @Column({ type: 'integer' })
  version!: number;
}
