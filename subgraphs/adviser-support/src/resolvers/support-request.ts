import { randomUUID } from 'node:crypto';
import {
  authorize,
  badUserInput,
  clientOperationName,
  conflict,
  connectionTypes,
  forbidden,
  LocalGovCodeScalar,
  notFound,
  PageArgs,
  paginate,
  recordAudit,
  requireFiscalYear,
  requireUuid,
  scopeCovers,
  scopeWhere,
  transactionally,
  type Principal,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import type { Context } from '../context';
import { Adviser } from '../entities/adviser';
import { Jurisdiction } from '../entities/jurisdiction';
import { ProgramItem } from '../entities/program';
import { SupportRequest } from '../entities/support-request';
import { Program, SupportMode, SupportRequestStatus } from '../enums';
import { isFinal, requireTransition } from '../lifecycle';
import { policy } from '../policy';
import { requireItem, requireJurisdiction } from '../program';
import { itemsOf } from './items';

export const { Connection: SupportRequestConnection } = connectionTypes(SupportRequest, 'SupportRequest', 'support request');

@InputType({ description: 'A new support request.' })
export class SupportRequestInput {
  @Field(() => LocalGovCodeScalar, { description: 'The requesting jurisdiction; it must take part in the construction support program in `fiscalYear`.' })
  jurisdictionCode!: string;

  @Field(() => Int, { description: 'The fiscal year, e.g. 2024.' })
  fiscalYear!: number;

  @Field(() => SupportMode, { description: 'How the jurisdiction wants to be supported.' })
  mode!: SupportMode;

  @Field(() => Int, { description: 'The topic: the construction promotion program item (1–14) it is about.' })
  topicItem!: number;

  @Field(() => String, { description: 'Short subject, 1 to 200 characters.' })
  subject!: string;

  @Field(() => String, { description: 'What is asked, 1 to 4,000 characters. No personal data of residents.' })
  detail!: string;
}

@InputType({ description: 'Filters for `supportRequests`; all given filters apply together.' })
export class SupportRequestFilter {
  @Field(() => SupportRequestStatus, { nullable: true, description: 'Only requests in this status.' })
  status?: SupportRequestStatus | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only requests of this jurisdiction.' })
  jurisdictionCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only requests assigned to this adviser.' })
  adviserId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only requests of this fiscal year.' })
  fiscalYear?: number | null;
}

const KEY_DESCRIPTION = 'A key unique to this request (a UUID): a retry with the same key returns the first answer and changes nothing twice.';

function requireText(field: string, value: string, max: number): string {
  const text = value.trim();
  if (text.length === 0 || text.length > max) throw badUserInput(`${field} must have 1 to ${max} characters.`, { field });
  return text;
}

/** Loads the request for update (visible to the principal), checks its version. */
async function lockForChange(m: EntityManager, principal: Principal, id: string, version: number): Promise<SupportRequest> {
  const scope = scopeWhere(policy.supportRequests.read(principal), { jurisdiction: 'r.jurisdiction_code' });
  const row = await m
    .getRepository(SupportRequest)
    .createQueryBuilder('r')
    .setLock('pessimistic_write')
    .where('r.id = :id', { id })
    .andWhere(scope.sql, scope.params)
    .getOne();
  if (!row) throw notFound(`No support request ${id} that you may see.`);
  if (row.version !== version) throw conflict(`Stale version ${version}: the support request is at version ${row.version} (${row.status}). Reload and retry.`, row.version);
  return row;
}

@Resolver(() => SupportRequest)
export class SupportRequestResolver {
  @Query(() => SupportRequest, { nullable: true, description: 'A support request by id; null when unknown or outside what the principal may see.' })
  supportRequest(@Arg('id', () => ID, { description: 'The request id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<SupportRequest | null> {
    return ctx.loaders.supportRequest.load(requireUuid('id', id));
  }

  @Query(() => SupportRequestConnection, {
    description:
      'Support requests the principal may see, in filing order: all for the nation and the adviser organisation, a prefecture\'s area, ' +
      'a municipality\'s own; empty for everyone else.',
  })
  supportRequests(
    @Arg('filter', () => SupportRequestFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: SupportRequestFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    const scope = scopeWhere(policy.supportRequests.read(ctx.principal), { jurisdiction: 'r.jurisdiction_code' });
    const query = ctx.db.getRepository(SupportRequest).createQueryBuilder('r').where(scope.sql, scope.params);
    if (filter?.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter?.jurisdictionCode) query.andWhere('r.jurisdiction_code = :code', { code: filter.jurisdictionCode });
    if (filter?.adviserId) query.andWhere('r.adviser_id = :adviser', { adviser: requireUuid('filter.adviserId', filter.adviserId) });
    if (filter?.fiscalYear !== null && filter?.fiscalYear !== undefined) query.andWhere('r.fiscal_year = :fy', { fy: requireFiscalYear(filter.fiscalYear, 'filter.fiscalYear') });
    return paginate(
      query,
      [{ sql: 'r.seq', value: (r) => r.seq }],
      page,
    );
  }

  @Mutation(() => SupportRequest, {
    description:
      'Files a support request with the adviser organisation (status REQUESTED). The jurisdiction itself (a prefecture, designated ' +
      'city or special ward acting for itself); it must take part in the construction support program that fiscal year, else BAD_USER_INPUT.',
  })
  async fileSupportRequest(
    @Arg('input', () => SupportRequestInput, { description: 'The request.' }) input: SupportRequestInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SupportRequest> {
    authorize(policy.supportRequests.file(ctx.principal), { jurisdictionCode: input.jurisdictionCode }, 'support requests of this jurisdiction');
    const row = requireJurisdiction(input.jurisdictionCode, 'input.jurisdictionCode');
    const fiscalYear = requireFiscalYear(input.fiscalYear, 'input.fiscalYear');
    const topic = requireItem(input.topicItem, 'input.topicItem');
    const subject = requireText('input.subject', input.subject, 200);
    const detail = requireText('input.detail', input.detail, 4000);
    const id = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'fileSupportRequest', input }, async (m) => {
      const [participating] = (await m.query(
        'SELECT 1 FROM program_participation WHERE jurisdiction_code = $1 AND fiscal_year = $2 AND program = $3',
        [row.code, fiscalYear, Program.CONSTRUCTION_SUPPORT],
      )) as unknown[];
      if (!participating) {
        throw badUserInput(`${row.code} ${row.name} does not take part in the construction support program (構築支援事業) in FY${fiscalYear}; only participants may file support requests.`, { field: 'input.jurisdictionCode' });
      }
      const id = randomUUID();
      await m.query(
        `INSERT INTO support_request (id, jurisdiction_code, fiscal_year, mode, topic_item, subject, detail, status, requested_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'REQUESTED', now(), now())`,
        [id, row.code, fiscalYear, input.mode, topic, subject, detail],
      );
      await recordAudit(m, { principal: ctx.principal, operation: clientOperationName(info), action: 'create', entityType: 'SupportRequest', entityKey: id, outcome: 'allowed' });
      return id;
    });
    return ctx.db.getRepository(SupportRequest).findOneByOrFail({ id });
  }

  @Mutation(() => SupportRequest, {
    description:
      'Assigns (or reassigns) an adviser: REQUESTED → ACCEPTED; in ACCEPTED, IN_PROGRESS or ON_HOLD the status stays. The adviser ' +
      'organisation only. CONFLICT on a stale version; BAD_USER_INPUT for a final request or an unknown adviser.',
  })
  async assignSupportRequest(
    @Arg('id', () => ID, { description: 'The request id.' }) id: string,
    @Arg('version', () => Int, { description: 'The request\'s current version.' }) version: number,
    @Arg('adviserId', () => ID, { description: 'The adviser to assign.' }) adviserId: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SupportRequest> {
    const requestId = requireUuid('id', id);
    const adviser = requireUuid('adviserId', adviserId);
    if (!policy.supportRequests.manage(ctx.principal).all) throw forbidden('Only the adviser organisation may assign advisers to support requests.');
    await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'assignSupportRequest', input: { id: requestId, version, adviserId: adviser } }, async (m) => {
      const row = await lockForChange(m, ctx.principal, requestId, version);
      if (isFinal(row.status)) throw badUserInput(`The support request is ${row.status} (final); no adviser can be assigned.`, { field: 'id' });
      const [known] = (await m.query('SELECT 1 FROM adviser WHERE id = $1', [adviser])) as unknown[];
      if (!known) throw badUserInput(`No adviser ${adviser}.`, { field: 'adviserId' });
      const status = row.status === SupportRequestStatus.REQUESTED ? SupportRequestStatus.ACCEPTED : row.status;
      await m.query('UPDATE support_request SET adviser_id = $2, status = $3, version = version + 1, updated_at = now() WHERE id = $1', [requestId, adviser, status]);
      await recordAudit(m, { principal: ctx.principal, operation: clientOperationName(info), action: `assign:${status}`, entityType: 'SupportRequest', entityKey: requestId, outcome: 'allowed' });
      return requestId;
    });
    return ctx.db.getRepository(SupportRequest).findOneByOrFail({ id: requestId });
  }

  @Mutation(() => SupportRequest, {
    description:
      'Moves a support request along its lifecycle (see SupportRequestStatus). The adviser organisation makes every move but ACCEPTED ' +
      '(use `assignSupportRequest`); the requesting jurisdiction may only cancel. COMPLETED needs an `outcome`, REJECTED a `note`. ' +
      'Illegal moves are BAD_USER_INPUT; a stale version is CONFLICT.',
  })
  async transitionSupportRequest(
    @Arg('id', () => ID, { description: 'The request id.' }) id: string,
    @Arg('version', () => Int, { description: 'The request\'s current version.' }) version: number,
    @Arg('to', () => SupportRequestStatus, { description: 'The status to move to.' }) to: SupportRequestStatus,
    @Arg('note', () => String, { nullable: true, description: 'Why (required for REJECTED; kept for ON_HOLD and CANCELLED), up to 2,000 characters.' }) note: string | null,
    @Arg('outcome', () => String, { nullable: true, description: 'The outcome (required for COMPLETED), up to 4,000 characters.' }) outcome: string | null,
    @Arg('idempotencyKey', () => String, { nullable: true, description: KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SupportRequest> {
    const requestId = requireUuid('id', id);
    const manager = policy.supportRequests.manage(ctx.principal).all;
    if (!manager && isNothingToFile(ctx.principal)) throw forbidden('You may not change support requests.');
    if (to === SupportRequestStatus.ACCEPTED) throw badUserInput('A request is accepted by assigning an adviser: use assignSupportRequest.', { field: 'to' });
    if (to === SupportRequestStatus.COMPLETED && !outcome?.trim()) throw badUserInput('outcome is required to complete a support request.', { field: 'outcome' });
    if (to === SupportRequestStatus.REJECTED && !note?.trim()) throw badUserInput('note (the reason) is required to reject a support request.', { field: 'note' });
    const cleanNote = note?.trim() ? requireText('note', note, 2000) : null;
    const cleanOutcome = outcome?.trim() ? requireText('outcome', outcome, 4000) : null;
    await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'transitionSupportRequest', input: { id: requestId, version, to, note, outcome } }, async (m) => {
      const row = await lockForChange(m, ctx.principal, requestId, version);
      if (!manager) {
        if (!scopeCovers(policy.supportRequests.file(ctx.principal), { jurisdictionCode: row.jurisdictionCode })) throw forbidden('You may not change this support request.');
        if (to !== SupportRequestStatus.CANCELLED) throw forbidden('The requesting jurisdiction may only cancel its request; every other move is the adviser organisation\'s.');
      }
      requireTransition(row.status, to);
      await m.query(
        `UPDATE support_request SET status = $2, status_note = COALESCE($3, status_note), outcome = COALESCE($4, outcome), version = version + 1, updated_at = now() WHERE id = $1`,
        [requestId, to, cleanNote, to === SupportRequestStatus.COMPLETED ? cleanOutcome : null],
      );
      await recordAudit(m, { principal: ctx.principal, operation: clientOperationName(info), action: `transition:${row.status}->${to}`, entityType: 'SupportRequest', entityKey: requestId, outcome: 'allowed' });
      return requestId;
    });
    return ctx.db.getRepository(SupportRequest).findOneByOrFail({ id: requestId });
  }

  @FieldResolver(() => Jurisdiction, { description: 'The requesting jurisdiction.' })
  jurisdiction(@Root() r: SupportRequest): Jurisdiction {
    return { code: r.jurisdictionCode };
  }

  @FieldResolver(() => ProgramItem, { description: 'The topic: the construction promotion program item the request is about.' })
  topic(@Root() r: SupportRequest): ProgramItem | undefined {
    return itemsOf([r.topicItem])[0];
  }

  @FieldResolver(() => Adviser, { nullable: true, description: 'The adviser assigned; null before assignment.' })
  adviser(@Root() r: SupportRequest, @Ctx() ctx: Context): Promise<Adviser | null> | null {
    return r.adviserId ? ctx.loaders.adviser.load(r.adviserId) : null;
  }
}

function isNothingToFile(principal: Principal): boolean {
  const scope = policy.supportRequests.file(principal);
  return !scope.all && scope.jurisdictions.length === 0 && scope.prefectures.length === 0;
}
