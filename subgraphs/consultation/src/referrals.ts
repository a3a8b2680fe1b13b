import { randomUUID } from 'node:crypto';
import {
  authorize,
  badUserInput,
  forbidden,
  isNothing,
  lockRow,
  mutate,
  paginate,
  requireText,
  requireUuid,
  revive,
  rowAsWritten,
  type PageArgs,
  type Principal,
  type Rule,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import { auditReads, AUDITED_TYPE } from './audit';
import { authorizeCase, bumpCase, hasOpenReferral, lockCase, mayWriteSomeCase } from './cases';
import type { Context } from './context';
import { Referral } from './entities/referral';
import { ConsultationCase } from './entities/case';
import {
  CaseStatus,
  CloseReason,
  DESK_SERVICES,
  RECEIVER_SERVICES,
  REFERRAL_TRANSITIONS,
  ReferralDirection,
  ReferralStatus,
  ReferralTarget,
  type AgeBand,
  type Need,
  type Sex,
} from './enums';
import { noteKeyring, place, seal } from './notes';
import { policy, referralVisibility } from './policy';
import { todayInJapan } from './validate';

/**
 * The referral aggregate: reads (policy in SQL, audited against the referred case) and writes (the
 * kit's mutation pipeline; every record is keyed by the case, whose trail the municipality reads).
 */

export interface ReferralFilterArgs {
  readonly statuses?: readonly ReferralStatus[] | null;
  readonly municipalityCode?: string | null;
  readonly toOrganizationId?: string | null;
  readonly direction?: ReferralDirection | null;
}

/** Which way a referral goes. */
export const directionOf = (r: Pick<Referral, 'fromKind'>): ReferralDirection =>
  r.fromKind === ReferralTarget.MUNICIPALITY ? ReferralDirection.FROM_MUNICIPALITY : ReferralDirection.TO_MUNICIPALITY;

/** The referrals the principal may see, filtered, a page at a time; audited against their cases (a count alone returns none). */
export async function listReferrals(ctx: Context, info: GraphQLResolveInfo, filter: ReferralFilterArgs | null, page: PageArgs) {
  const visible = referralVisibility(ctx.principal);
  const query = ctx.db.getRepository(Referral).createQueryBuilder('r').where(visible.sql, visible.params);
  if (filter?.statuses?.length) query.andWhere('r.status IN (:...statuses)', { statuses: filter.statuses });
  if (filter?.municipalityCode) query.andWhere('r.municipality_code = :m', { m: filter.municipalityCode });
  if (filter?.toOrganizationId) query.andWhere('r.to_organization_id = :org', { org: requireUuid('filter.toOrganizationId', filter.toOrganizationId) });
  if (filter?.direction)
    query.andWhere(filter.direction === ReferralDirection.FROM_MUNICIPALITY ? "r.from_kind = 'MUNICIPALITY'" : "r.from_kind <> 'MUNICIPALITY'");
  const result = await paginate(
    query,
    [
      { sql: 'r.requested_on', value: (r) => r.requestedOn },
      { sql: 'r.id', value: (r) => r.id },
    ],
    page,
    info,
  );
  await auditReads(
    ctx,
    info,
    result.nodes.map((r) => r.caseId),
  );
  return result;
}

/** The open referrals an organisation received: only for a principal acting for it; audited. */
export async function openReferralsTo(ctx: Context, info: GraphQLResolveInfo, organizationId: string): Promise<Referral[]> {
  const id = organizationId.toLowerCase();
  if (ctx.principal.organizationId !== id) throw forbidden('Only the organisation itself may see the referrals it received.');
  const rows = await ctx.loaders.openReferralsTo.load(id);
  await auditReads(
    ctx,
    info,
    rows.map((r) => r.caseId),
  );
  return rows;
}

/** Moves a referral along the state machine, or refuses with a clear error. */
function requireTransition(from: ReferralStatus, to: ReferralStatus): void {
  if (!REFERRAL_TRANSITIONS[from].includes(to)) {
    const allowed = REFERRAL_TRANSITIONS[from];
    throw badUserInput(`A referral that is ${from} cannot become ${to}` + (allowed.length ? ` (it can become ${allowed.join(' or ')}).` : ' (it has ended).'), {
      argument: 'status',
      from,
      to,
    });
  }
}

/**
 * After a referral ends. One the municipality made: the case goes back to OPEN unless another of its
 * referrals is still open. One made to the municipality and declined by it: support stays with the
 * sender, so the case it opened is closed (CONTINUING_ELSEWHERE).
 */
async function settleCase(m: EntityManager, r: Referral, status: ReferralStatus): Promise<void> {
  if (directionOf(r) === ReferralDirection.TO_MUNICIPALITY) {
    if (status === ReferralStatus.DECLINED && !(await hasOpenReferral(m, r.caseId))) {
      await bumpCase(m, r.caseId, { status: CaseStatus.CLOSED, closeReason: CloseReason.CONTINUING_ELSEWHERE, closedOn: todayInJapan() });
    }
    return;
  }
  if (!(await hasOpenReferral(m, r.caseId))) await bumpCase(m, r.caseId, { status: CaseStatus.OPEN });
}

/** The case a referral belongs to, for the record of a refused change to it. */
const caseOfReferral =
  (id: string) =>
  async (db: Context['db']): Promise<string | null> =>
    (await db.getRepository(Referral).findOneBy({ id }))?.caseId ?? null;

/** The policy decisions of a change to a referral by `rule`: someone it gives nothing learns nothing; otherwise the rule must cover the row. */
const referralWriter = (rule: Rule, owner: (r: Referral) => { jurisdictionCode?: string; organizationId?: string }) => ({
  before: (principal: Context['principal']) => {
    if (isNothing(rule(principal))) throw forbidden('You may not change a referral.');
  },
  row: (principal: Context['principal'], r: Referral) => authorize(rule(principal), owner(r), 'this referral'),
});

/**
 * Who answers a referral: the receiving organisation of one the municipality made; the municipality
 * itself (`writeCases`) of one made to it.
 */
const responder = {
  before: (principal: Principal) => {
    if (isNothing(policy.respondToReferrals(principal)) && isNothing(policy.writeCases(principal))) throw forbidden('You may not change a referral.');
  },
  row: (principal: Principal, r: Referral) =>
    directionOf(r) === ReferralDirection.TO_MUNICIPALITY
      ? authorize(policy.writeCases(principal), { jurisdictionCode: r.municipalityCode }, 'this referral (the municipality it was made to answers it)')
      : authorize(policy.respondToReferrals(principal), { organizationId: r.toOrganizationId }, 'this referral'),
};

const lockReferral = (m: EntityManager, id: string): Promise<Referral> =>
  lockRow(m, m.getRepository(Referral).createQueryBuilder('x').where('x.id = :id', { id }), 'referral', id);

/** Applies a change to a referral and adds one to its version. */
async function bumpReferral(m: EntityManager, id: string, change: Partial<Referral>): Promise<void> {
  await m
    .getRepository(Referral)
    .createQueryBuilder()
    .update()
    .set({ ...change, version: () => 'version + 1', updatedAt: () => 'now()' })
    .where('id = :id', { id })
    .execute();
}

function requireOutboundTarget(target: ReferralTarget): ReferralTarget {
  if (target === ReferralTarget.MUNICIPALITY)
    throw badUserInput(
      'input.target: a municipal desk refers to another kind of organisation; a referral to a municipality is made by the sender with referToMunicipality.',
      { argument: 'input.target' },
    );
  return target;
}

export interface ReferArgs {
  readonly target: ReferralTarget;
  readonly toOrganizationId: string;
  readonly reason: string;
}

export async function referCase(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { caseId: string; expectedVersion: number; input: ReferArgs; idempotencyKey: string | null },
): Promise<Referral | null> {
  const { caseId, expectedVersion, input } = args;
  const { referral } = await mutate(ctx, info, {
    action: 'referCase',
    entityType: AUDITED_TYPE,
    input: { id: caseId.toLowerCase(), expectedVersion, input },
    idempotencyKey: args.idempotencyKey,
    refusedKey: caseId.toLowerCase(),
    validate: () => ({
      id: requireUuid('caseId', caseId),
      target: requireOutboundTarget(input.target),
      toOrganizationId: requireUuid('input.toOrganizationId', input.toOrganizationId),
      reason: requireText('input.reason', input.reason),
    }),
    authorize: mayWriteSomeCase,
    // The receiver is the directory's: it must exist and be of the kind the referral is to.
    checkReferences: async (_m, v) => {
      await ctx.directory.requireOrganization(ctx.principal, v.toOrganizationId, {
        argument: 'input.toOrganizationId',
        what: `a receiver of a ${input.target} referral`,
        services: RECEIVER_SERVICES[input.target],
      });
    },
    lock: { what: 'case', row: (m, v) => lockCase(m, v.id), authorize: authorizeCase, expectedVersion },
    write: async (m, v, c) => {
      if (c.status === CaseStatus.CLOSED) throw badUserInput('The case is closed; reopen it before referring it.', { argument: 'caseId', status: c.status });
      const referralId = randomUUID();
      const sealed = seal(noteKeyring(), v.reason, place('referral', 'reason', referralId));
      await m.getRepository(Referral).insert({
        id: referralId,
        caseId: c.id,
        municipalityCode: c.municipalityCode,
        target: v.target,
        toOrganizationId: v.toOrganizationId,
        fromKind: ReferralTarget.MUNICIPALITY,
        fromOrganizationId: null,
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
      await bumpCase(m, c.id, { status: CaseStatus.REFERRED });
      return { caseId: c.id, referralId, referral: await rowAsWritten(m, Referral, referralId) };
    },
    audit: (result) => [{ entityType: AUDITED_TYPE, entityKey: result.caseId }],
  });
  return asWritten(ctx, referral);
}

/** The referral as the write left it (a replay answers the same, never its later state); its sealed texts, which a write never changes afterwards, from the row now. */
async function asWritten(ctx: Context, stored: Referral): Promise<Referral> {
  ctx.loaders.referral.clear(stored.id);
  return revive(ctx.db, Referral, stored, await ctx.db.getRepository(Referral).findOneBy({ id: stored.id }));
}

/** What a receiving organisation's answer did: from the write (or its stored result on a retry), and the referral as far as the policy still shows it. */
export interface ReferralResponseResult {
  readonly referralId: string;
  readonly status: ReferralStatus;
  readonly version: number;
  readonly referral: Referral | null;
}

export async function respondToReferral(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { referralId: string; expectedVersion: number; status: ReferralStatus; note: string | null; idempotencyKey: string | null },
): Promise<ReferralResponseResult> {
  const { referralId, expectedVersion, status } = args;
  // An omitted nullable argument arrives as undefined.
  const given = args.note ?? null;
  const needsNote = status === ReferralStatus.DECLINED || status === ReferralStatus.COMPLETED;
  const writer = responder;
  const result = await mutate(ctx, info, {
    action: `respondToReferral:${status}`,
    entityType: AUDITED_TYPE,
    input: { id: referralId.toLowerCase(), expectedVersion, status, note: given },
    idempotencyKey: args.idempotencyKey,
    refusedKey: caseOfReferral(referralId.toLowerCase()),
    validate: () => {
      const id = requireUuid('referralId', referralId);
      if (status === ReferralStatus.CANCELLED || status === ReferralStatus.REQUESTED) {
        throw badUserInput(`A receiving organisation cannot set ${status}; the municipality cancels with cancelReferral.`, { argument: 'status' });
      }
      if (needsNote && (given === null || given.trim() === ''))
        throw badUserInput(`${status} needs a note (${status === ReferralStatus.DECLINED ? 'the reason' : 'the outcome'}).`, { argument: 'note' });
      return { id, text: given === null ? null : requireText('note', given) };
    },
    authorize: writer.before,
    lock: { what: 'referral', row: (m, v) => lockReferral(m, v.id), authorize: writer.row, expectedVersion },
    write: async (m, v, r) => {
      requireTransition(r.status, status);
      const sealed = v.text === null ? null : seal(noteKeyring(), v.text, place('referral', 'response', r.id));
      const today = todayInJapan();
      await bumpReferral(m, r.id, {
        status,
        ...(sealed ? { responseKeyId: sealed.keyId, responseCiphertext: sealed.data } : {}),
        ...(status === ReferralStatus.ACCEPTED || status === ReferralStatus.DECLINED ? { respondedOn: today } : {}),
        ...(needsNote ? { endedOn: today } : {}),
      });
      if (needsNote) await settleCase(m, r, status);
      return { caseId: r.caseId, referralId: r.id, status, version: r.version + 1 };
    },
    audit: (done) => [{ entityType: AUDITED_TYPE, entityKey: done.caseId }],
  });
  // What the write did (from its stored result on a retry), and the referral only as far as the
  // policy still shows it: an ended referral, and anything done to it later, stay unseen.
  ctx.loaders.referral.clear(result.referralId);
  return { referralId: result.referralId, status: result.status, version: result.version, referral: await ctx.loaders.referral.load(result.referralId) };
}

export async function cancelReferral(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { referralId: string; expectedVersion: number; reason: string; idempotencyKey: string | null },
): Promise<Referral | null> {
  const { referralId, expectedVersion, reason } = args;
  const writer = referralWriter(policy.writeCases, (r) => ({ jurisdictionCode: r.municipalityCode }));
  const { referral } = await mutate(ctx, info, {
    action: 'cancelReferral',
    entityType: AUDITED_TYPE,
    input: { id: referralId.toLowerCase(), expectedVersion, reason },
    idempotencyKey: args.idempotencyKey,
    refusedKey: caseOfReferral(referralId.toLowerCase()),
    validate: () => ({ id: requireUuid('referralId', referralId), text: requireText('reason', reason) }),
    authorize: writer.before,
    lock: { what: 'referral', row: (m, v) => lockReferral(m, v.id), authorize: writer.row, expectedVersion },
    write: async (m, v, r) => {
      if (directionOf(r) === ReferralDirection.TO_MUNICIPALITY)
        throw badUserInput('A referral made to the municipality is answered (respondToReferral: ACCEPTED or DECLINED), not cancelled.', {
          argument: 'referralId',
        });
      requireTransition(r.status, ReferralStatus.CANCELLED);
      const sealed = seal(noteKeyring(), v.text, place('referral', 'response', r.id));
      await bumpReferral(m, r.id, { status: ReferralStatus.CANCELLED, responseKeyId: sealed.keyId, responseCiphertext: sealed.data, endedOn: todayInJapan() });
      await settleCase(m, r, ReferralStatus.CANCELLED);
      return { caseId: r.caseId, referralId: r.id, referral: await rowAsWritten(m, Referral, r.id) };
    },
    audit: (done) => [{ entityType: AUDITED_TYPE, entityKey: done.caseId }],
  });
  return asWritten(ctx, referral);
}

export interface ReferToMunicipalityArgs {
  readonly municipalityCode: string;
  readonly deskId: string;
  readonly fromKind: ReferralTarget;
  readonly ageBand: AgeBand;
  readonly sex: Sex;
  readonly needs: readonly Need[];
  readonly reason: string;
}

/**
 * An organisation refers a person to a municipal desk (the second line back to the municipality, or
 * a hospital, centre or provider to it): the municipality's case is opened with the referral
 * REQUESTED from the sender; the municipality answers it. The sender's organisation must be of the
 * kind it says (`fromKind`), and the desk the municipality's consultation desk (checked with the
 * directory); otherwise BAD_USER_INPUT and nothing is stored.
 */
export async function referToMunicipality(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { input: ReferToMunicipalityArgs; idempotencyKey: string | null },
): Promise<Referral> {
  const { input } = args;
  const { referral } = await mutate(ctx, info, {
    action: 'referToMunicipality',
    entityType: AUDITED_TYPE,
    input,
    idempotencyKey: args.idempotencyKey,
    validate: () => {
      if (input.fromKind === ReferralTarget.MUNICIPALITY)
        throw badUserInput('input.fromKind is the kind of your organisation; a municipality refers with referCase.', { argument: 'input.fromKind' });
      const needs = [...new Set(input.needs)];
      if (needs.length === 0) throw badUserInput('input.needs must name at least one field of need.', { argument: 'input.needs' });
      return { deskId: requireUuid('input.deskId', input.deskId), needs, reason: requireText('input.reason', input.reason) };
    },
    authorize: (principal) => {
      if (isNothing(policy.referToMunicipalities(principal)))
        throw forbidden('Only an organisation (a credential with its `org`) may refer a person to a municipality.');
    },
    checkReferences: async (_m, v) => {
      const from = ctx.principal.organizationId as string;
      await ctx.directory.requireOrganization(ctx.principal, from, {
        argument: 'input.fromKind',
        what: `a ${input.fromKind} (the kind your referral says it comes from)`,
        services: RECEIVER_SERVICES[input.fromKind],
      });
      await ctx.directory.requireOrganization(ctx.principal, v.deskId, {
        argument: 'input.deskId',
        what: 'a consultation desk',
        services: DESK_SERVICES,
        serves: input.municipalityCode,
      });
    },
    write: async (m, v) => {
      const caseId = randomUUID();
      const referralId = randomUUID();
      const today = todayInJapan();
      await m.getRepository(ConsultationCase).insert({
        id: caseId,
        municipalityCode: input.municipalityCode,
        deskOrganizationId: v.deskId,
        // The sender does not know the municipality's own reference: a pseudonymous one from the referral.
        clientReference: `REF-${referralId.slice(0, 8)}`,
        ageBand: input.ageBand,
        sex: input.sex,
        needs: v.needs,
        status: CaseStatus.OPEN,
        closeReason: null,
        openedOn: today,
        firstContactOn: null,
        closedOn: null,
        version: 1,
        isDemo: false,
      });
      const sealed = seal(noteKeyring(), v.reason, place('referral', 'reason', referralId));
      await m.getRepository(Referral).insert({
        id: referralId,
        caseId,
        municipalityCode: input.municipalityCode,
        target: ReferralTarget.MUNICIPALITY,
        toOrganizationId: v.deskId,
        fromKind: input.fromKind,
        fromOrganizationId: ctx.principal.organizationId,
        status: ReferralStatus.REQUESTED,
        reasonKeyId: sealed.keyId,
        reasonCiphertext: sealed.data,
        responseKeyId: null,
        responseCiphertext: null,
        requestedOn: today,
        respondedOn: null,
        endedOn: null,
        version: 1,
        isDemo: false,
      });
      return { caseId, referralId, referral: await rowAsWritten(m, Referral, referralId) };
    },
    audit: (result) => [{ entityType: AUDITED_TYPE, entityKey: result.caseId }],
  });
  return asWritten(ctx, referral);
}
