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
  scopeWhere,
  type PageArgs,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import { auditReads, auditRefusedRead, AUDITED_TYPE } from './audit';
import type { Context } from './context';
import { ConsultationCase } from './entities/case';
import { CaseContact } from './entities/contact';
import { Referral } from './entities/referral';
import {
  CaseStatus,
  DESK_SERVICES,
  OPEN_REFERRAL_STATUSES,
  ReferralTarget,
  type AgeBand,
  type CloseReason,
  type ContactChannel,
  type Need,
  type Sex,
} from './enums';
import { noteKeyring, place, seal } from './notes';
import { caseVisibility, policy } from './policy';
import { requireDate, requireReference, todayInJapan } from './validate';

/**
 * The case aggregate: its reads (policy in SQL, every case returned audited) and its writes (the
 * kit's mutation pipeline). The resolvers call these and hold no SQL.
 */

export interface CaseFilterArgs {
  readonly municipalityCode?: string | null;
  readonly statuses?: readonly CaseStatus[] | null;
  readonly need?: Need | null;
  readonly openedFrom?: string | null;
  readonly openedTo?: string | null;
  readonly clientReference?: string | null;
}

/** One case by id, as the principal may see it; a refused fetch of an existing case is audited. */
export async function caseById(ctx: Context, info: GraphQLResolveInfo, id: string): Promise<ConsultationCase | null> {
  const caseId = requireUuid('id', id);
  const row = await ctx.loaders.case.load(caseId);
  if (row) await auditReads(ctx, info, [row.id]);
  else await auditRefusedRead(ctx, info, caseId);
  return row;
}

/** The cases the principal may see, filtered, a page at a time; every case returned is audited (a count alone returns none). */
export async function listCases(ctx: Context, info: GraphQLResolveInfo, filter: CaseFilterArgs | null, page: PageArgs) {
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
    info,
  );
  await auditReads(
    ctx,
    info,
    result.nodes.map((c) => c.id),
  );
  return result;
}

/** The contacts of a case: the owning municipality only (a refusal is audited). */
export async function contactsOf(ctx: Context, info: GraphQLResolveInfo, c: ConsultationCase, owner: boolean): Promise<CaseContact[]> {
  if (!owner) {
    await auditRefusedRead(ctx, info, c.id, 'read:contacts');
    throw forbidden('You may not see the contacts of a case your municipality does not own.');
  }
  return ctx.loaders.contactsOf.load(c.id);
}

/** The policy decision every write to an existing case starts with: a principal that may change no case learns nothing, not even whether the id exists. */
export function mayWriteSomeCase(principal: Context['principal']): void {
  if (isNothing(policy.writeCases(principal))) throw forbidden('You may not change a case.');
}

/** The case, locked, when the principal may change it (the pipeline then checks its version). */
export function lockCase(m: EntityManager, id: string): Promise<ConsultationCase> {
  return lockRow(m, m.getRepository(ConsultationCase).createQueryBuilder('x').where('x.id = :id', { id }), 'case', id);
}

/** The policy decision on a locked case: its municipality must be one the principal writes for. */
export function authorizeCase(principal: Context['principal'], c: ConsultationCase): void {
  authorize(policy.writeCases(principal), { jurisdictionCode: c.municipalityCode }, 'this case');
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

/** Whether a case has a referral that has not ended. */
/** Is a referral the municipality made of this case still open (what makes a case REFERRED)? */
export async function hasOpenReferral(m: EntityManager, caseId: string): Promise<boolean> {
  return (
    (await m.getRepository(Referral).count({ where: OPEN_REFERRAL_STATUSES.map((status) => ({ caseId, status, fromKind: ReferralTarget.MUNICIPALITY })) })) > 0
  );
}

const audited = (caseId: string) => [{ entityType: AUDITED_TYPE, entityKey: caseId }];

/** A change to one existing case, through the pipeline: locked, authorised, version-checked, audited. */
function changeCase<V, R extends { caseId: string }>(
  ctx: Context,
  info: GraphQLResolveInfo,
  request: { action: string; caseId: string; expectedVersion: number; idempotencyKey: string | null; input: unknown },
  validate: () => V,
  write: (m: EntityManager, input: V, c: ConsultationCase) => Promise<R>,
): Promise<ConsultationCase> {
  return mutate<V & { id: string }, R & { case: ConsultationCase }, ConsultationCase>(ctx, info, {
    action: request.action,
    entityType: AUDITED_TYPE,
    input: request.input,
    idempotencyKey: request.idempotencyKey,
    refusedKey: request.caseId.toLowerCase(),
    validate: () => ({ ...validate(), id: requireUuid('caseId', request.caseId) }),
    authorize: mayWriteSomeCase,
    lock: { what: 'case', row: (m, v) => lockCase(m, v.id), authorize: authorizeCase, expectedVersion: request.expectedVersion },
    write: async (m, v, c) => {
      const result = await write(m, v, c);
      return { ...result, case: await rowAsWritten(m, ConsultationCase, result.caseId) };
    },
    audit: (result) => audited(result.caseId),
  }).then((result) => asWritten(ctx, result.case));
}

/** The case as the write left it (a replay answers the same, never the case's later state). */
function asWritten(ctx: Context, stored: ConsultationCase): ConsultationCase {
  ctx.loaders.case.clear(stored.id);
  return revive(ctx.db, ConsultationCase, stored);
}

export interface OpenCaseArgs {
  readonly municipalityCode: string;
  readonly deskId: string;
  readonly clientReference: string;
  readonly ageBand: AgeBand;
  readonly sex: Sex;
  readonly needs: readonly Need[];
  readonly openedOn?: string | null;
}

export async function openCase(ctx: Context, info: GraphQLResolveInfo, input: OpenCaseArgs, idempotencyKey: string | null): Promise<ConsultationCase | null> {
  const opened = await mutate(ctx, info, {
    action: 'openCase',
    entityType: AUDITED_TYPE,
    input,
    idempotencyKey,
    validate: () => {
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
      return row;
    },
    authorize: (principal, row) =>
      authorize(policy.writeCases(principal), { jurisdictionCode: row.municipalityCode }, `cases of municipality ${row.municipalityCode}`),
    // The desk is the directory's: it must exist, be a consultation desk, and be in or serve the municipality.
    checkReferences: async (_m, row) => {
      await ctx.directory.requireOrganization(ctx.principal, row.deskOrganizationId, {
        argument: 'input.deskId',
        what: 'a consultation desk',
        services: DESK_SERVICES,
        serves: row.municipalityCode,
      });
    },
    write: async (m, row) => {
      const id = randomUUID();
      await m
        .getRepository(ConsultationCase)
        .insert({ ...row, id, status: CaseStatus.OPEN, closeReason: null, firstContactOn: null, closedOn: null, version: 1, isDemo: false });
      return { caseId: id, case: await rowAsWritten(m, ConsultationCase, id) };
    },
    audit: (result) => audited(result.caseId),
  });
  return asWritten(ctx, opened.case);
}

export interface ContactArgs {
  readonly contactedOn: string;
  readonly channel: ContactChannel;
  readonly staffReference: string;
  readonly note?: string | null;
}

export async function recordContact(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { caseId: string; expectedVersion: number; input: ContactArgs; idempotencyKey: string | null },
): Promise<ConsultationCase | null> {
  const { caseId, expectedVersion, input } = args;
  return changeCase(
    ctx,
    info,
    { action: 'recordContact', caseId, expectedVersion, idempotencyKey: args.idempotencyKey, input: { id: caseId.toLowerCase(), expectedVersion, input } },
    () => ({
      staffReference: requireReference('input.staffReference', input.staffReference),
      note: input.note === null || input.note === undefined ? null : requireText('input.note', input.note),
    }),
    async (m, v, c) => {
      if (c.status === CaseStatus.CLOSED)
        throw badUserInput('The case is closed; reopen it before recording a contact.', { argument: 'caseId', status: c.status });
      const contactedOn = requireDate('input.contactedOn', input.contactedOn, { date: c.openedOn, what: 'the day the case was opened' });
      const contactId = randomUUID();
      const sealed = v.note === null ? null : seal(noteKeyring(), v.note, place('case_contact', 'note', contactId));
      await m.getRepository(CaseContact).insert({
        id: contactId,
        caseId: c.id,
        municipalityCode: c.municipalityCode,
        contactedOn,
        channel: input.channel,
        staffReference: v.staffReference,
        noteKeyId: sealed?.keyId ?? null,
        noteCiphertext: sealed?.data ?? null,
        isDemo: false,
      });
      const firstContactOn = c.firstContactOn === null || contactedOn < c.firstContactOn ? contactedOn : c.firstContactOn;
      await bumpCase(m, c.id, { firstContactOn });
      return { caseId: c.id };
    },
  );
}

export async function closeCase(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { caseId: string; expectedVersion: number; reason: CloseReason; closedOn: string | null; idempotencyKey: string | null },
): Promise<ConsultationCase | null> {
  const { caseId, expectedVersion, reason, closedOn } = args;
  return changeCase(
    ctx,
    info,
    {
      action: 'closeCase',
      caseId,
      expectedVersion,
      idempotencyKey: args.idempotencyKey,
      input: { id: caseId.toLowerCase(), expectedVersion, reason, closedOn },
    },
    () => ({}),
    async (m, _v, c) => {
      if (c.status === CaseStatus.CLOSED) throw badUserInput('The case is already closed.', { argument: 'caseId', status: c.status });
      if (await hasOpenReferral(m, c.id))
        throw badUserInput('The case has an open referral; cancel it or wait for it to end before closing the case.', { argument: 'caseId', status: c.status });
      const day = requireDate('closedOn', closedOn ?? todayInJapan(), { date: c.openedOn, what: 'the day the case was opened' });
      await bumpCase(m, c.id, { status: CaseStatus.CLOSED, closeReason: reason, closedOn: day });
      return { caseId: c.id };
    },
  );
}

export async function reopenCase(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { caseId: string; expectedVersion: number; idempotencyKey: string | null },
): Promise<ConsultationCase | null> {
  const { caseId, expectedVersion } = args;
  return changeCase(
    ctx,
    info,
    { action: 'reopenCase', caseId, expectedVersion, idempotencyKey: args.idempotencyKey, input: { id: caseId.toLowerCase(), expectedVersion } },
    () => ({}),
    async (m, _v, c) => {
      if (c.status !== CaseStatus.CLOSED)
        throw badUserInput(`Only a closed case can be reopened; this one is ${c.status}.`, { argument: 'caseId', status: c.status });
      await bumpCase(m, c.id, { status: CaseStatus.OPEN, closeReason: null, closedOn: null });
      return { caseId: c.id };
    },
  );
}
