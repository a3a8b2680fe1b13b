import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { Program } from '../enums';

@ObjectType({ description: 'One item of the construction promotion program (構築推進事業, 【事業内容】 1–14 in the seed document).' })
export class ProgramItem {
  @Field(() => Int, { description: "The item's number, 1 to 14 (1 is mandatory)." })
  number!: number;

  @Field(() => String, { description: 'The item as the seed document names it, in Japanese.' })
  nameJa!: string;

  @Field(() => String, { description: 'The item in English.' })
  name!: string;

  @Field(() => Boolean, { description: 'True for item 1, the one every participation must include.' })
  mandatory!: boolean;
}

/** What a participation's budget figure is (the schema says it once, for the field and the input). */
export const BUDGET_FIGURE =
  'The national subsidy (国庫補助額) granted to the jurisdiction for the construction promotion program in this fiscal year, in ' +
  "thousand yen (千円): its share of the national budget (`nationalBudgets`, the seed's 予算額), so the figures of one program " +
  'and fiscal year add up to no more than that national budget (a write that would exceed it is refused). It is not the ' +
  "project's cost (事業費): the subsidy is a part of that cost and the jurisdiction bears the rest. Always null for " +
  'CONSTRUCTION_SUPPORT, whose budget the nation spends itself (adviser organisation, secretariat); null when not reported.';

@ObjectType({
  description:
    'The national budget of one program in one fiscal year, in thousand yen. Real figures from the seed document ' +
    '(MHLW); `source` quotes where each comes from.',
})
@Entity('national_budget')
export class NationalBudget {
  @Field(() => Program, { description: 'The program.' })
  @PrimaryColumn({ type: 'text' })
  program!: Program;

  @Field(() => Int, { description: 'The fiscal year (年度, April to March): 2023 = 令和5年度.' })
  @PrimaryColumn({ type: 'int', name: 'fiscal_year' })
  fiscalYear!: number;

  @Field(() => Int, {
    description: "The national budget in thousand yen (千円): the sum the participants' subsidies (`ProgramParticipation.budgetThousandYen`) stay within.",
  })
  @Column({ type: 'int', name: 'thousand_yen' })
  thousandYen!: number;

  @Field(() => String, { description: 'Where the figure comes from.' })
  @Column({ type: 'text' })
  source!: string;
}

@ObjectType({
  description:
    "A jurisdiction's participation in one national program in one fiscal year: for the construction promotion program " +
    'the items it implements (item 1 always included) and its budget. Rows with `isDemo: true` are generated demo data.',
})
@Entity('program_participation')
@Unique('program_participation_once', ['jurisdictionCode', 'fiscalYear', 'program'])
export class ProgramParticipation {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index()
  @Column({ type: 'char', length: 6, name: 'jurisdiction_code' })
  jurisdictionCode!: string;

  @Field(() => Int, { description: 'The fiscal year (年度, April to March).' })
  @Column({ type: 'int', name: 'fiscal_year' })
  fiscalYear!: number;

  @Field(() => Program, { description: 'The program.' })
  @Column({ type: 'text' })
  program!: Program;

  @Field(() => [Int], {
    description: 'Numbers of the items implemented, ascending (construction promotion program; empty for the construction support program).',
  })
  @Column({ type: 'int', array: true, name: 'item_numbers' })
  itemNumbers!: number[];

  @Field(() => Int, { nullable: true, description: BUDGET_FIGURE })
  @Column({ type: 'int', name: 'budget_thousand_yen', nullable: true })
  budgetThousandYen!: number | null;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it back to change the participation.' })
  @Column({ type: 'int', default: 1 })
  version!: number;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}
