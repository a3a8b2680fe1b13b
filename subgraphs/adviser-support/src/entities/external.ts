import { LocalGovCodeScalar } from '@nimo/kit';
import { Directive, Field, Int, ObjectType } from 'type-graphql';

/** The directory's forum counts at the end of a fiscal year (fields owned by the directory). */
@ObjectType('ForumCoverageYear')
export class ForumCoverageYear {
  @Directive('@external')
  @Field(() => Int)
  fiscalYear!: number;

  @Directive('@external')
  @Field(() => Boolean)
  ownForum!: boolean;

  @Directive('@external')
  @Field(() => Int)
  regionsWithForum!: number;

  @Directive('@external')
  @Field(() => Int)
  municipalitiesWithForum!: number;

  @Directive('@external')
  @Field(() => Boolean)
  ownForumMet!: boolean;

  @Directive('@external')
  @Field(() => Int)
  regionsWithForumMet!: number;

  @Directive('@external')
  @Field(() => Int)
  municipalitiesWithForumMet!: number;
}

/** The training subgraph's staff trained by the end of a fiscal year (fields owned by the training subgraph). */
@ObjectType('TrainedStaffAtYearEnd')
export class TrainedStaffAtYearEnd {
  @Directive('@external')
  @Field(() => Int)
  fiscalYear!: number;

  @Directive('@external')
  @Field(() => Int)
  trainedStaff!: number;
}

/**
 * Forum counts of an area for one fiscal year as the evaluation uses them: the forums set up by the
 * year's end, and of those the ones that met in the year (from the forums' meeting records).
 */
export interface ForumCoverageCounts {
  ownForum: boolean;
  regions: number;
  regionsWithForum: number;
  municipalities: number;
  municipalitiesWithForum: number;
  ownForumMet: boolean;
  regionsWithForumMet: number;
  municipalitiesWithForumMet: number;
}

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

  @Directive('@external')
  @Field(() => [ForumCoverageYear])
  history!: ForumCoverageYear[];
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
  @Field(() => [TrainedStaffAtYearEnd], { nullable: true })
  trainedStaffHistory?: TrainedStaffAtYearEnd[] | null;
}
