import { badUserInput, connectionTypes, forbidden, isPrefectureCode, LocalGovCodeScalar, PageArgs, paginate, requireUuid, transactionally } from '@nimo/kit';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Course } from '../entities/course';
import { Jurisdiction, Organization } from '../entities/external';
import { TrainingSession } from '../entities/session';
import { Audience, OrganiserKind } from '../enums';
import { organises } from '../policy';
import { jurisdictionList } from '../summary';
import { newId } from './common';

export const { Connection: CourseConnection } = connectionTypes(Course, 'Course', 'course');

@InputType({ description: 'Filters for `courses`; all given filters apply together.' })
export class CourseFilter {
  @Field(() => Int, { nullable: true, description: 'Only courses serving this program item (1–14).' })
  programItem?: number | null;

  @Field(() => Audience, { nullable: true, description: 'Only courses for this audience.' })
  audience?: Audience | null;

  @Field(() => OrganiserKind, { nullable: true, description: 'Only courses of this kind of organiser.' })
  organiserKind?: OrganiserKind | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only courses organised in this jurisdiction (a prefecture code covers the whole prefecture).' })
  organiserJurisdictionCode?: string | null;
}

@InputType({ description: 'A new training course.' })
export class CreateCourseInput {
  @Field(() => String, { description: 'Title in Japanese (1–200 characters).' })
  title!: string;

  @Field(() => OrganiserKind, { description: 'What kind of body organises it; it must be one the caller may act as.' })
  organiserKind!: OrganiserKind;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'The organiser\'s jurisdiction: a prefecture for PREFECTURE, a designated city for DESIGNATED_CITY, the centre\'s jurisdiction for the centres; omit for NATIONAL_SECRETARIAT.' })
  organiserJurisdictionCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'The organising directory organisation (e.g. a mental health and welfare centre); must be the caller\'s own organisation.' })
  organiserOrganizationId?: string | null;

  @Field(() => Audience, { description: 'Whom the course is for.' })
  audience!: Audience;

  @Field(() => [String], { description: 'The curriculum units in order (1–50 units of 1–200 characters).' })
  curriculum!: string[];

  @Field(() => Int, { nullable: true, description: 'The construction promotion program item (1–14) it serves; omit for construction support program trainings.' })
  programItem?: number | null;
}

function text(argument: string, value: string, max: number): string {
  const trimmed = value.normalize('NFKC').trim();
  if (trimmed.length === 0 || trimmed.length > max) throw badUserInput(`\`${argument}\` must have 1 to ${max} characters.`, { argument });
  return trimmed;
}

export function requireProgramItem(value: number | null | undefined, argument = 'programItem'): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > 14) throw badUserInput(`\`${argument}\` must be a program item from 1 to 14, got ${value}.`, { argument });
  return value;
}

@Resolver(() => Course)
export class CourseResolver {
  @Query(() => Course, { nullable: true, description: 'A training course by id; null when unknown.' })
  course(@Arg('id', () => ID, { description: 'The course id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<Course | null> {
    return ctx.loaders.course.load(requireUuid('id', id));
  }

  @Query(() => CourseConnection, { description: 'Training courses by title, filtered, a page at a time. Open to everyone: the catalogue holds no personal data.' })
  courses(
    @Arg('filter', () => CourseFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: CourseFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    const query = ctx.db.getRepository(Course).createQueryBuilder('c');
    if (filter?.programItem !== undefined && filter.programItem !== null) query.andWhere('c.program_item = :item', { item: requireProgramItem(filter.programItem, 'filter.programItem') });
    if (filter?.audience) query.andWhere('c.audience = :audience', { audience: filter.audience });
    if (filter?.organiserKind) query.andWhere('c.organiser_kind = :kind', { kind: filter.organiserKind });
    if (filter?.organiserJurisdictionCode) {
      const code = filter.organiserJurisdictionCode;
      if (isPrefectureCode(code)) query.andWhere('left(c.organiser_jurisdiction_code, 2) = :prefix', { prefix: code.slice(0, 2) });
      else query.andWhere('c.organiser_jurisdiction_code = :code', { code });
    }
    return paginate(
      query,
      [
        { sql: 'c.title', value: (c) => c.title },
        { sql: 'c.id', value: (c) => c.id },
      ],
      page,
    );
  }

  @FieldResolver(() => Jurisdiction, { nullable: true, description: 'The organiser\'s jurisdiction; null for the national secretariat.' })
  organiserJurisdiction(@Root() c: Course): Jurisdiction | null {
    return c.organiserJurisdictionCode ? { code: c.organiserJurisdictionCode } : null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organising directory organisation, when one is named (e.g. a mental health and welfare centre).' })
  organiserOrganization(@Root() c: Course): Organization | null {
    return c.organiserOrganizationId ? { id: c.organiserOrganizationId } : null;
  }

  @FieldResolver(() => [TrainingSession], { description: 'The course\'s sessions by start date.' })
  sessions(@Root() c: Course, @Ctx() ctx: Context): Promise<TrainingSession[]> {
    return ctx.loaders.sessionsOfCourse.load(c.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller organises this course (and may run its sessions and record attendance and completion).' })
  viewerOrganises(@Root() c: Course, @Ctx() ctx: Context): boolean {
    return organises(ctx.principal, c);
  }

  @Mutation(() => Course, { description: 'Creates a training course. Only for an organiser acting for itself (see the organiser kinds). Idempotent with `idempotencyKey`.' })
  async createCourse(
    @Arg('input', () => CreateCourseInput, { description: 'The course.' }) input: CreateCourseInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'A key of 8–100 characters (a UUID is a good choice): a retry with the same key returns the first answer and creates nothing twice.' }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
  ): Promise<Course> {
    const title = text('input.title', input.title, 200);
    if (input.curriculum.length < 1 || input.curriculum.length > 50) throw badUserInput('`input.curriculum` must have 1 to 50 units.', { argument: 'input.curriculum' });
    const curriculum = input.curriculum.map((u, i) => text(`input.curriculum[${i}]`, u, 200));
    const programItem = requireProgramItem(input.programItem, 'input.programItem');
    const code = input.organiserJurisdictionCode ?? null;
    if ((input.organiserKind === OrganiserKind.NATIONAL_SECRETARIAT) !== (code === null)) {
      throw badUserInput('`input.organiserJurisdictionCode` is required for every organiser but NATIONAL_SECRETARIAT, and must be omitted for it.', { argument: 'input.organiserJurisdictionCode' });
    }
    if (code !== null) {
      const row = jurisdictionList().byCode.get(code);
      if (!row) throw badUserInput(`\`input.organiserJurisdictionCode\` ${code} names no jurisdiction.`, { argument: 'input.organiserJurisdictionCode' });
      if (input.organiserKind === OrganiserKind.PREFECTURE && row.kind !== 'PREFECTURE') throw badUserInput('A PREFECTURE organiser needs a prefecture code.', { argument: 'input.organiserJurisdictionCode' });
      if (input.organiserKind === OrganiserKind.DESIGNATED_CITY && row.kind !== 'DESIGNATED_CITY') throw badUserInput('A DESIGNATED_CITY organiser needs a designated city code.', { argument: 'input.organiserJurisdictionCode' });
    }
    const organisation = input.organiserOrganizationId ? requireUuid('input.organiserOrganizationId', input.organiserOrganizationId) : null;
    const organiser = { organiserKind: input.organiserKind, organiserJurisdictionCode: code, organiserOrganizationId: organisation };
    if (!organises(ctx.principal, organiser) || (organisation !== null && organisation !== ctx.principal.organizationId)) {
      throw forbidden('You may create courses only as an organiser you act for (your own jurisdiction, kind and organisation).');
    }
    const id = await transactionally(
      ctx.db,
      { principal: ctx.principal, key: idempotencyKey, operation: 'createCourse', input },
      async (manager) => {
        const courseId = newId();
        await manager.query(
          `INSERT INTO course (id, title, organiser_kind, organiser_jurisdiction_code, organiser_organization_id, audience, curriculum, program_item)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [courseId, title, input.organiserKind, code, organisation, input.audience, curriculum, programItem],
        );
        return courseId;
      },
    );
    const course = await ctx.db.getRepository(Course).findOneBy({ id });
    if (!course) throw new Error('created course vanished');
    return course;
  }
}

