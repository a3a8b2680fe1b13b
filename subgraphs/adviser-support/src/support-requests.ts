import { randomUUID } from 'node:crypto';
import {
  authorize,
  badUserInput,
  forbidden,
  isNothing,
  lockRow,
  mutate,
  paginate,
  revive,
  rowAsWritten,
  requireFiscalYear,
  requireProgramItem,
  requireText,
  requireUuid,
  scopeCovers,
  scopeWhere,
  type PageArgs,
  type Principal,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import type { Context } from './context';
import { SupportRequest } from './entities/support-request';
import { Program, SUPPORT_REQUEST_TRANSITIONS, SupportRequestStatus, type SupportMode } from './enums';
import { policy } from './policy';
import { requireJurisdiction } from './validate';

/**
 * The support request aggregate: its reads (the policy's scope in SQL) and its writes (the kit's
 * mutation pipeline). The resolvers call these and hold no SQL.
 */

const ENTITY = 'SupportRequest';

const isFinal = (status: SupportRequestStatus): boolean => SUPPORT_REQUEST_TRANSITIONS[status].length === 0;

/** BAD_USER_INPUT unless `from → to` is an allowed move. */
function requireTransition(from: SupportRequestStatus, to: SupportRequestStatus): void {
  const allowed = SUPPORT_REQUEST_TRANSITIONS[from];
  if (allowed.includes(to)) return;
  throw badUserInput(
    `A support request cannot move from ${from} to ${to}; from ${from} it may move to ${allowed.length ? allowed.join(', ') : 'nothing (it is final)'}.`,
    { argument: 'to', from, to },
  );
}

export interface SupportRequestFilterArgs {
  readonly status?: SupportRequestStatus | null;
  readonly jurisdictionCode?: string | null;
  readonly adviserId?: string | null;
  readonly fiscalYear?: number | null;
}

/** The support requests the principal may see, in filing order, a page at a time. */
export function listSupportRequests(ctx: Context, filter: SupportRequestFilterArgs | null, page: PageArgs) {
  const scope = scopeWhere(policy.supportRequests.read(ctx.principal), { jurisdiction: 'r.jurisdiction_code' });
  const query = ctx.db.getRepository(SupportRequest).createQueryBuilder('r').where(scope.sql, scope.params);
  if (filter?.status) query.andWhere('r.status = :status', { status: filter.status });
  if (filter?.jurisdictionCode) query.andWhere('r.jurisdiction_code = :code', { code: filter.jurisdictionCode });
  if (filter?.adviserId) query.andWhere('r.adviser_id = :adviser', { adviser: requireUuid('filter.adviserId', filter.adviserId) });
  if (filter?.fiscalYear !== null && filter?.fiscalYear !== undefined)
    query.andWhere('r.fiscal_year = :fy', { fy: requireFiscalYear(filter.fiscalYear, 'filter.fiscalYear') });
  return paginate(query, [{ sql: 'r.seq', value: (r) => r.seq }], page);
}

/** The request, locked, if the principal may see it (others learn nothing: NOT_FOUND). */
function lockRequest(m: EntityManager, principal: Principal, id: string): Promise<SupportRequest> {
  const scope = scopeWhere(policy.supportRequests.read(principal), { jurisdiction: 'r.jurisdiction_code' });
  return lockRow(
    m,
    m.getRepository(SupportRequest).createQueryBuilder('r').where('r.id = :id', { id }).andWhere(scope.sql, scope.params),
    'support request',
    id,
  );
}

/** The request as the write left it (stored with the write's result: a replay answers the same, never the request's later state). */
const asWritten = (ctx: Context, stored: SupportRequest): SupportRequest => revive(ctx.db, SupportRequest, stored);

export interface FileSupportRequestArgs {
  readonly jurisdictionCode: string;
  readonly fiscalYear: number;
  readonly mode: SupportMode;
  readonly topicItem: number;
  readonly subject: string;
  readonly detail: string;
}

export async function fileSupportRequest(
  ctx: Context,
  info: GraphQLResolveInfo,
  input: FileSupportRequestArgs,
  idempotencyKey: string | null,
): Promise<SupportRequest> {
  const filed = await mutate(ctx, info, {
    action: 'fileSupportRequest',
    entityType: ENTITY,
    input,
    idempotencyKey,
    validate: () => ({
      fiscalYear: requireFiscalYear(input.fiscalYear, 'input.fiscalYear'),
      topic: requireProgramItem('input.topicItem', input.topicItem),
      subject: requireText('input.subject', input.subject, 200),
      detail: requireText('input.detail', input.detail, 4000),
    }),
    authorize: (principal) =>
      authorize(policy.supportRequests.file(principal), { jurisdictionCode: input.jurisdictionCode }, 'support requests of this jurisdiction'),
    checkReferences: async (m, v) => {
      const row = requireJurisdiction(input.jurisdictionCode, 'input.jurisdictionCode');
      const [participating] = await m.query<unknown[]>(
        'SELECT 1 FROM program_participation WHERE jurisdiction_code = $1 AND fiscal_year = $2 AND program = $3',
        [row.code, v.fiscalYear, Program.CONSTRUCTION_SUPPORT],
      );
      if (!participating) {
        throw badUserInput(
          `${row.code} ${row.name} does not take part in the construction support program (構築支援事業) in FY${v.fiscalYear}; only participants may file support requests.`,
          { argument: 'input.jurisdictionCode' },
        );
      }
    },
    write: async (m, v) => {
      const id = randomUUID();
      await m.query(
        `INSERT INTO support_request (id, jurisdiction_code, fiscal_year, mode, topic_item, subject, detail, status, requested_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'REQUESTED', now(), now())`,
        [id, input.jurisdictionCode, v.fiscalYear, input.mode, v.topic, v.subject, v.detail],
      );
      return { id, row: await rowAsWritten(m, SupportRequest, id) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: 'create' }],
  });
  return asWritten(ctx, filed.row);
}

export async function assignSupportRequest(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { id: string; expectedVersion: number; adviserId: string; idempotencyKey: string | null },
): Promise<SupportRequest> {
  const { expectedVersion } = args;
  const result = await mutate(ctx, info, {
    action: 'assignSupportRequest',
    entityType: ENTITY,
    input: { id: args.id.toLowerCase(), version: expectedVersion, adviserId: args.adviserId.toLowerCase() },
    idempotencyKey: args.idempotencyKey,
    refusedKey: args.id.toLowerCase(),
    validate: () => ({ id: requireUuid('id', args.id), adviser: requireUuid('adviserId', args.adviserId) }),
    authorize: (principal) => {
      if (!policy.supportRequests.manage(principal).all) throw forbidden('Only the adviser organisation may assign advisers to support requests.');
    },
    checkReferences: async (m, v) => {
      const [known] = await m.query<unknown[]>('SELECT 1 FROM adviser WHERE id = $1', [v.adviser]);
      if (!known) throw badUserInput(`No adviser ${v.adviser}.`, { argument: 'adviserId' });
    },
    lock: { what: 'support request', row: (m, v) => lockRequest(m, ctx.principal, v.id), expectedVersion },
    write: async (m, v, row) => {
      if (isFinal(row.status)) throw badUserInput(`The support request is ${row.status} (final); no adviser can be assigned.`, { argument: 'id' });
      const status = row.status === SupportRequestStatus.REQUESTED ? SupportRequestStatus.ACCEPTED : row.status;
      await m.query('UPDATE support_request SET adviser_id = $2, status = $3, version = version + 1, updated_at = now() WHERE id = $1', [
        row.id,
        v.adviser,
        status,
      ]);
      return { id: row.id, status, row: await rowAsWritten(m, SupportRequest, row.id) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: `assign:${done.status}` }],
  });
  return asWritten(ctx, result.row);
}

export async function transitionSupportRequest(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { id: string; expectedVersion: number; to: SupportRequestStatus; note: string | null; outcome: string | null; idempotencyKey: string | null },
): Promise<SupportRequest> {
  const { expectedVersion, to, note, outcome } = args;
  const manager = policy.supportRequests.manage(ctx.principal).all;
  const result = await mutate(ctx, info, {
    action: 'transitionSupportRequest',
    entityType: ENTITY,
    input: { id: args.id.toLowerCase(), version: expectedVersion, to, note, outcome },
    idempotencyKey: args.idempotencyKey,
    refusedKey: args.id.toLowerCase(),
    validate: () => {
      const id = requireUuid('id', args.id);
      if (to === SupportRequestStatus.ACCEPTED)
        throw badUserInput('A request is accepted by assigning an adviser: use assignSupportRequest.', { argument: 'to' });
      if (to === SupportRequestStatus.COMPLETED && !outcome?.trim())
        throw badUserInput('outcome is required to complete a support request.', { argument: 'outcome' });
      if (to === SupportRequestStatus.REJECTED && !note?.trim())
        throw badUserInput('note (the reason) is required to reject a support request.', { argument: 'note' });
      return { id, note: note?.trim() ? requireText('note', note, 2000) : null, outcome: outcome?.trim() ? requireText('outcome', outcome, 4000) : null };
    },
    authorize: (principal) => {
      if (!manager && isNothing(policy.supportRequests.file(principal))) throw forbidden('You may not change support requests.');
    },
    lock: {
      what: 'support request',
      row: (m, v) => lockRequest(m, ctx.principal, v.id),
      authorize: (principal, row) => {
        if (manager) return;
        if (!scopeCovers(policy.supportRequests.file(principal), { jurisdictionCode: row.jurisdictionCode }))
          throw forbidden('You may not change this support request.');
        if (to !== SupportRequestStatus.CANCELLED)
          throw forbidden("The requesting jurisdiction may only cancel its request; every other move is the adviser organisation's.");
      },
      expectedVersion,
    },
    write: async (m, v, row) => {
      requireTransition(row.status, to);
      await m.query(
        'UPDATE support_request SET status = $2, status_note = COALESCE($3, status_note), outcome = COALESCE($4, outcome), version = version + 1, updated_at = now() WHERE id = $1',
        [row.id, to, v.note, to === SupportRequestStatus.COMPLETED ? v.outcome : null],
      );
      return { id: row.id, from: row.status, row: await rowAsWritten(m, SupportRequest, row.id) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: `transition:${done.from}->${to}` }],
  });
  return asWritten(ctx, result.row);
}
