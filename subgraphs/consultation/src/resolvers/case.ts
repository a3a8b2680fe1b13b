import { connectionTypes, ExpectedVersionArg, IdempotencyKeyArg, LocalGovCodeScalar, PageArgs } from '@nimo/kit';
import { LocalDateResolver } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { closeCase, contactsOf, listCases, openCase, recordContact, reopenCase, caseById } from '../cases';
import type { Context } from '../context';
import { ConsultationCase } from '../entities/case';
import { CaseContact } from '../entities/contact';
import { jurisdictionRef, organizationRef, Jurisdiction, Organization } from '../entities/external';
import { Referral } from '../entities/referral';
import { AgeBand, CaseStatus, CloseReason, ContactChannel, Need, Sex } from '../enums';
import { noteKeyring, openStored, place } from '../notes';
import { isCaseOwner } from '../policy';

export const { Connection: ConsultationCaseConnection } = connectionTypes(ConsultationCase, 'ConsultationCase', 'consultation case');

@InputType({ description: 'A new consultation case.' })
export class OpenCaseInput {
  @Field(() => LocalGovCodeScalar, { description: 'The municipality that owns the case (must be one you act for).' })
  municipalityCode!: string;

  @Field(() => ID, { description: 'The consultation desk (a directory Organization id) where the case is opened.' })
  deskId!: string;

  @Field(() => String, { description: 'Your pseudonymous reference for the person: 2–40 letters, digits and . _ - ; never a name or an Individual Number.' })
  clientReference!: string;

  @Field(() => AgeBand, { description: 'Age band of the person.' })
  ageBand!: AgeBand;

  @Field(() => Sex, { description: 'Sex of the person, as they state it.' })
  sex!: Sex;

  @Field(() => [Need], { description: 'The fields of need (at least one).' })
  needs!: Need[];

  @Field(() => LocalDateResolver, { nullable: true, description: 'The day the case was opened (default: today in Japan); not in the future.' })
  openedOn?: string | null;
}

@InputType({ description: 'A contact with the person of a case.' })
export class ContactInput {
  @Field(() => LocalDateResolver, { description: 'The day of the contact; not before the case was opened, not in the future.' })
  contactedOn!: string;

  @Field(() => ContactChannel, { description: 'How the contact took place.' })
  channel!: ContactChannel;

  @Field(() => String, { description: 'The staff member who made the contact (your staff reference, 2–40 letters, digits and . _ -).' })
  staffReference!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A free-text note (up to 4,000 characters); encrypted at rest, readable by the owning municipality only.',
  })
  note?: string | null;
}

@InputType({ description: 'Filters for `consultationCases`; all given filters apply together.' })
export class CaseFilter {
  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only cases of this municipality.' })
  municipalityCode?: string | null;

  @Field(() => [CaseStatus], { nullable: true, description: 'Only cases in one of these states.' })
  statuses?: CaseStatus[] | null;

  @Field(() => Need, { nullable: true, description: 'Only cases touching this field of need.' })
  need?: Need | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Only cases opened on or after this day.' })
  openedFrom?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Only cases opened on or before this day.' })
  openedTo?: string | null;

  @Field(() => String, { nullable: true, description: 'Only cases with this client reference (exact).' })
  clientReference?: string | null;
}

@Resolver(() => ConsultationCase)
export class CaseResolver {
  @Query(() => ConsultationCase, { nullable: true, description: 'A case by id; null when unknown or not visible to you. Audited.' })
  consultationCase(@Arg('id', () => ID, { description: 'The case id (a UUID).' }) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return caseById(ctx, info, id);
  }

  @Query(() => ConsultationCaseConnection, {
    description:
      "Cases you may see (your municipality's; or, for a receiving organisation, those with an open referral to it), oldest first, a page at a time. Audited.",
  })
  consultationCases(
    @Arg('filter', () => CaseFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: CaseFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listCases(ctx, info, filter, page);
  }

  @FieldResolver(() => Jurisdiction, { description: 'The municipality that owns the case.' })
  municipality(@Root() c: ConsultationCase): Jurisdiction {
    return jurisdictionRef(c.municipalityCode);
  }

  @FieldResolver(() => Organization, {
    deprecationReason: 'Use `consultationDesk`. Removed after 2027-06-30.',
    description:
      'The consultation desk where the case was opened. Deprecated: non-null, so a desk the directory no longer lists fails the answer up to the nearest nullable field; `consultationDesk` is null instead.',
  })
  desk(@Root() c: ConsultationCase): Organization {
    return organizationRef(c.deskOrganizationId);
  }

  @FieldResolver(() => Organization, {
    nullable: true,
    description:
      'The consultation desk where the case was opened. Null only when the directory no longer lists the organisation (a reference stored before it was removed there), so that the rest of the answer stands.',
  })
  consultationDesk(@Root() c: ConsultationCase): Organization {
    return organizationRef(c.deskOrganizationId);
  }

  @FieldResolver(() => [CaseContact], { nullable: true, description: 'Contacts, oldest first. Owning municipality only; null with FORBIDDEN for anyone else.' })
  contacts(@Root() c: ConsultationCase, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<CaseContact[]> {
    return contactsOf(ctx, info, c, isCaseOwner(ctx.principal, c));
  }

  @FieldResolver(() => [Referral], {
    description: 'Referrals of the case you may see: all of them for the owning municipality; your own open one for a receiving organisation.',
  })
  referrals(@Root() c: ConsultationCase, @Ctx() ctx: Context): Promise<Referral[]> {
    return ctx.loaders.referralsOf.load(c.id);
  }

  @Mutation(() => ConsultationCase, { description: "Opens a case at one of your municipality's desks. Audited." })
  openCase(
    @Arg('input', () => OpenCaseInput, { description: 'The case.' }) input: OpenCaseInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return openCase(ctx, info, input, idempotencyKey);
  }

  @Mutation(() => ConsultationCase, { description: 'Records a contact with the person of an open or referred case. Audited.' })
  recordContact(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @ExpectedVersionArg() expectedVersion: number,
    @Arg('input', () => ContactInput, { description: 'The contact.' }) input: ContactInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return recordContact(ctx, info, { caseId, expectedVersion, input, idempotencyKey });
  }

  @Mutation(() => ConsultationCase, { description: 'Closes a case with a reason. Refused while a referral of it is open. Audited.' })
  closeCase(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @ExpectedVersionArg() expectedVersion: number,
    @Arg('reason', () => CloseReason, { description: 'Why the case is closed.' }) reason: CloseReason,
    @Arg('closedOn', () => LocalDateResolver, { nullable: true, description: 'The day it was closed (default: today in Japan).' }) closedOn: string | null,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return closeCase(ctx, info, { caseId, expectedVersion, reason, closedOn, idempotencyKey });
  }

  @Mutation(() => ConsultationCase, { description: 'Reopens a closed case. Audited.' })
  reopenCase(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @ExpectedVersionArg() expectedVersion: number,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return reopenCase(ctx, info, { caseId, expectedVersion, idempotencyKey });
  }
}

@Resolver(() => CaseContact)
export class ContactResolver {
  @FieldResolver(() => String, { nullable: true, description: 'The note, decrypted; null when none was written.' })
  note(@Root() k: CaseContact): string | null {
    return openStored(noteKeyring(), k.noteKeyId, k.noteCiphertext, place('case_contact', 'note', k.id));
  }
}
