import { connectionTypes, ExpectedVersionArg, IdempotencyKeyArg, LocalGovCodeScalar, PageArgs } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { ConsultationCase } from '../entities/case';
import { jurisdictionRef, organizationRef, Jurisdiction, Organization } from '../entities/external';
import { Referral } from '../entities/referral';
import { AgeBand, Need, ReferralDirection, ReferralStatus, ReferralTarget, Sex } from '../enums';
import { noteKeyring, openStored, place } from '../notes';
import { cancelReferral, directionOf, listReferrals, openReferralsTo, referCase, referToMunicipality, respondToReferral } from '../referrals';

export const { Connection: ReferralConnection } = connectionTypes(Referral, 'Referral', 'referral');

@InputType({ description: 'A referral of a case to a second-line organisation.' })
export class ReferInput {
  @Field(() => ReferralTarget, {
    description:
      'The kind of organisation (not MUNICIPALITY: a referral to a municipality is made with `referToMunicipality`). The receiving organisation must be of this kind in the directory (BAD_USER_INPUT otherwise).',
  })
  target!: ReferralTarget;

  @Field(() => ID, { description: 'The receiving organisation (a directory Organization id).' })
  toOrganizationId!: string;

  @Field(() => String, {
    description:
      'Why the case is referred and what is asked (1–4,000 characters); encrypted at rest; the receiving organisation reads it while the referral is open.',
  })
  reason!: string;
}

@InputType({ description: 'A referral of a person to a municipal consultation desk by another organisation (the one the credential acts for).' })
export class ReferToMunicipalityInput {
  @Field(() => LocalGovCodeScalar, { description: 'The municipality referred to.' })
  municipalityCode!: string;

  @Field(() => ID, {
    description: 'Its consultation desk (a directory Organization id that is a municipal mental-health desk in or serving that municipality).',
  })
  deskId!: string;

  @Field(() => ReferralTarget, {
    description: 'The kind of your organisation (not MUNICIPALITY); the directory must list your organisation as one (BAD_USER_INPUT otherwise).',
  })
  fromKind!: ReferralTarget;

  @Field(() => AgeBand, { description: 'Age band of the person.' })
  ageBand!: AgeBand;

  @Field(() => Sex, { description: 'Sex of the person, as they state it.' })
  sex!: Sex;

  @Field(() => [Need], { description: 'Fields of need (at least one).' })
  needs!: Need[];

  @Field(() => String, { description: 'Why the person is referred and what is asked (1–4,000 characters); encrypted at rest.' })
  reason!: string;
}

@InputType({ description: 'Filters for `referrals`; all given filters apply together.' })
export class ReferralFilter {
  @Field(() => [ReferralStatus], { nullable: true, description: 'Only referrals in one of these states.' })
  statuses?: ReferralStatus[] | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only referrals made by this municipality.' })
  municipalityCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only referrals to this organisation.' })
  toOrganizationId?: string | null;

  @Field(() => ReferralDirection, { nullable: true, description: 'Only referrals going this way.' })
  direction?: ReferralDirection | null;
}

@ObjectType({ description: "What a receiving organisation's answer to a referral did." })
export class ReferralResponse {
  @Field(() => ID, { description: 'The referral.' })
  referralId!: string;

  @Field(() => ReferralStatus, { description: 'The state the referral was moved to.' })
  status!: ReferralStatus;

  @Field(() => Int, { description: "The referral's version after the move: pass it as `expectedVersion` for the next one." })
  version!: number;

  @Field(() => Referral, {
    nullable: true,
    description: 'The referral as you may see it now; null once it has ended (declined or completed), since the receiving organisation then no longer sees it.',
  })
  referral!: Referral | null;
}

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => ReferralConnection, {
    description: "Referrals you may see — your municipality's, or the open ones to your organisation — oldest first, a page at a time. Audited.",
  })
  referrals(
    @Arg('filter', () => ReferralFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: ReferralFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listReferrals(ctx, info, filter, page);
  }

  @FieldResolver(() => ConsultationCase, { nullable: true, description: 'The case referred (its summary, for a receiving organisation).' })
  case(@Root() r: Referral, @Ctx() ctx: Context): Promise<ConsultationCase | null> {
    return ctx.loaders.case.load(r.caseId);
  }

  @FieldResolver(() => ReferralDirection, { description: 'Which way the referral goes: made by the municipality, or made to it.' })
  direction(@Root() r: Referral): ReferralDirection {
    return directionOf(r);
  }

  @FieldResolver(() => Organization, {
    nullable: true,
    description:
      "The organisation that made a referral to the municipality (direction TO_MUNICIPALITY); null for one the municipality made (its desk is the case's).",
  })
  sender(@Root() r: Referral): Organization | null {
    return r.fromOrganizationId === null ? null : organizationRef(r.fromOrganizationId);
  }

  @FieldResolver(() => Jurisdiction, { description: 'The municipality whose case it is: the one that made the referral, or the one it was made to.' })
  municipality(@Root() r: Referral): Jurisdiction {
    return jurisdictionRef(r.municipalityCode);
  }

  @FieldResolver(() => Organization, {
    deprecationReason: 'Use `receiver`. Removed after 2027-06-30.',
    description:
      'The receiving organisation. Deprecated: non-null, so an organisation the directory no longer lists fails the answer up to the nearest nullable field; `receiver` is null instead.',
  })
  toOrganization(@Root() r: Referral): Organization {
    return organizationRef(r.toOrganizationId);
  }

  @FieldResolver(() => Organization, {
    nullable: true,
    description:
      'The receiving organisation. Null only when the directory no longer lists the organisation (a reference stored before it was removed there), so that the rest of the answer stands.',
  })
  receiver(@Root() r: Referral): Organization {
    return organizationRef(r.toOrganizationId);
  }

  @FieldResolver(() => String, { description: 'Why the case was referred and what is asked.' })
  reason(@Root() r: Referral): string | null {
    return openStored(noteKeyring(), r.reasonKeyId, r.reasonCiphertext, place('referral', 'reason', r.id));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The receiving organisation's answer: why it declined, or the outcome when completed; null otherwise.",
  })
  response(@Root() r: Referral): string | null {
    return openStored(noteKeyring(), r.responseKeyId, r.responseCiphertext, place('referral', 'response', r.id));
  }

  @Mutation(() => Referral, {
    description: 'Refers an open case of your municipality to a second-line organisation (REQUESTED). The case becomes REFERRED. Audited.',
  })
  referCase(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @ExpectedVersionArg() expectedVersion: number,
    @Arg('input', () => ReferInput, { description: 'The referral.' }) input: ReferInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return referCase(ctx, info, { caseId, expectedVersion, input, idempotencyKey });
  }

  @Mutation(() => Referral, {
    nullable: true,
    description:
      'Another organisation refers a person to a municipal consultation desk (the second line back to the municipality, or a ' +
      "hospital, centre or provider to it): the municipality's case is opened (OPEN) with the referral REQUESTED; the municipality " +
      'answers with respondToReferral (DECLINED closes the case: support continues with the sender). Any principal acting for an ' +
      'organisation (`org`) of the kind it names. Audited.',
  })
  referToMunicipality(
    @Arg('input', () => ReferToMunicipalityInput, { description: 'The referral.' }) input: ReferToMunicipalityInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return referToMunicipality(ctx, info, { input, idempotencyKey });
  }

  @Mutation(() => ReferralResponse, {
    description:
      'The receiving end moves a referral on (the receiving organisation of one the municipality made; the municipality of one made to it): ACCEPTED or DECLINED (from REQUESTED), IN_PROGRESS (from ACCEPTED), COMPLETED ' +
      '(from IN_PROGRESS). DECLINED and COMPLETED need a note (the reason, or the outcome). Illegal moves are refused. Audited.',
  })
  respondToReferral(
    @Arg('referralId', () => ID, { description: 'The referral.' }) referralId: string,
    @ExpectedVersionArg() expectedVersion: number,
    @Arg('status', () => ReferralStatus, { description: 'The new state: ACCEPTED, DECLINED, IN_PROGRESS or COMPLETED.' }) status: ReferralStatus,
    @Arg('note', () => String, { nullable: true, description: 'Why declined, or the outcome when completed (1–4,000 characters); encrypted at rest.' })
    note: string | null,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return respondToReferral(ctx, info, { referralId, expectedVersion, status, note, idempotencyKey });
  }

  @Mutation(() => Referral, { description: 'The municipality withdraws a referral that has not ended (CANCELLED). Audited.' })
  cancelReferral(
    @Arg('referralId', () => ID, { description: 'The referral.' }) referralId: string,
    @ExpectedVersionArg() expectedVersion: number,
    @Arg('reason', () => String, { description: 'Why it is withdrawn (1–4,000 characters); encrypted at rest.' }) reason: string,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return cancelReferral(ctx, info, { referralId, expectedVersion, reason, idempotencyKey });
  }
}

@Resolver(() => Organization)
export class OrganizationReferralsResolver {
  @FieldResolver(() => [Referral], {
    nullable: true,
    description:
      'Open referrals this organisation has received, oldest first. Only for a principal acting for this organisation; null with FORBIDDEN for anyone else. Audited.',
  })
  openReferrals(@Root() o: Organization, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Referral[]> {
    return openReferralsTo(ctx, info, o.id);
  }
}
