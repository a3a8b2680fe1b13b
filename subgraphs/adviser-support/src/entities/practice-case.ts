import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@ObjectType({
  description:
    'A practice case (事例集) compiled by the program secretariat for the portal: what a jurisdiction did for which items. ' +
    'Cases with `isDemo: true` are generated demo data.',
})
@Entity('practice_case')
export class PracticeCase {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Field(() => String, { description: 'Title.' })
  @Column({ type: 'text' })
  title!: string;

  @Index()
  @Column({ type: 'char', length: 6, name: 'jurisdiction_code' })
  jurisdictionCode!: string;

  @Field(() => Int, { description: 'The fiscal year the practice is from.' })
  @Column({ type: 'int', name: 'fiscal_year' })
  fiscalYear!: number;

  @Field(() => [Int], { description: 'Numbers (1–14) of the construction promotion program items the case addresses.' })
  @Column({ type: 'int', array: true, name: 'item_numbers' })
  itemNumbers!: number[];

  @Field(() => String, { description: 'Summary of the practice.' })
  @Column({ type: 'text' })
  summary!: string;

  @Field(() => [String], { description: 'Free tags (e.g. ピアサポート, 退院支援).' })
  @Column({ type: 'text', array: true })
  tags!: string[];

  /** Title, summary, tags and the jurisdiction's name and kana, NFKC-normalised, lower-cased, katakana folded to hiragana. */
  @Column({ type: 'text', name: 'search_text' })
  searchText!: string;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}
