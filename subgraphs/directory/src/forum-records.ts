import { randomUUID } from 'node:crypto';
import {
  authorize,
  badUserInput,
  conflict,
  fiscalYearDates,
  fiscalYearOf,
  forbidden,
  isNothing,
  lockRow,
  mutate,
  notFound,
  privateAnswer,
  requireFiscalYear,
  requireUuid,
  requireValidText,
  scopeCovers,
  type FiscalYear,
  type Principal,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import type { Context } from './context';
import { Forum } from './entities/forum';
import { ForumCycle, ForumMeeting, type ForumAttendance, type ForumCycleIndicator } from './entities/forum-record';
import { ForumMemberRole } from './enums';
import { policy } from './policy';

/**
 * A forum's record of its work (issue 15, point 4): its meetings and its PDCA cycle per fiscal year.
 * Reads: that a forum met (and when) is public; the minutes and cycles follow `policy.readForumRecords`.
 * Writes: the kit's mutation pipeline (idempotency, `expectedVersion`, audit), by the forum's own
 * jurisdiction (`policy.writeForumRecords`). Resolvers hold no SQL.
 */

export const MEETING = 'ForumMeeting';
export const CYCLE = 'ForumCycle';

/** Today's date in Japan (YYYY-MM-DD). */
export const todayInJapan = (): string => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);

/** The jurisdiction that keeps a forum's record: its municipality or prefecture; a region forum's prefecture. */
export const ownerOf = (f: Pick<Forum, 'jurisdictionCode' | 'prefectureCode'>): string => f.jurisdictionCode ?? f.prefectureCode;

/** May the principal read this record's minutes? Marks the answer private either way (it depends on who asks). */
export function mayReadRecord(ctx: Context, ownerCode: string): boolean {
  privateAnswer(ctx);
  return scopeCovers(policy.readForumRecords(ctx.principal), { jurisdictionCode: ownerCode });
}

/** FORBIDDEN unless the principal may read the record's minutes (a nullable field: null with the error on its path). */
export function requireReadable(ctx: Context, ownerCode: string, what: string): void {
  if (!mayReadRecord(ctx, ownerCode)) throw forbidden(`You may not see ${what}: the forum's own jurisdiction and the tiers above may.`);
}

// ——— validation ———

const MAX_ITEMS = 30;
const MAX_ITEM_TEXT = 1000;

function requireList(field: string, values: readonly string[], options: { min: number }): string[] {
  if (values.length < options.min || values.length > MAX_ITEMS) {
    throw badUserInput(`${field} must list ${options.min === 0 ? 'up to' : `${options.min} to`} ${MAX_ITEMS} items.`, { argument: field });
  }
  return values.map((value, i) => {
    const trimmed = requireValidText(`${field}[${i}]`, value).normalize('NFKC').trim();
    if (trimmed.length === 0 || trimmed.length > MAX_ITEM_TEXT)
      throw badUserInput(`${field}[${i}] must have 1 to ${MAX_ITEM_TEXT} characters.`, { argument: field });
    return trimmed;
  });
}

function requirePastDate(field: string, value: string): string {
  if (value > todayInJapan())
    throw badUserInput(`${field} (${value}) is in the future; record a meeting or a step of the cycle once it has happened.`, { argument: field });
  return value;
}

export interface AttendanceInput {
  readonly role: ForumMemberRole;
  readonly count: number;
}

function requireAttendance(field: string, attendance: readonly AttendanceInput[]): ForumAttendance[] {
  if (attendance.length === 0) throw badUserInput(`${field} must name at least one member role that attended.`, { argument: field });
  const seen = new Set<ForumMemberRole>();
  return attendance.map((a, i) => {
    if (seen.has(a.role)) throw badUserInput(`${field} names ${a.role} twice; give each role once with its count.`, { argument: field });
    seen.add(a.role);
    if (!Number.isInteger(a.count) || a.count < 1 || a.count > 500)
      throw badUserInput(`${field}[${i}].count must be a whole number from 1 to 500.`, { argument: field });
    return { role: a.role, count: a.count };
  });
}

export interface MeetingInput {
  readonly heldOn: string;
  readonly attendance: readonly AttendanceInput[];
  readonly agenda: readonly string[];
  readonly needsShared?: readonly string[] | null;
  readonly decisions?: readonly string[] | null;
}

interface CheckedMeeting {
  readonly heldOn: string;
  readonly attendance: ForumAttendance[];
  readonly agenda: string[];
  readonly needsShared: string[];
  readonly decisions: string[];
}

function validateMeeting(input: MeetingInput): CheckedMeeting {
  return {
    heldOn: requirePastDate('input.heldOn', input.heldOn),
    attendance: requireAttendance('input.attendance', input.attendance),
    agenda: requireList('input.agenda', input.agenda, { min: 1 }),
    needsShared: requireList('input.needsShared', input.needsShared ?? [], { min: 0 }),
    decisions: requireList('input.decisions', input.decisions ?? [], { min: 0 }),
  };
}

// ——— the forum a write names ———

/** The principal's write rule covers the forum's keeper; FORBIDDEN otherwise. */
function authorizeWriter(principal: Principal): void {
  if (isNothing(policy.writeForumRecords(principal))) throw forbidden("Only a forum's own jurisdiction (its municipality or prefecture) may record its work.");
}

async function forumFor(m: EntityManager, principal: Principal, id: string): Promise<Forum> {
  const forum = await m.getRepository(Forum).findOneBy({ id });
  if (!forum) throw notFound(`No forum with id ${id}.`);
  authorize(policy.writeForumRecords(principal), { jurisdictionCode: ownerOf(forum) }, 'the record of this forum (its own jurisdiction keeps it)');
  return forum;
}

function requireAfterEstablishment(field: string, date: string, forum: Forum): void {
  if (forum.establishedOn !== null && date < forum.establishedOn) {
    throw badUserInput(`${field} (${date}) is before the forum was set up (${forum.establishedOn}).`, { argument: field });
  }
}

// ——— meetings ———

export async function recordForumMeeting(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { forumId: string; input: MeetingInput; idempotencyKey: string | null },
): Promise<ForumMeeting | null> {
  const id = await mutate(ctx, info, {
    action: 'recordForumMeeting',
    entityType: MEETING,
    input: { forumId: args.forumId.toLowerCase(), input: args.input },
    idempotencyKey: args.idempotencyKey,
    validate: () => ({ forumId: requireUuid('forumId', args.forumId), ...validateMeeting(args.input) }),
    authorize: authorizeWriter,
    checkReferences: async (m, v) => requireAfterEstablishment('input.heldOn', v.heldOn, await forumFor(m, ctx.principal, v.forumId)),
    write: async (m, v) => {
      const forum = await m.getRepository(Forum).findOneByOrFail({ id: v.forumId });
      const meetingId = randomUUID();
      await m.getRepository(ForumMeeting).insert({
        id: meetingId,
        forumId: forum.id,
        ownerCode: ownerOf(forum),
        heldOn: v.heldOn,
        fiscalYear: fiscalYearOfDate(v.heldOn),
        attendance: v.attendance,
        agenda: v.agenda,
        needsShared: v.needsShared,
        decisions: v.decisions,
        version: 1,
        isDemo: false,
      });
      return meetingId;
    },
    audit: (meetingId) => [{ entityType: MEETING, entityKey: meetingId, action: 'create' }],
    refusedKey: args.forumId.toLowerCase(),
  });
  ctx.loaders.meeting.clear(id);
  return ctx.loaders.meeting.load(id);
}

export async function updateForumMeeting(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { meetingId: string; expectedVersion: number; input: MeetingInput; idempotencyKey: string | null },
): Promise<ForumMeeting | null> {
  const id = await mutate(ctx, info, {
    action: 'updateForumMeeting',
    entityType: MEETING,
    input: { meetingId: args.meetingId.toLowerCase(), expectedVersion: args.expectedVersion, input: args.input },
    idempotencyKey: args.idempotencyKey,
    refusedKey: args.meetingId.toLowerCase(),
    validate: () => ({ id: requireUuid('meetingId', args.meetingId), ...validateMeeting(args.input) }),
    authorize: authorizeWriter,
    lock: {
      what: 'forum meeting',
      row: (m, v) => lockRow(m, m.getRepository(ForumMeeting).createQueryBuilder('x').where('x.id = :id', { id: v.id }), 'forum meeting', v.id),
      authorize: (principal, row) =>
        authorize(policy.writeForumRecords(principal), { jurisdictionCode: row.ownerCode }, "this forum meeting (its forum's own jurisdiction keeps it)"),
      expectedVersion: args.expectedVersion,
    },
    write: async (m, v, row) => {
      const forum = await m.getRepository(Forum).findOneByOrFail({ id: row.forumId });
      requireAfterEstablishment('input.heldOn', v.heldOn, forum);
      await m.query(
        `UPDATE forum_meeting SET held_on = $2, fiscal_year = $3, attendance = $4::jsonb, agenda = $5, needs_shared = $6, decisions = $7,
                is_demo = false, version = version + 1, updated_at = now() WHERE id = $1`,
        [row.id, v.heldOn, fiscalYearOfDate(v.heldOn), JSON.stringify(v.attendance), v.agenda, v.needsShared, v.decisions],
      );
      return row.id;
    },
    audit: (meetingId) => [{ entityType: MEETING, entityKey: meetingId, action: 'update' }],
  });
  ctx.loaders.meeting.clear(id);
  return ctx.loaders.meeting.load(id);
}

/** The fiscal year of an ISO date (YYYY-MM-DD). */
export function fiscalYearOfDate(date: string): FiscalYear {
  return fiscalYearOf(new Date(`${date}T00:00:00+09:00`));
}

// ——— PDCA cycles ———

export interface CycleIndicatorInput {
  readonly name: string;
  readonly unit?: string | null;
  readonly target?: number | null;
  readonly actual?: number | null;
}

export interface CycleInput {
  readonly goals: readonly string[];
  readonly indicators?: readonly CycleIndicatorInput[] | null;
  readonly plannedOn: string;
  readonly checkedOn?: string | null;
  readonly checkFindings?: string | null;
  readonly actions?: readonly string[] | null;
  readonly actedOn?: string | null;
}

function validateCycle(fiscalYearArg: number, input: CycleInput) {
  const fiscalYear = requireFiscalYear(fiscalYearArg, 'fiscalYear');
  const plannedOn = requirePastDate('input.plannedOn', input.plannedOn);
  const checkedOn = input.checkedOn ? requirePastDate('input.checkedOn', input.checkedOn) : null;
  const actedOn = input.actedOn ? requirePastDate('input.actedOn', input.actedOn) : null;
  const findings = input.checkFindings?.trim() ? requireList('input.checkFindings', [input.checkFindings], { min: 1 })[0]! : null;
  const { to } = fiscalYearDates(fiscalYear);
  if (plannedOn > to)
    throw badUserInput(`input.plannedOn (${plannedOn}) is after FY${fiscalYear} ended (${to}); a plan is set before or during its year.`, {
      argument: 'input.plannedOn',
    });
  if ((checkedOn === null) !== (findings === null))
    throw badUserInput('input.checkedOn and input.checkFindings go together: give both once the results are checked, or neither.', {
      argument: 'input.checkFindings',
    });
  if (checkedOn !== null && checkedOn < plannedOn)
    throw badUserInput(`input.checkedOn (${checkedOn}) is before input.plannedOn (${plannedOn}).`, { argument: 'input.checkedOn' });
  const actions = requireList('input.actions', input.actions ?? [], { min: 0 });
  if (actedOn !== null && checkedOn === null)
    throw badUserInput('input.actedOn needs the check first (input.checkedOn and input.checkFindings).', { argument: 'input.actedOn' });
  if (actedOn !== null && checkedOn !== null && actedOn < checkedOn)
    throw badUserInput(`input.actedOn (${actedOn}) is before input.checkedOn (${checkedOn}).`, { argument: 'input.actedOn' });
  if ((actedOn === null) !== (actions.length === 0))
    throw badUserInput('input.actions and input.actedOn go together: list the actions with the day they were decided, or neither.', {
      argument: 'input.actions',
    });
  const given = input.indicators ?? [];
  if (given.length > MAX_ITEMS) throw badUserInput(`input.indicators must list up to ${MAX_ITEMS} indicators.`, { argument: 'input.indicators' });
  const indicators: ForumCycleIndicator[] = given.map((x, i) => {
    const field = `input.indicators[${i}]`;
    const [name] = requireList(`${field}.name`, [x.name], { min: 1 });
    const unit = x.unit?.trim() ? requireList(`${field}.unit`, [x.unit], { min: 1 })[0]! : null;
    for (const [key, value] of [
      ['target', x.target],
      ['actual', x.actual],
    ] as const) {
      if (value !== null && value !== undefined && (!Number.isFinite(value) || value < 0))
        throw badUserInput(`${field}.${key} must be a number, 0 or more.`, { argument: `${field}.${key}` });
    }
    if (x.actual !== null && x.actual !== undefined && checkedOn === null)
      throw badUserInput(`${field}.actual is the value reached, recorded at the check: give input.checkedOn too.`, { argument: `${field}.actual` });
    return { name: name!, unit, target: x.target ?? null, actual: x.actual ?? null };
  });
  return { fiscalYear, goals: requireList('input.goals', input.goals, { min: 1 }), indicators, plannedOn, checkedOn, findings, actions, actedOn };
}

export async function recordForumCycle(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { forumId: string; fiscalYear: number; input: CycleInput; expectedVersion: number | null; idempotencyKey: string | null },
): Promise<ForumCycle | null> {
  const forumId = args.forumId.toLowerCase();
  const id = await mutate(ctx, info, {
    action: 'recordForumCycle',
    entityType: CYCLE,
    input: { forumId, fiscalYear: args.fiscalYear, input: args.input, expectedVersion: args.expectedVersion },
    idempotencyKey: args.idempotencyKey,
    refusedKey: forumId,
    validate: () => ({ forumId: requireUuid('forumId', args.forumId), ...validateCycle(args.fiscalYear, args.input) }),
    authorize: authorizeWriter,
    checkReferences: async (m, v) => {
      const forum = await forumFor(m, ctx.principal, v.forumId);
      if (forum.establishedOn !== null && v.fiscalYear < fiscalYearOfDate(forum.establishedOn)) {
        throw badUserInput(
          `The forum was set up on ${forum.establishedOn} (FY${fiscalYearOfDate(forum.establishedOn)}); it has no cycle for FY${v.fiscalYear}.`,
          { argument: 'fiscalYear' },
        );
      }
    },
    lock: {
      what: `PDCA cycle of this forum for FY${args.fiscalYear}`,
      row: async (m, v) =>
        (
          await m.query<{ id: string; version: number }[]>('SELECT id, version FROM forum_cycle WHERE forum_id = $1 AND fiscal_year = $2 FOR UPDATE', [
            v.forumId,
            v.fiscalYear,
          ])
        )[0] ?? null,
      expectedVersion: args.expectedVersion,
    },
    write: async (m, v, existing) => {
      const values = [v.goals, JSON.stringify(v.indicators), v.plannedOn, v.checkedOn, v.findings, v.actions, v.actedOn];
      if (existing) {
        await m.query(
          `UPDATE forum_cycle SET goals = $2, indicators = $3::jsonb, planned_on = $4, checked_on = $5, check_findings = $6, actions = $7, acted_on = $8,
                  is_demo = false, version = version + 1, updated_at = now() WHERE id = $1`,
          [existing.id, ...values],
        );
        return { id: existing.id, action: 'update' };
      }
      const forum = await m.getRepository(Forum).findOneByOrFail({ id: v.forumId });
      const inserted = await m.query<{ id: string }[]>(
        `INSERT INTO forum_cycle (id, forum_id, owner_code, fiscal_year, goals, indicators, planned_on, checked_on, check_findings, actions, acted_on)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11) ON CONFLICT ON CONSTRAINT forum_cycle_once DO NOTHING RETURNING id`,
        [randomUUID(), v.forumId, ownerOf(forum), v.fiscalYear, ...values],
      );
      if (!inserted[0])
        throw conflict(`The PDCA cycle for FY${v.fiscalYear} was recorded by someone else meanwhile; reload it and pass its version to change it.`, null);
      return { id: inserted[0].id, action: 'create' };
    },
    audit: (done) => [{ entityType: CYCLE, entityKey: done.id, action: done.action }],
  });
  ctx.loaders.cyclesOf.clear(forumId);
  return ((await ctx.loaders.cyclesOf.load(forumId)) ?? []).find((c) => c.id === id.id) ?? null;
}

// ——— reads ———

/** A forum's meetings, newest first; of one fiscal year when given. */
export async function meetingsOf(ctx: Context, forum: Forum, fiscalYear: number | null, latest: number | null): Promise<ForumMeeting[]> {
  const fy = fiscalYear === null ? null : requireFiscalYear(fiscalYear);
  if (latest !== null && (!Number.isInteger(latest) || latest < 1 || latest > 100))
    throw badUserInput('latest must be a whole number from 1 to 100.', { argument: 'latest' });
  const all = await ctx.loaders.meetingsOf.load(forum.id);
  const meetings = fy === null ? all : all.filter((m) => m.fiscalYear === fy);
  return latest === null ? meetings : meetings.slice(0, latest);
}

/** How many meetings a forum held in a fiscal year, from the records (counted in SQL, for every forum at once). */
export async function meetingsHeld(ctx: Context, forum: Forum, fiscalYear: number): Promise<number> {
  const fy = requireFiscalYear(fiscalYear);
  return (await ctx.loaders.meetingCounts.load(forum.id)).get(fy) ?? 0;
}

/** Meetings held in the last completed fiscal year (what `meetingsLastYear` always meant), from the records. */
export function meetingsLastYear(ctx: Context, forum: Forum): Promise<number> {
  return meetingsHeld(ctx, forum, fiscalYearOf(new Date()) - 1);
}

/** A forum's PDCA cycles (newest year first), for those who may read them. */
export async function cyclesOf(ctx: Context, forum: Forum, fiscalYear: number | null): Promise<ForumCycle[]> {
  const fy = fiscalYear === null ? null : requireFiscalYear(fiscalYear);
  requireReadable(ctx, ownerOf(forum), 'the PDCA cycles of this forum');
  const all = await ctx.loaders.cyclesOf.load(forum.id);
  return fy === null ? all : all.filter((c) => c.fiscalYear === fy);
}
