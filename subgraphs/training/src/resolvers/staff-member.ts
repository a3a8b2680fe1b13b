import { badUserInput, forbidden, Guard, LocalGovCodeScalar, requireUuid, transactionally } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Enrolment } from '../entities/enrolment';
import { Jurisdiction, Organization } from '../entities/external';
import { StaffMember } from '../entities/staff-member';
import { EnrolmentState, Qualification } from '../enums';
import { ownsStaff, seesStaff } from '../policy';
import { jurisdictionList, municipalityOf } from '../summary';
import { audit, lockRow, newId, requireVersion } from './common';

const KEY_DESCRIPTION = 'A key of 8–100 characters (a UUID is a good choice): a retry with the same key returns the first answer and changes nothing twice.';

@InputType({ description: 'A new staff member of the caller\'s organisation.' })
export class AddStaffMemberInput {
  @Field(() => ID, { description: 'The directory organisation; must be the caller\'s own.' })
  organizationId!: string;

  @Field(() => LocalGovCodeScalar, { description: 'The jurisdiction the organisation is located in (as in the directory).' })
  jurisdictionCode!: string;

  @Field(() => String, { description: 'Display name (1–100 characters); use a pseudonym outside production.' })
  displayName!: string;

  @Field(() => [Qualification], { description: 'Professional qualifications (may be empty).' })
  qualifications!: Qualification[];

  @Field(() => Boolean, { description: 'Whether the staff member does mental-health consultation at a municipal desk.' })
  consultationStaff!: boolean;
}

@Resolver(() => StaffMember)
export class StaffMemberResolver {
  @Query(() => StaffMember, { nullable: true, description: 'A staff member by id; null when unknown or when you may not see them (own organisation, or organiser of a session they enrolled in).' })
  staffMember(@Arg('id', () => ID, { description: 'The staff member id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<StaffMember | null> {
    return ctx.loaders.staff.load(requireUuid('id', id));
  }

  @FieldResolver(() => Organization, { description: 'The organisation the staff member works for.' })
  organization(@Root() s: StaffMember): Organization {
    return { id: s.organizationId };
  }

  @FieldResolver(() => Jurisdiction, { description: 'Where the organisation is located.' })
  jurisdiction(@Root() s: StaffMember): Jurisdiction {
    return { code: s.jurisdictionCode };
  }

  @FieldResolver(() => [Enrolment], { nullable: true, description: 'The courses completed (completed enrolments, with certificate numbers). Personal data.' })
  @Guard<StaffMember>(seesStaff, 'this staff member\'s completions')
  async completions(@Root() s: StaffMember, @Ctx() ctx: Context): Promise<Enrolment[]> {
    return (await ctx.loaders.enrolmentsOfStaff.load(s.id)).filter((e) => e.state === EnrolmentState.COMPLETED);
  }

  @FieldResolver(() => [Enrolment], { nullable: true, description: 'Every enrolment you may see, in order of request. Personal data.' })
  @Guard<StaffMember>(seesStaff, 'this staff member\'s enrolments')
  enrolments(@Root() s: StaffMember, @Ctx() ctx: Context): Promise<Enrolment[]> {
    return ctx.loaders.enrolmentsOfStaff.load(s.id);
  }

  @Mutation(() => StaffMember, { description: 'Registers a staff member of the caller\'s own organisation. Audited. Idempotent with `idempotencyKey`.' })
  async addStaffMember(
    @Arg('input', () => AddStaffMemberInput, { description: 'The staff member.' }) input: AddStaffMemberInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<StaffMember> {
    const organizationId = requireUuid('input.organizationId', input.organizationId);
    const displayName = input.displayName.normalize('NFKC').trim();
    if (displayName.length === 0 || displayName.length > 100) throw badUserInput('`input.displayName` must have 1 to 100 characters.', { argument: 'input.displayName' });
    if (!jurisdictionList().byCode.has(input.jurisdictionCode)) throw badUserInput(`\`input.jurisdictionCode\` ${input.jurisdictionCode} names no jurisdiction.`, { argument: 'input.jurisdictionCode' });
    if (!ownsStaff(ctx.principal, { organizationId })) throw forbidden('You may register staff of your own organisation only.');
    const qualifications = [...new Set(input.qualifications)];
    const id = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'addStaffMember', input }, async (manager) => {
      const staffId = newId();
      await manager.query(
        `INSERT INTO staff_member (id, organization_id, jurisdiction_code, municipality_code, display_name, qualifications, consultation_staff)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [staffId, organizationId, input.jurisdictionCode, municipalityOf(input.jurisdictionCode), displayName, qualifications, input.consultationStaff],
      );
      await audit(manager, ctx.principal, info, [{ action: 'create', entityType: 'StaffMember', entityKey: staffId }]);
      return staffId;
    });
    return loadStaff(ctx, id);
  }

  @Mutation(() => StaffMember, { description: 'Replaces the qualifications of a staff member of the caller\'s organisation. Optimistic concurrency: a stale `version` is CONFLICT. Audited. Idempotent with `idempotencyKey`.' })
  async updateStaffQualifications(
    @Arg('id', () => ID, { description: 'The staff member.' }) id: string,
    @Arg('qualifications', () => [Qualification], { description: 'The new list of qualifications.' }) qualifications: Qualification[],
    @Arg('version', () => Int, { description: 'The staff member\'s `version` as last read.' }) version: number,
    @Arg('idempotencyKey', () => String, { nullable: true, description: KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<StaffMember> {
    const staffId = requireUuid('id', id);
    const done = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'updateStaffQualifications', input: { staffId, qualifications, version } }, async (manager) => {
      const row = await lockRow<{ id: string; organization_id: string; version: number }>(manager, 'SELECT id, organization_id, version FROM staff_member WHERE id = $1', staffId, 'staff member');
      if (!ownsStaff(ctx.principal, { organizationId: row.organization_id })) throw forbidden('You may change staff of your own organisation only.');
      requireVersion('The staff member', row.version, version);
      await manager.query('UPDATE staff_member SET qualifications = $2, version = version + 1 WHERE id = $1', [staffId, [...new Set(qualifications)]]);
      await audit(manager, ctx.principal, info, [{ action: 'update', entityType: 'StaffMember', entityKey: staffId }]);
      return staffId;
    });
    return loadStaff(ctx, done);
  }
}

async function loadStaff(ctx: Context, id: string): Promise<StaffMember> {
  const staff = await ctx.loaders.staff.load(id);
  if (!staff) throw new Error(`staff member ${id} not visible after write`);
  return staff;
}
