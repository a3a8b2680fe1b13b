import { LocalGovCodeScalar } from '@nimo/kit';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JurisdictionKind } from '../enums';

@Directive('@key(fields: "code")')
@ObjectType({
  description:
    'A local government of Japan: a prefecture (都道府県), a municipality (市区町村, the 23 special wards ' +
    'included) or an administrative ward (行政区) of a designated city. Names and codes are real (from the ' +
    'national list of local government codes); regions, daily-life areas, organisations and forums linked ' +
    'to it are demo data where they say so.',
})
@Entity('jurisdiction')
export class Jurisdiction {
  @Field(() => LocalGovCodeScalar, { description: '6-digit local government code (全国地方公共団体コード), the key.' })
  @PrimaryColumn({ type: 'char', length: 6 })
  code!: string;

  @Field(() => String, { description: 'Official name in Japanese, e.g. 千代田区.' })
  @Column({ type: 'text' })
  name!: string;

  @Field(() => String, { description: 'Reading of the name in hiragana, e.g. ちよだく.' })
  @Column({ type: 'text', name: 'name_kana' })
  nameKana!: string;

  @Field(() => JurisdictionKind, { description: 'What kind of local government this is.' })
  @Index()
  @Column({ type: 'text' })
  kind!: JurisdictionKind;

  @Field(() => Boolean, {
    description:
      'Whether this jurisdiction runs its own public health centre (保健所設置自治体): prefectures, designated ' +
      'and core cities, the other health-centre cities (小樽市, 町田市, 藤沢市, 茅ヶ崎市, 四日市市) and the special wards.',
  })
  @Column({ type: 'boolean', name: 'runs_public_health_centre' })
  runsPublicHealthCentre!: boolean;

  @Field(() => Boolean, {
    description:
      'True for the six villages of the Northern Territories (北方領土: 色丹村, 泊村, 留夜別村, 留別村, 紗那村, ' +
      "蘂取村). They hold local government codes, but Japan's administration does not reach them today: they " +
      'have no organisations, forums or regions, and lists leave them out unless asked.',
  })
  @Column({ type: 'boolean', name: 'administration_suspended', default: false })
  administrationSuspended!: boolean;

  @Index()
  @Column({ type: 'char', length: 6, name: 'prefecture_code' })
  prefectureCode!: string;

  @Index()
  @Column({ type: 'char', length: 6, name: 'parent_code', nullable: true })
  parentCode!: string | null;

  @Index()
  @Column({ type: 'text', name: 'region_id', nullable: true })
  regionId!: string | null;
}
