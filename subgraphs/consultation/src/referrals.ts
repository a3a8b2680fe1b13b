import { randomUUID } from 'node:crypto';
import { authorize, badUserInput, forbidden, isNothing, lockRow, mutate, paginate, requireText, requireUuid, revive, rowAsWritten, type PageArgs, type Rule } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import { auditReads, AUDITED_TYPE } from './audit';
import { authorizeCase, bumpCase, hasOpenReferral, lockCase, mayWriteSomeCase } from './cases';
import type { Context } from './context';
import { Referral } from './entities/referral';
import { CaseStatus, RECEIVER_SERVICES, REFERRAL_TRANSITIONS, ReferralStatus, type ReferralTarget } from './enums';
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
}

/** The referrals the principal may see, filtered, a page at a time; audited against their cases. */
export async function listReferrals(ctx: Context, info: GraphQLResolveInfo, filter: ReferralFilterArgs | null, page: PageArgs) {
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

/** The open referrals an organisation received: only for a principal acting for it; audited. */
export async function openReferralsTo(ctx: Context, info: GraphQLResolveInfo, organizationId: string): Promise<Referral[]> {
  const id = organizationId.toLowerCase();
  if (ctx.principal.organizationId !== id) throw forbidden('Only the organisation itself may see the referrals it received.');
  const rows = await ctx.loaders.openReferralsTo.load(id);
  await auditReads(ctx, info, rows.map((r) => r.caseId));
  return rows;
}

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
  if (!(await hasOpenReferral(m, caseId))) await bumpCase(m, caseId, { status: CaseStatus.OPEN });
}

/** The case a referral belongs to, for the record of a refused change to it. */
const caseOfReferral = (id: string) => async (db: Context['db']): Promise<string | null> =>
  (await db.getRepository(Referral).findOneBy({ id }))?.caseId ?? null;

/** The policy decisions of a change to a referral by `rule`: someone it gives nothing learns nothing; otherwise the rule must cover the row. */
const referralWriter = (rule: Rule, owner: (r: Referral) => { jurisdictionCode?: string; organizationId?: string }) => ({
  before: (principal: Context['principal']) => {
    if (isNothing(rule(principal))) throw forbidden('You may not change a referral.');
  },
  row: (principal: Context['principal'], r: Referral) => authorize(rule(principal), owner(r), 'this referral'),
});

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
        target: input.target,
        toOrganizationId: v.toOrganizationId,
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
  const writer = referralWriter(policy.respondToReferrals, (r) => ({ organizationId: r.toOrganizationId }));
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
      if (needsNote && (given === null || given.trim() === '')) throw badUserInput(`${status} needs a note (${status === ReferralStatus.DECLINED ? 'the reason' : 'the outcome'}).`, { argument: 'note' });
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
      if (needsNote) await settleCase(m, r.caseId);
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
      requireTransition(r.status, ReferralStatus.CANCELLED);
      const sealed = seal(noteKeyring(), v.text, place('referral', 'response', r.id));
      await bumpReferral(m, r.id, { status: ReferralStatus.CANCELLED, responseKeyId: sealed.keyId, responseCiphertext: sealed.data, endedOn: todayInJapan() });
      await settleCase(m, r.caseId);
      return { caseId: r.caseId, referralId: r.id, referral: await rowAsWritten(m, Referral, r.id) };
    },
    audit: (done) => [{ entityType: AUDITED_TYPE, entityKey: done.caseId }],
  });
  return asWritten(ctx, referral);
}
