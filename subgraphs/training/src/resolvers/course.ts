import { connectionTypes, IdempotencyKeyArg, LocalGovCodeScalar, PageArgs, requireUuid } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { createCourse, listCourses } from '../courses';
import { Course } from '../entities/course';
import { Jurisdiction, Organization } from '../entities/external';
import { TrainingSession } from '../entities/session';
import { Audience, OrganiserKind } from '../enums';
import { organises } from '../policy';

export const { Connection: CourseConnection } = connectionTypes(Course, 'Course', 'course');

@InputType({ description: 'Filters for `courses`; all given filters apply together.' })
export class CourseFilter {
  @Field(() => Int, { nullable: true, description: 'Only courses serving this program item (1–14).' })
  programItem?: number | null;

  @Field(() => Audience, { nullable: true, description: 'Only courses for this audience.' })
  audience?: Audience | null;

  @Field(() => OrganiserKind, { nullable: true, description: 'Only courses of this kind of organiser.' })
  organiserKind?: OrganiserKind | null;

  @Field(() => LocalGovCodeScalar, {
    nullable: true,
    description: 'Only courses organised in this jurisdiction (a prefecture code covers the whole prefecture).',
  })
  organiserJurisdictionCode?: string | null;
}

@InputType({ description: 'A new training course.' })
export class CreateCourseInput {
  @Field(() => String, { description: 'Title in Japanese (1–200 characters).' })
  title!: string;

  @Field(() => OrganiserKind, { description: 'What kind of body organises it; it must be one the caller may act as.' })
  organiserKind!: OrganiserKind;

  @Field(() => LocalGovCodeScalar, {
    nullable: true,
    description:
      "The organiser's jurisdiction: a prefecture for PREFECTURE, a designated city for DESIGNATED_CITY, the centre's jurisdiction for the centres; omit for NATIONAL_SECRETARIAT.",
  })
  organiserJurisdictionCode?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The organising directory organisation (e.g. a mental health and welfare centre); must be the caller's own organisation.",
  })
  organiserOrganizationId?: string | null;

  @Field(() => Audience, { description: 'Whom the course is for.' })
  audience!: Audience;

  @Field(() => [String], { description: 'The curriculum units in order (1–50 units of 1–200 characters).' })
  curriculum!: string[];

  @Field(() => Int, {
    nullable: true,
    description: 'The construction promotion program item (1–14) it serves; omit for construction support program trainings.',
  })
  programItem?: number | null;
}

@Resolver(() => Course)
export class CourseResolver {
  @Query(() => Course, { nullable: true, description: 'A training course by id; null when unknown.' })
  course(@Arg('id', () => ID, { description: 'The course id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<Course | null> {
    return ctx.loaders.course.load(requireUuid('id', id));
  }

  @Query(() => CourseConnection, {
    description: 'Training courses by title, filtered, a page at a time. Open to everyone: the catalogue holds no personal data.',
  })
  courses(
    @Arg('filter', () => CourseFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: CourseFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listCourses(ctx, filter, page);
  }

  @FieldResolver(() => Jurisdiction, { nullable: true, description: "The organiser's jurisdiction; null for the national secretariat." })
  organiserJurisdiction(@Root() c: Course): Jurisdiction | null {
    return c.organiserJurisdictionCode ? { code: c.organiserJurisdictionCode } : null;
  }

  @FieldResolver(() => Organization, {
    nullable: true,
    description: 'The organising directory organisation, when one is named (e.g. a mental health and welfare centre).',
  })
  organiserOrganization(@Root() c: Course): Organization | null {
    return c.organiserOrganizationId ? { id: c.organiserOrganizationId } : null;
  }

  @FieldResolver(() => [TrainingSession], { description: "The course's sessions by start date." })
  sessions(@Root() c: Course, @Ctx() ctx: Context): Promise<TrainingSession[]> {
    return ctx.loaders.sessionsOfCourse.load(c.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller organises this course (and may run its sessions and record attendance and completion).' })
  viewerOrganises(@Root() c: Course, @Ctx() ctx: Context): boolean {
    return organises(ctx.principal, c);
  }

  @Mutation(() => Course, {
    description: 'Creates a training course. Only for an organiser acting for itself (see the organiser kinds). Idempotent with `idempotencyKey`.',
  })
  createCourse(
    @Arg('input', () => CreateCourseInput, { description: 'The course.' }) input: CreateCourseInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Course> {
    return createCourse(ctx, info, input, idempotencyKey);
  }
}
