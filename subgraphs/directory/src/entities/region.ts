import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A disability health and welfare region (障害保健福祉圏域): a group of municipalities inside a prefecture, ' +
    'where multi-layer cooperation is organised. DEMO DATA: no official list of the regions can be had ' +
    'here, so the hub generates them deterministically (each designated city its own region; the other ' +
    'municipalities grouped in code order, about seven to a region). `isDemo` is true for every one.',
})
@Entity('region')
export class Region {
  @Field(() => ID, { description: 'Region id: the 2-digit prefecture number, a dash and a 2-digit serial, e.g. "13-02".' })
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Field(() => String, { description: 'Name of the region.' })
  @Column({ type: 'text' })
  name!: string;

  @Index()
  @Column({ type: 'char', length: 6, name: 'prefecture_code' })
  prefectureCode!: string;

  @Field(() => Boolean, { description: 'True: generated demo data, not an official region.' })
  @Column({ type: 'boolean', name: 'is_demo', default: true })
  isDemo!: boolean;
}
