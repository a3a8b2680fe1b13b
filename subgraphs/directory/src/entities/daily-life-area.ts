import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@ObjectType({
  description:
    'A daily-life area (日常生活圏域) of a municipality: the basic unit of care, usually a junior-high-school ' +
    'district. DEMO DATA, generated deterministically (a village has one, a town two, a city three to six).',
})
@Entity('daily_life_area')
export class DailyLifeArea {
  @Field(() => ID, { description: 'Area id: the municipality\'s code, a dash and a 2-digit serial, e.g. "131016-01".' })
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Field(() => String, { description: 'Name of the area.' })
  @Column({ type: 'text' })
  name!: string;

  @Index()
  @Column({ type: 'char', length: 6, name: 'municipality_code' })
  municipalityCode!: string;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: true })
  isDemo!: boolean;
}
