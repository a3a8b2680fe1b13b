import { LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ForumLevel, ForumMemberRole } from '../enums';

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A consultation forum (協議の場) of health, medical and welfare stakeholders, per municipality, region or ' +
    'prefecture. Setting one up is the one mandatory item of the construction promotion program. ' +
    'Forums with `isDemo: true` are generated demo data.',
})
@Entity('forum')
export class Forum {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Field(() => String, { description: 'Name of the forum.' })
  @Column({ type: 'text' })
  name!: string;

  @Field(() => ForumLevel, { description: 'The tier the forum serves.' })
  @Index()
  @Column({ type: 'text' })
  level!: ForumLevel;

  /** The municipality or prefecture of a MUNICIPALITY or PREFECTURE forum. */
  @Index()
  @Column({ type: 'char', length: 6, name: 'jurisdiction_code', nullable: true })
  jurisdictionCode!: string | null;

  @Index()
  @Column({ type: 'text', name: 'region_id', nullable: true })
  regionId!: string | null;

  @Index()
  @Column({ type: 'char', length: 6, name: 'prefecture_code' })
  prefectureCode!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When the forum was set up.' })
  @Column({ type: 'date', name: 'established_on', nullable: true })
  establishedOn!: string | null;

  /** Loaded by the seed for older readers; the API answers `meetingsLastYear` from the meeting records. */
  @Column({ type: 'int', name: 'meetings_last_year', nullable: true })
  meetingsLastYear!: number | null;

  @Field(() => Boolean, { description: 'True: generated demo data.' })
  @Column({ type: 'boolean', name: 'is_demo', default: true })
  isDemo!: boolean;
}

@ObjectType({ description: 'A member of a consultation forum: the part it plays and, where it is one, the organisation.' })
@Entity('forum_member')
export class ForumMember {
  @PrimaryColumn({ type: 'uuid', name: 'forum_id' })
  forumId!: string;

  @PrimaryColumn({ type: 'int' })
  position!: number;

  @Field(() => ForumMemberRole, { description: 'The part the member plays.' })
  @Column({ type: 'text' })
  role!: ForumMemberRole;

  @Field(() => String, { description: 'Who the member is, in words (persons are never named).' })
  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'uuid', name: 'organization_id', nullable: true })
  organizationId!: string | null;
}
