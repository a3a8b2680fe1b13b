import { LocalGovCodeScalar } from '@nimo/kit';
import { Directive, Field, Int, ObjectType } from 'type-graphql';

/** The directory's forum coverage, as this subgraph receives it through `@requires` (fields owned by the directory). */
@ObjectType('ForumCoverage')
export class ForumCoverage {
  @Directive('@external')
  @Field(() => Boolean)
  ownForum!: boolean;

  @Directive('@external')
  @Field(() => Int)
  regions!: number;

  @Directive('@external')
  @Field(() => Int)
  regionsWithForum!: number;

  @Directive('@external')
  @Field(() => Int)
  municipalities!: number;

  @Directive('@external')
  @Field(() => Int)
  municipalitiesWithForum!: number;
}

/**
 * The directory's Jurisdiction entity, extended here by key: programParticipation, advisers,
 * supportRequests and evaluation (resolvers/jurisdiction.ts). Descriptions of the type and of the
 * external fields come from the directory.
 */
@Directive('@key(fields: "code")')
@ObjectType('Jurisdiction')
export class Jurisdiction {
  @Field(() => LocalGovCodeScalar, { description: '6-digit local government code (全国地方公共団体コード), the key.' })
  code!: string;

  @Directive('@external')
  @Field(() => ForumCoverage)
  forumCoverage?: ForumCoverage;

  /** From the training subgraph (see federation.ts). */
  @Directive('@external')
  @Field(() => Int, { nullable: true, description: 'Staff trained, cumulative (the training subgraph\'s figure, required for the evaluation).' })
  trainedStaffTotal?: number | null;
}
