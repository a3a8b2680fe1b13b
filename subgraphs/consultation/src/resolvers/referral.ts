import { randomUUID } from 'node:crypto';
import { badUserInput, connectionTypes, forbidden, LocalGovCodeScalar, PageArgs, paginate, requireUuid } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { auditReads } from '../audit';
import type { Context } from '../context';
import { ConsultationCase } from '../entities/case';
import { jurisdictionRef, organizationRef, Jurisdiction, Organization } from '../entities/references';
import { Referral } from '../entities/referral';
import { CaseStatus, OPEN_REFERRAL_STATUSES, REFERRAL_TRANSITIONS, ReferralStatus, ReferralTarget } from '../enums';
import { noteKeyring, openStored, place, seal } from '../notes';
import { policy, referralVisibility } from '../policy';
import { requireText, todayInJapan } from '../validate';
import { lockForUpdate, write } from '../writes';
import { bumpCase, lockCase } from './case';

export const { Connection: ReferralConnection } = connectionTypes(Referral, 'Referral', 'referral');

@InputType({ description: 'A referral of a case to a second-line organisation.' })
export class ReferInput {
  @Field(() => ReferralTarget, { description: 'The kind of organisation.' })
  target!: ReferralTarget;

  @Field(() => ID, { description: 'The receiving organisation (a directory Organization id).' })
  toOrganizationId!: string;

  @Field(() => String, { description: 'Why the case is referred and what is asked (1–4,000 characters); encrypted at rest; the receiving organisation reads it while the referral is open.' })
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
}

const idempotencyKeyArg = { nullable: true, description: 'A key of your choice (8–100 characters, e.g. a UUID): a retry with the same key and input returns the first answer and changes nothing twice.' };
const versionArg = { description: 'The `version` you last read; a stale version is refused with CONFLICT.' };

/** Moves a referral along the state machine, or refuses with a clear error. */
function requireTransition(from: ReferralStatus, to: ReferralStatus): void {
  if (!REFERRAL_TRANSITIONS[from].includes(to)) {
    const allowed = REFERRAL_TRANSITIONS[from];
    throw badUserInput(
      `A referral that is ${from} cannot become ${to}` + (allowed.length ? ` (it can become ${allowed.join(' or ')}).` : ' (it has ended).'),
      { argument: 'status', from, to },
    );
  }
}

/** After a referral ends: the case goes back to OPEN unless another referral of it is still open. */
async function settleCase(m: EntityManager, caseId: string): Promise<void> {
  const open = await m.getRepository(Referral).count({ where: OPEN_REFERRAL_STATUSES.map((status) => ({ caseId, status })) });
  if (open === 0) await bumpCase(m, caseId, { status: CaseStatus.OPEN });
}

@ObjectType({ description: 'What a receiving organisation\'s answer to a referral did.' })
export class ReferralResponse {
  @Field(() => ID, { description: 'The referral.' })
  referralId!: string;

  @Field(() => ReferralStatus, { description: 'The state the referral was moved to.' })
  status!: ReferralStatus;

  @Field(() => Int, { description: 'The referral\'s version after the move: pass it as `expectedVersion` for the next one.' })
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
    description: 'Referrals you may see — your municipality\'s, or the open ones to your organisation — oldest first, a page at a time. Audited.',
  })
  async referrals(
    @Arg('filter', () => ReferralFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: ReferralFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const visible = referralVisibility(ctx.principal);
    const query = ctx.db.getRepository(Referral).createQueryBuilder('r').where(visible.sql, visible.params);
    if (filter?.statuses?.length) query.andWhere('r.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter?.municipalityCode) query.andWhere('r.municipality_code = :m', { m: filter.municipalityCode });
    if (filter?.toOrganizationId) query.andWhere('r.to_organization_id = :org', { org: requireUuid('filter.toOrganizationId', filter.toOrganizationId) });
    const result = await paginate(
      query,
      [
        { sql: 'r.requested_on', value: (r) => r.requestedOn },
        { sql: 'r.id', value: (r) => r.id },
      ],
      page,
    );
    await auditReads(ctx, info, result.nodes.map((r) => r.caseId));
    return result;
  }

  @FieldResolver(() => ConsultationCase, { nullable: true, description: 'The case referred (its summary, for a receiving organisation).' })
  case(@Root() r: Referral, @Ctx() ctx: Context): Promise<ConsultationCase | null> {
    return ctx.loaders.case.load(r.caseId);
  }

  @FieldResolver(() => Jurisdiction, { description: 'The municipality that made the referral.' })
  municipality(@Root() r: Referral): Jurisdiction {
    return jurisdictionRef(r.municipalityCode);
  }

  @FieldResolver(() => Organization, { description: 'The receiving organisation.' })
  toOrganization(@Root() r: Referral): Organization {
    return organizationRef(r.toOrganizationId);
  }

  @FieldResolver(() => String, { description: 'Why the case was referred and what is asked.' })
  reason(@Root() r: Referral): string | null {
    return openStored(noteKeyring(), r.reasonKeyId, r.reasonCiphertext, place('referral', 'reason', r.id));
  }

  @FieldResolver(() => String, { nullable: true, description: 'The receiving organisation\'s answer: why it declined, or the outcome when completed; null otherwise.' })
  response(@Root() r: Referral): string | null {
    return openStored(noteKeyring(), r.responseKeyId, r.responseCiphertext, place('referral', 'response', r.id));
  }

  @Mutation(() => Referral, { description: 'Refers an open case of your municipality to a second-line organisation (REQUESTED). The case becomes REFERRED. Audited.' })
  async referCase(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @Arg('expectedVersion', () => Int, versionArg) expectedVersion: number,
    @Arg('input', () => ReferInput, { description: 'The referral.' }) input: ReferInput,
    @Arg('idempotencyKey', () => String, idempotencyKeyArg) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const id = requireUuid('caseId', caseId);
    const toOrganizationId = requireUuid('input.toOrganizationId', input.toOrganizationId);
    const reason = requireText('input.reason', input.reason);
    const { referralId } = await write(ctx, info, { action: 'referCase', idempotencyKey, input: { id, expectedVersion, input }, caseId: id }, async (m) => {
      const c = await lockCase(m, ctx, id, expectedVersion);
      if (c.status === CaseStatus.CLOSED) throw badUserInput('The case is closed; reopen it before referring it.', { argument: 'caseId', status: c.status });
      const referralId = randomUUID();
      const sealed = seal(noteKeyring(), reason, place('referral', 'reason', referralId));
      await m.getRepository(Referral).insert({
        id: referralId,
        caseId: id,
        municipalityCode: c.municipalityCode,
        target: input.target,
        toOrganizationId,
        status: ReferralStatus.REQUESTED,
        reasonKeyId: sealed.keyId,
        reasonCiphertext: sealed.data,
        responseKeyId: null,
        responseCiphertext: null,
        requestedOn: todayInJapan(),
        respondedOn: null,
        endedOn: null,
        version: 1,
        isDemo: false,
      });
      await bumpCase(m, id, { status: CaseStatus.REFERRED });
      return { caseId: id, referralId };
    });
    return ctx.loaders.referral.load(referralId);
  }

  @Mutation(() => ReferralResponse, {
    description:
      'The receiving organisation moves a referral on: ACCEPTED or DECLINED (from REQUESTED), IN_PROGRESS (from ACCEPTED), COMPLETED ' +
      '(from IN_PROGRESS). DECLINED and COMPLETED need a note (the reason, or the outcome). Illegal moves are refused. Audited.',
  })
  async respondToReferral(
    @Arg('referralId', () => ID, { description: 'The referral.' }) referralId: string,
    @Arg('expectedVersion', () => Int, versionArg) expectedVersion: number,
    @Arg('status', () => ReferralStatus, { description: 'The new state: ACCEPTED, DECLINED, IN_PROGRESS or COMPLETED.' }) status: ReferralStatus,
    @Arg('note', () => String, { nullable: true, description: 'Why declined, or the outcome when completed (1–4,000 characters); encrypted at rest.' }) note: string | null,
    @Arg('idempotencyKey', () => String, idempotencyKeyArg) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const id = requireUuid('referralId', referralId);
    if (status === ReferralStatus.CANCELLED || status === ReferralStatus.REQUESTED) {
      throw badUserInput(`A receiving organisation cannot set ${status}; the municipality cancels with cancelReferral.`, { argument: 'status' });
    }
    // An omitted nullable argument arrives as undefined.
    const given = note ?? null;
    const needsNote = status === ReferralStatus.DECLINED || status === ReferralStatus.COMPLETED;
    if (needsNote && (given === null || given.trim() === '')) throw badUserInput(`${status} needs a note (${status === ReferralStatus.DECLINED ? 'the reason' : 'the outcome'}).`, { argument: 'note' });
    const text = given === null ? null : requireText('note', given);
    const existing = await ctx.db.getRepository(Referral).findOneBy({ id });
    const result = await write(ctx, info, { action: `respondToReferral:${status}`, idempotencyKey, input: { id, expectedVersion, status, note: given }, caseId: existing?.caseId ?? null }, async (m) => {
      const r = await lockForUpdate(m, Referral, id, 'referral', {
        scope: policy.respondToReferrals(ctx.principal),
        owner: (row) => ({ organizationId: row.toOrganizationId }),
        expectedVersion,
      });
      requireTransition(r.status, status);
      const sealed = text === null ? null : seal(noteKeyring(), text, place('referral', 'response', id));
      const today = todayInJapan();
      await m
        .getRepository(Referral)
        .createQueryBuilder()
        .update()
        .set({
          status,
          ...(sealed ? { responseKeyId: sealed.keyId, responseCiphertext: sealed.data } : {}),
          ...(status === ReferralStatus.ACCEPTED || status === ReferralStatus.DECLINED ? { respondedOn: today } : {}),
          ...(needsNote ? { endedOn: today } : {}),
          version: () => 'version + 1',
          updatedAt: () => 'now()',
        })
        .where('id = :id', { id })
        .execute();
      if (needsNote) await settleCase(m, r.caseId);
      return { caseId: r.caseId, status, version: r.version + 1 };
    });
    // What the write did (from its stored result on a retry), and the referral only as far as the
    // policy still shows it: an ended referral, and anything done to it later, stay unseen.
    ctx.loaders.referral.clear(id);
    return { referralId: id, status: result.status, version: result.version, referral: await ctx.loaders.referral.load(id) };
  }

  @Mutation(() => Referral, { description: 'The municipality withdraws a referral that has not ended (CANCELLED). Audited.' })
  async cancelReferral(
    @Arg('referralId', () => ID, { description: 'The referral.' }) referralId: string,
    @Arg('expectedVersion', () => Int, versionArg) expectedVersion: number,
    @Arg('reason', () => String, { description: 'Why it is withdrawn (1–4,000 characters); encrypted at rest.' }) reason: string,
    @Arg('idempotencyKey', () => String, idempotencyKeyArg) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const id = requireUuid('referralId', referralId);
    const text = requireText('reason', reason);
    const existing = await ctx.db.getRepository(Referral).findOneBy({ id });
    await write(ctx, info, { action: 'cancelReferral', idempotencyKey, input: { id, expectedVersion, reason }, caseId: existing?.caseId ?? null }, async (m) => {
      const r = await lockForUpdate(m, Referral, id, 'referral', {
        scope: policy.writeCases(ctx.principal),
        owner: (row) => ({ jurisdictionCode: row.municipalityCode }),
        expectedVersion,
      });
      requireTransition(r.status, ReferralStatus.CANCELLED);
      const sealed = seal(noteKeyring(), text, place('referral', 'response', id));
      await m
        .getRepository(Referral)
        .createQueryBuilder()
        .update()
        .set({ status: ReferralStatus.CANCELLED, responseKeyId: sealed.keyId, responseCiphertext: sealed.data, endedOn: todayInJapan(), version: () => 'version + 1', updatedAt: () => 'now()' })
        .where('id = :id', { id })
        .execute();
      await settleCase(m, r.caseId);
      return { caseId: r.caseId };
    });
    ctx.loaders.referral.clear(id);
    return ctx.loaders.referral.load(id);
  }
}

@Resolver(() => Organization)
export class OrganizationReferralsResolver {
  @FieldResolver(() => [Referral], {
    nullable: true,
    description: 'Open referrals this organisation has received, oldest first. Only for a principal acting for this organisation; null with FORBIDDEN for anyone else. Audited.',
  })
  async openReferrals(@Root() o: Organization, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Referral[]> {
    if (ctx.principal.organizationId !== o.id.toLowerCase()) throw forbidden('Only the organisation itself may see the referrals it received.');
    const rows = await ctx.loaders.openReferralsTo.load(o.id.toLowerCase());
    await auditReads(ctx, info, rows.map((r) => r.caseId));
    return rows;
  }
}
