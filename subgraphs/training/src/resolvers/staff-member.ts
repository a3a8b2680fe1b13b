import { DeprecatedVersionArg, ExpectedVersionArg, expectedVersionOf, Guard, IdempotencyKeyArg, LocalGovCodeScalar, requireUuid } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, ID, Info, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Enrolment } from '../entities/enrolment';
import { Jurisdiction, Organization } from '../entities/external';
import { StaffMember } from '../entities/staff-member';
import { EnrolmentState, Qualification } from '../enums';
import { seesStaff } from '../policy';
import { addStaffMember, updateStaffQualifications } from '../staff';

@InputType({ description: "A new staff member of the caller's organisation." })
export class AddStaffMemberInput {
  @Field(() => ID, { description: "The directory organisation; must be the caller's own." })
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
  @Query(() => StaffMember, {
    nullable: true,
    description: 'A staff member by id; null when unknown or when you may not see them (own organisation, or organiser of a session they enrolled in).',
  })
  staffMember(@Arg('id', () => ID, { description: 'The staff member id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<StaffMember | null> {
    return ctx.loaders.staff.load(requireUuid('id', id));
  }

  @FieldResolver(() => Organization, {
    deprecationReason: 'Use `workplace`. Removed after 2027-06-30.',
    description:
      'The organisation the staff member works for. Deprecated: non-null, so an organisation the directory no longer lists fails the answer up to the nearest nullable field; `workplace` is null instead.',
  })
  organization(@Root() s: StaffMember): Organization {
    return { id: s.organizationId };
  }

  @FieldResolver(() => Organization, {
    nullable: true,
    description:
      'The organisation the staff member works for. Null only when the directory no longer lists the organisation (a reference stored before it was removed there), so that the rest of the answer stands.',
  })
  workplace(@Root() s: StaffMember): Organization {
    return { id: s.organizationId };
  }

  @FieldResolver(() => Jurisdiction, { description: 'Where the organisation is located.' })
  jurisdiction(@Root() s: StaffMember): Jurisdiction {
    return { code: s.jurisdictionCode };
  }

  @FieldResolver(() => [Enrolment], { nullable: true, description: 'The courses completed (completed enrolments, with certificate numbers). Personal data.' })
  @Guard<StaffMember>(seesStaff, "this staff member's completions")
  async completions(@Root() s: StaffMember, @Ctx() ctx: Context): Promise<Enrolment[]> {
    return (await ctx.loaders.enrolmentsOfStaff.load(s.id)).filter((e) => e.state === EnrolmentState.COMPLETED);
  }

  @FieldResolver(() => [Enrolment], { nullable: true, description: 'Every enrolment you may see, in order of request. Personal data.' })
  @Guard<StaffMember>(seesStaff, "this staff member's enrolments")
  enrolments(@Root() s: StaffMember, @Ctx() ctx: Context): Promise<Enrolment[]> {
    return ctx.loaders.enrolmentsOfStaff.load(s.id);
  }

  @Mutation(() => StaffMember, { description: "Registers a staff member of the caller's own organisation. Audited. Idempotent with `idempotencyKey`." })
  addStaffMember(
    @Arg('input', () => AddStaffMemberInput, { description: 'The staff member.' }) input: AddStaffMemberInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<StaffMember> {
    return addStaffMember(ctx, info, input, idempotencyKey);
  }

  @Mutation(() => StaffMember, {
    description:
      "Replaces the qualifications of a staff member of the caller's organisation. Optimistic concurrency: a stale `expectedVersion` is CONFLICT. Audited. Idempotent with `idempotencyKey`.",
  })
  updateStaffQualifications(
    @Arg('id', () => ID, { description: 'The staff member.' }) id: string,
    @Arg('qualifications', () => [Qualification], { description: 'The new list of qualifications.' }) qualifications: Qualification[],
    @ExpectedVersionArg({ withDeprecatedAlias: true }) expectedVersion: number | null,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @DeprecatedVersionArg() version: number | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<StaffMember> {
    return updateStaffQualifications(ctx, info, { id, qualifications, expectedVersion: expectedVersionOf(expectedVersion, version), idempotencyKey });
  }
}
