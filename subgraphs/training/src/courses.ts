import { randomUUID } from 'node:crypto';
import {
  badUserInput,
  forbidden,
  isPrefectureCode,
  mutate,
  nationalCodeList,
  paginate,
  requireProgramItem,
  requireText,
  requireUuid,
  revive,
  rowAsWritten,
  type PageArgs,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from './context';
import { Course } from './entities/course';
import { OrganiserKind, type Audience } from './enums';
import { organises } from './policy';

/** The course aggregate: the catalogue's reads and course creation (the kit's mutation pipeline). */

const ENTITY = 'Course';

export interface CourseFilterArgs {
  readonly programItem?: number | null;
  readonly audience?: Audience | null;
  readonly organiserKind?: OrganiserKind | null;
  readonly organiserJurisdictionCode?: string | null;
}

/** Courses by title, filtered, a page at a time (the catalogue is open to everyone). */
export function listCourses(ctx: Context, filter: CourseFilterArgs | null, page: PageArgs) {
  const query = ctx.db.getRepository(Course).createQueryBuilder('c');
  if (filter?.programItem !== undefined && filter.programItem !== null)
    query.andWhere('c.program_item = :item', { item: requireProgramItem('filter.programItem', filter.programItem) });
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

export interface CreateCourseArgs {
  readonly title: string;
  readonly organiserKind: OrganiserKind;
  readonly organiserJurisdictionCode?: string | null;
  readonly organiserOrganizationId?: string | null;
  readonly audience: Audience;
  readonly curriculum: readonly string[];
  readonly programItem?: number | null;
}

export async function createCourse(ctx: Context, info: GraphQLResolveInfo, input: CreateCourseArgs, idempotencyKey: string | null): Promise<Course> {
  const written = await mutate(ctx, info, {
    action: 'createCourse',
    entityType: ENTITY,
    input,
    idempotencyKey,
    validate: () => {
      const title = requireText('input.title', input.title, 200, { nfkc: true });
      if (input.curriculum.length < 1 || input.curriculum.length > 50)
        throw badUserInput('`input.curriculum` must have 1 to 50 units.', { argument: 'input.curriculum' });
      const curriculum = input.curriculum.map((u, i) => requireText(`input.curriculum[${i}]`, u, 200, { nfkc: true }));
      const programItem = input.programItem === null || input.programItem === undefined ? null : requireProgramItem('input.programItem', input.programItem);
      const code = input.organiserJurisdictionCode ?? null;
      if ((input.organiserKind === OrganiserKind.NATIONAL_SECRETARIAT) !== (code === null)) {
        throw badUserInput('`input.organiserJurisdictionCode` is required for every organiser but NATIONAL_SECRETARIAT, and must be omitted for it.', {
          argument: 'input.organiserJurisdictionCode',
        });
      }
      if (code !== null) {
        // The national code list is reference data of the kit: checked with the input, before any policy decision.
        const row = nationalCodeList().byCode.get(code);
        if (!row) throw badUserInput(`\`input.organiserJurisdictionCode\` ${code} names no jurisdiction.`, { argument: 'input.organiserJurisdictionCode' });
        if (input.organiserKind === OrganiserKind.PREFECTURE && row.kind !== 'PREFECTURE')
          throw badUserInput('A PREFECTURE organiser needs a prefecture code.', { argument: 'input.organiserJurisdictionCode' });
        if (input.organiserKind === OrganiserKind.DESIGNATED_CITY && row.kind !== 'DESIGNATED_CITY')
          throw badUserInput('A DESIGNATED_CITY organiser needs a designated city code.', { argument: 'input.organiserJurisdictionCode' });
      }
      const organisation = input.organiserOrganizationId ? requireUuid('input.organiserOrganizationId', input.organiserOrganizationId) : null;
      return { title, curriculum, programItem, code, organisation };
    },
    authorize: (principal, v) => {
      const organiser = { organiserKind: input.organiserKind, organiserJurisdictionCode: v.code, organiserOrganizationId: v.organisation };
      if (!organises(principal, organiser) || (v.organisation !== null && v.organisation !== principal.organizationId)) {
        throw forbidden('You may create courses only as an organiser you act for (your own jurisdiction, kind and organisation).');
      }
    },
    // An organising organisation is the directory's: it must exist there.
    checkReferences: async (_m, v) => {
      if (v.organisation !== null) {
        await ctx.directory.requireOrganization(ctx.principal, v.organisation, { argument: 'input.organiserOrganizationId', what: 'an organisation' });
      }
    },
    write: async (m, v) => {
      const courseId = randomUUID();
      await m.query(
        `INSERT INTO course (id, title, organiser_kind, organiser_jurisdiction_code, organiser_organization_id, audience, curriculum, program_item)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [courseId, v.title, input.organiserKind, v.code, v.organisation, input.audience, v.curriculum, v.programItem],
      );
      return { id: courseId, row: await rowAsWritten(m, Course, courseId) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: 'create' }],
  });
  // The course as the write left it (a replay answers the same).
  return revive(ctx.db, Course, written.row);
}
