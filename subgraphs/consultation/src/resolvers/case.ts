import { randomUUID } from 'node:crypto';
import { badUserInput, connectionTypes, forbidden, LocalGovCodeScalar, PageArgs, paginate, requireUuid, scopeCovers, scopeWhere } from '@nimo/kit';
import { LocalDateResolver } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { auditReads, auditRefusedRead } from '../audit';
import type { Context } from '../context';
import { ConsultationCase } from '../entities/case';
import { CaseContact } from '../entities/contact';
import { jurisdictionRef, organizationRef, Jurisdiction, Organization } from '../entities/references';
import { Referral } from '../entities/referral';
import { AgeBand, CaseStatus, CloseReason, ContactChannel, Need, OPEN_REFERRAL_STATUSES, Sex } from '../enums';
import { noteKeyring, openStored, place, seal } from '../notes';
import { caseVisibility, isCaseOwner, policy } from '../policy';
import { requireDate, requireReference, requireText, todayInJapan } from '../validate';
import { lockForUpdate, write } from '../writes';

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

  @Field(() => String, { nullable: true, description: 'A free-text note (up to 4,000 characters); encrypted at rest, readable by the owning municipality only.' })
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

const idempotencyKeyArg = { nullable: true, description: 'A key of your choice (8–100 characters, e.g. a UUID): a retry with the same key and input returns the first answer and changes nothing twice.' };
const versionArg = { description: 'The `version` you last read; a stale version is refused with CONFLICT.' };

@Resolver(() => ConsultationCase)
export class CaseResolver {
  @Query(() => ConsultationCase, { nullable: true, description: 'A case by id; null when unknown or not visible to you. Audited.' })
  async consultationCase(@Arg('id', () => ID, { description: 'The case id (a UUID).' }) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const caseId = requireUuid('id', id);
    const row = await ctx.loaders.case.load(caseId);
    if (row) await auditReads(ctx, info, [row.id]);
    else await auditRefusedRead(ctx, info, caseId);
    return row;
  }

  @Query(() => ConsultationCaseConnection, {
    description: 'Cases you may see (your municipality\'s; or, for a receiving organisation, those with an open referral to it), oldest first, a page at a time. Audited.',
  })
  async consultationCases(
    @Arg('filter', () => CaseFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: CaseFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const visible = caseVisibility(ctx.principal);
    const query = ctx.db.getRepository(ConsultationCase).createQueryBuilder('c').where(visible.sql, visible.params);
    if (filter?.municipalityCode) query.andWhere('c.municipality_code = :m', { m: filter.municipalityCode });
    if (filter?.statuses?.length) query.andWhere('c.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter?.need) query.andWhere(':need = ANY(c.needs)', { need: filter.need });
    if (filter?.openedFrom) query.andWhere('c.opened_on >= :from', { from: filter.openedFrom });
    if (filter?.openedTo) query.andWhere('c.opened_on <= :to', { to: filter.openedTo });
    if (filter?.clientReference) {
      // Only over the principal's own cases: a receiving organisation may not see the reference, so
      // it may not probe for it either.
      const own = scopeWhere(policy.ownCases(ctx.principal), { jurisdiction: 'c.municipality_code' }, 'ref_own');
      query.andWhere('c.client_reference = :ref', { ref: requireReference('filter.clientReference', filter.clientReference) }).andWhere(own.sql, own.params);
    }
    const result = await paginate(
      query,
      [
        { sql: 'c.opened_on', value: (c) => c.openedOn },
        { sql: 'c.id', value: (c) => c.id },
      ],
      page,
    );
    await auditReads(ctx, info, result.nodes.map((c) => c.id));
    return result;
  }

  @FieldResolver(() => Jurisdiction, { description: 'The municipality that owns the case.' })
  municipality(@Root() c: ConsultationCase): Jurisdiction {
    return jurisdictionRef(c.municipalityCode);
  }

  @FieldResolver(() => Organization, { description: 'The consultation desk where the case was opened.' })
  desk(@Root() c: ConsultationCase): Organization {
    return organizationRef(c.deskOrganizationId);
  }

  @FieldResolver(() => [CaseContact], { nullable: true, description: 'Contacts, oldest first. Owning municipality only; null with FORBIDDEN for anyone else.' })
  async contacts(@Root() c: ConsultationCase, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<CaseContact[]> {
    if (!isCaseOwner(ctx.principal, c)) {
      await auditRefusedRead(ctx, info, c.id, 'read:contacts');
      throw forbidden('You may not see the contacts of a case your municipality does not own.');
    }
    return ctx.loaders.contactsOf.load(c.id);
  }

  @FieldResolver(() => [Referral], { description: 'Referrals of the case you may see: all of them for the owning municipality; your own open one for a receiving organisation.' })
  referrals(@Root() c: ConsultationCase, @Ctx() ctx: Context): Promise<Referral[]> {
    return ctx.loaders.referralsOf.load(c.id);
  }

  @Mutation(() => ConsultationCase, { description: 'Opens a case at one of your municipality\'s desks. Audited.' })
  async openCase(
    @Arg('input', () => OpenCaseInput, { description: 'The case.' }) input: OpenCaseInput,
    @Arg('idempotencyKey', () => String, idempotencyKeyArg) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    if (!scopeCovers(policy.writeCases(ctx.principal), { jurisdictionCode: input.municipalityCode })) {
      throw forbidden(`You may not open cases for municipality ${input.municipalityCode}.`);
    }
    const row = {
      municipalityCode: input.municipalityCode,
      deskOrganizationId: requireUuid('input.deskId', input.deskId),
      clientReference: requireReference('input.clientReference', input.clientReference),
      ageBand: input.ageBand,
      sex: input.sex,
      needs: [...new Set(input.needs)],
      openedOn: requireDate('input.openedOn', input.openedOn ?? todayInJapan(), { date: '2000-01-01', what: '2000-01-01' }),
    };
    if (row.needs.length === 0) throw badUserInput('input.needs must name at least one field of need.', { argument: 'input.needs' });
    const { caseId } = await write(ctx, info, { action: 'openCase', idempotencyKey, input, caseId: null }, async (m) => {
      const id = randomUUID();
      await m.getRepository(ConsultationCase).insert({ ...row, id, status: CaseStatus.OPEN, closeReason: null, firstContactOn: null, closedOn: null, version: 1, isDemo: false });
      return { caseId: id };
    });
    return ctx.loaders.case.load(caseId);
  }

  @Mutation(() => ConsultationCase, { description: 'Records a contact with the person of an open or referred case. Audited.' })
  async recordContact(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @Arg('expectedVersion', () => Int, versionArg) expectedVersion: number,
    @Arg('input', () => ContactInput, { description: 'The contact.' }) input: ContactInput,
    @Arg('idempotencyKey', () => String, idempotencyKeyArg) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const id = requireUuid('caseId', caseId);
    const staffReference = requireReference('input.staffReference', input.staffReference);
    const note = input.note === null || input.note === undefined ? null : requireText('input.note', input.note);
    await write(ctx, info, { action: 'recordContact', idempotencyKey, input: { id, expectedVersion, input }, caseId: id }, async (m) => {
      const c = await lockCase(m, ctx, id, expectedVersion);
      if (c.status === CaseStatus.CLOSED) throw badUserInput('The case is closed; reopen it before recording a contact.', { argument: 'caseId', status: c.status });
      const contactedOn = requireDate('input.contactedOn', input.contactedOn, { date: c.openedOn, what: 'the day the case was opened' });
      const contactId = randomUUID();
      const sealed = note === null ? null : seal(noteKeyring(), note, place('case_contact', 'note', contactId));
      await m.getRepository(CaseContact).insert({
        id: contactId,
        caseId: id,
        municipalityCode: c.municipalityCode,
        contactedOn,
        channel: input.channel,
        staffReference,
        noteKeyId: sealed?.keyId ?? null,
        noteCiphertext: sealed?.data ?? null,
        isDemo: false,
      });
      const firstContactOn = c.firstContactOn === null || contactedOn < c.firstContactOn ? contactedOn : c.firstContactOn;
      await bumpCase(m, id, { firstContactOn });
      return { caseId: id };
    });
    ctx.loaders.case.clear(id);
    return ctx.loaders.case.load(id);
  }

  @Mutation(() => ConsultationCase, { description: 'Closes a case with a reason. Refused while a referral of it is open. Audited.' })
  async closeCase(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @Arg('expectedVersion', () => Int, versionArg) expectedVersion: number,
    @Arg('reason', () => CloseReason, { description: 'Why the case is closed.' }) reason: CloseReason,
    @Arg('closedOn', () => LocalDateResolver, { nullable: true, description: 'The day it was closed (default: today in Japan).' }) closedOn: string | null,
    @Arg('idempotencyKey', () => String, idempotencyKeyArg) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const id = requireUuid('caseId', caseId);
    await write(ctx, info, { action: 'closeCase', idempotencyKey, input: { id, expectedVersion, reason, closedOn }, caseId: id }, async (m) => {
      const c = await lockCase(m, ctx, id, expectedVersion);
      if (c.status === CaseStatus.CLOSED) throw badUserInput('The case is already closed.', { argument: 'caseId', status: c.status });
      const open = await m.getRepository(Referral).count({ where: OPEN_REFERRAL_STATUSES.map((status) => ({ caseId: id, status })) });
      if (open > 0) throw badUserInput('The case has an open referral; cancel it or wait for it to end before closing the case.', { argument: 'caseId', status: c.status });
      const day = requireDate('closedOn', closedOn ?? todayInJapan(), { date: c.openedOn, what: 'the day the case was opened' });
      await bumpCase(m, id, { status: CaseStatus.CLOSED, closeReason: reason, closedOn: day });
      return { caseId: id };
    });
    ctx.loaders.case.clear(id);
    return ctx.loaders.case.load(id);
  }

  @Mutation(() => ConsultationCase, { description: 'Reopens a closed case. Audited.' })
  async reopenCase(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @Arg('expectedVersion', () => Int, versionArg) expectedVersion: number,
    @Arg('idempotencyKey', () => String, idempotencyKeyArg) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const id = requireUuid('caseId', caseId);
    await write(ctx, info, { action: 'reopenCase', idempotencyKey, input: { id, expectedVersion }, caseId: id }, async (m) => {
      const c = await lockCase(m, ctx, id, expectedVersion);
      if (c.status !== CaseStatus.CLOSED) throw badUserInput(`Only a closed case can be reopened; this one is ${c.status}.`, { argument: 'caseId', status: c.status });
      await bumpCase(m, id, { status: CaseStatus.OPEN, closeReason: null, closedOn: null });
      return { caseId: id };
    });
    ctx.loaders.case.clear(id);
    return ctx.loaders.case.load(id);
  }
}

/** The case, locked, if the principal may change it and `expectedVersion` is current. */
export function lockCase(m: EntityManager, ctx: Context, id: string, expectedVersion: number): Promise<ConsultationCase> {
  return lockForUpdate(m, ConsultationCase, id, 'case', {
    scope: policy.writeCases(ctx.principal),
    owner: (c) => ({ jurisdictionCode: c.municipalityCode }),
    expectedVersion,
  });
}

/** Applies a change to a case and adds one to its version. */
export async function bumpCase(m: EntityManager, id: string, change: Partial<ConsultationCase>): Promise<void> {
  await m
    .getRepository(ConsultationCase)
    .createQueryBuilder()
    .update()
    .set({ ...change, version: () => 'version + 1', updatedAt: () => 'now()' })
    .where('id = :id', { id })
    .execute();
}

@Resolver(() => CaseContact)
export class ContactResolver {
  @FieldResolver(() => String, { nullable: true, description: 'The note, decrypted; null when none was written.' })
  note(@Root() k: CaseContact): string | null {
    return openStored(noteKeyring(), k.noteKeyId, k.noteCiphertext, place('case_contact', 'note', k.id));
  }
}
