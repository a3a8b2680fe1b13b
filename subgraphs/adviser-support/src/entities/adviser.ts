import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { AdviserKind } from '../enums';

@ObjectType({
  description:
    'An adviser of the national adviser organisation (国（アドバイザー組織）): a practitioner with experience in building the ' +
    'system. Demo advisers are pseudonymous (e.g. 「広域アドバイザーA（デモ）」) and marked `isDemo`.',
})
@Entity('adviser')
export class Adviser {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Field(() => String, { description: 'Display name (a pseudonym for demo advisers).' })
  @Column({ type: 'text', name: 'display_name' })
  displayName!: string;

  @Field(() => AdviserKind, { description: 'Wide-area or prefecture-embedded.' })
  @Index()
  @Column({ type: 'text' })
  kind!: AdviserKind;

  @Field(() => String, { description: 'Affiliation and profession, in words (e.g. 精神科病院・精神保健福祉士).' })
  @Column({ type: 'text' })
  affiliation!: string;

  @Field(() => [Int], { description: 'Items of the construction promotion program (1–14) the adviser is experienced in.' })
  @Column({ type: 'int', array: true, name: 'expertise_items' })
  expertiseItems!: number[];

  @Field(() => String, { description: 'Expertise in words.' })
  @Column({ type: 'text' })
  expertise!: string;

  @Field(() => Boolean, { description: 'True: generated demo data (a pseudonymous person).' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}

@ObjectType({ description: 'An adviser assigned to a jurisdiction for a fiscal year.' })
@Entity('adviser_assignment')
export class AdviserAssignment {
  @PrimaryColumn({ type: 'uuid', name: 'adviser_id' })
  adviserId!: string;

  @PrimaryColumn({ type: 'char', length: 6, name: 'jurisdiction_code' })
  jurisdictionCode!: string;

  @Field(() => Int, { description: 'The fiscal year of the assignment.' })
  @PrimaryColumn({ type: 'int', name: 'fiscal_year' })
  fiscalYear!: number;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}

@ObjectType({
  description:
    'A construction promotion supporter (構築推進サポーター): a local practitioner who backs up the consultation forums of a ' +
    'jurisdiction (item 8 of the construction promotion program). Demo supporters are pseudonymous.',
})
@Entity('promotion_supporter')
@Index(['jurisdictionCode', 'fiscalYear'])
export class PromotionSupporter {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Field(() => String, { description: 'Display name (a pseudonym for demo supporters).' })
  @Column({ type: 'text', name: 'display_name' })
  displayName!: string;

  @Column({ type: 'char', length: 6, name: 'jurisdiction_code' })
  jurisdictionCode!: string;

  @Field(() => Int, { description: 'The fiscal year the supporter is registered for.' })
  @Column({ type: 'int', name: 'fiscal_year' })
  fiscalYear!: number;

  @Field(() => String, { description: 'Background in words (e.g. ピアサポーター, 訪問看護師).' })
  @Column({ type: 'text' })
  background!: string;

  @Field(() => Boolean, { description: 'True: generated demo data (a pseudonymous person).' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}
