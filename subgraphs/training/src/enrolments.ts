import { randomUUID } from 'node:crypto';
import { badUserInput, conflict, forbidden, lockRow, mutate, notFound, requireUuid, revive, rowAsWritten, type Audited, type Principal } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import type { Context } from './context';
import { Enrolment } from './entities/enrolment';
import { enrolmentOpenOn, EnrolmentState, PLACE_HOLDING, SessionState } from './enums';
import { mayOrganise, ownsStaff, policy } from './policy';
import { authorizeOrganiser, lockSession, type SessionRow } from './sessions';
import { requireDate } from './validate';

/**
 * The enrolment aggregate: enrol (capacity and wait list), cancel (promotion from the wait list),
 * attendance and completion, through the kit's mutation pipeline. Every write locks the session
 * before the enrolment, so enrolments of one session are serialised and never exceed its capacity.
 */

const ENTITY = 'Enrolment';

interface EnrolmentRow {
  id: string;
  session_id: string;
  state: EnrolmentState;
  version: number;
  organization_id: string;
}

/** The enrolment, locked, with its staff member's organisation and its session (locked first). */
type Locked = EnrolmentRow & { session: SessionRow };

/** The session an enrolment belongs to (immutable), read before locking the session, so every write locks session → enrolment. */
async function sessionOf(manager: EntityManager, enrolmentId: string): Promise<string> {
  const [row] = await manager.query<{ session_id: string }[]>('SELECT session_id FROM enrolment WHERE id = $1', [enrolmentId]);
  if (!row) throw notFound(`No enrolment with id ${enrolmentId} that you may change.`);
  return row.session_id;
}

async function lockEnrolment(manager: EntityManager, id: string): Promise<Locked> {
  const session = await lockSession(manager, await sessionOf(manager, id));
  const row = await lockRow<EnrolmentRow>(
    manager,
    {
      sql: 'SELECT e.id, e.session_id, e.state, e.version, s.organization_id FROM enrolment e JOIN staff_member s ON s.id = e.staff_id WHERE e.id = $1',
      params: [id],
    },
    'enrolment',
    id,
  );
  return { ...row, session };
}

async function placesTaken(manager: EntityManager, sessionId: string): Promise<number> {
  const [row] = await manager.query<{ n: number }[]>('SELECT count(*)::int AS n FROM enrolment WHERE session_id = $1 AND state = ANY($2)', [
    sessionId,
    PLACE_HOLDING,
  ]);
  return row?.n ?? 0;
}

/** The enrolment as the write left it (stored with the write's result: a replay answers the same, never its later state). */
function asWritten(ctx: Context, stored: Enrolment): Enrolment {
  ctx.loaders.enrolment.clear(stored.id);
  return revive(ctx.db, Enrolment, stored);
}

/** Policy: principals that hold no staff records of an organisation enrol and cancel nothing. */
function mayManageOwnStaff(principal: Principal): void {
  if (policy.ownStaff(principal).organizations.length === 0) throw forbidden('Only an organisation may enrol its own staff or cancel their enrolments.');
}

/** Policy: only organisers record attendance and completion (of their own sessions: decided on the locked row). */
function mayRecordForSessions(principal: Principal): void {
  if (!mayOrganise(principal)) throw forbidden('Only the organiser of this session may do that.');
}

export async function enrol(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { sessionId: string; staffMemberId: string; idempotencyKey: string | null },
): Promise<Enrolment> {
  const result = await mutate(ctx, info, {
    action: 'enrol',
    entityType: ENTITY,
    input: { session: args.sessionId.toLowerCase(), staffId: args.staffMemberId.toLowerCase() },
    idempotencyKey: args.idempotencyKey,
    validate: () => ({ session: requireUuid('sessionId', args.sessionId), staffId: requireUuid('staffMemberId', args.staffMemberId) }),
    authorize: mayManageOwnStaff,
    // The session lock serialises enrolments per session: the count below cannot go stale before the insert commits.
    lock: {
      what: 'training session',
      row: async (m, v) => {
        const session = await lockSession(m, v.session);
        const [staff] = await m.query<{ id: string; organization_id: string }[]>('SELECT id, organization_id FROM staff_member WHERE id = $1', [v.staffId]);
        if (!staff) throw notFound(`No staff member with id ${v.staffId}.`);
        return { ...session, staffOrganizationId: staff.organization_id };
      },
      authorize: (principal, row) => {
        if (!ownsStaff(principal, { organizationId: row.staffOrganizationId })) throw forbidden('You may enrol only staff of your own organisation.');
      },
    },
    write: async (m, v, row) => {
      if (row.state !== SessionState.OPEN && row.state !== SessionState.FULL) {
        throw badUserInput(`The session is ${row.state}: enrolment is possible only while it is OPEN or FULL (wait list).`, { argument: 'sessionId' });
      }
      if (!enrolmentOpenOn(row.starts_on)) {
        throw badUserInput(`The session started on ${row.starts_on}: enrolment closed when it started.`, { argument: 'sessionId' });
      }
      const [existing] = await m.query<{ id: string }[]>("SELECT id FROM enrolment WHERE session_id = $1 AND staff_id = $2 AND state <> 'CANCELLED'", [
        v.session,
        v.staffId,
      ]);
      if (existing)
        throw badUserInput('This staff member is already enrolled or wait-listed in this session.', { argument: 'staffMemberId', enrolmentId: existing.id });
      const taken = await placesTaken(m, v.session);
      const state = taken < row.capacity ? EnrolmentState.ENROLLED : EnrolmentState.WAIT_LISTED;
      const enrolmentId = randomUUID();
      await m.query('INSERT INTO enrolment (id, session_id, staff_id, state) VALUES ($1, $2, $3, $4)', [enrolmentId, v.session, v.staffId, state]);
      const full = state === EnrolmentState.WAIT_LISTED || taken + 1 >= row.capacity;
      if (full && row.state === SessionState.OPEN)
        await m.query("UPDATE training_session SET state = 'FULL', version = version + 1 WHERE id = $1", [v.session]);
      return { id: enrolmentId, state, row: await rowAsWritten(m, Enrolment, enrolmentId) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: done.state === EnrolmentState.ENROLLED ? 'enrol' : 'wait-list' }],
  });
  return asWritten(ctx, result.row);
}

export async function cancelEnrolment(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { id: string; expectedVersion: number; idempotencyKey: string | null },
): Promise<Enrolment> {
  const result = await mutate(ctx, info, {
    action: 'cancelEnrolment',
    entityType: ENTITY,
    input: { enrolmentId: args.id.toLowerCase(), version: args.expectedVersion },
    idempotencyKey: args.idempotencyKey,
    refusedKey: args.id.toLowerCase(),
    validate: () => ({ enrolmentId: requireUuid('id', args.id) }),
    authorize: mayManageOwnStaff,
    lock: {
      what: 'enrolment',
      row: (m, v) => lockEnrolment(m, v.enrolmentId),
      authorize: (principal, row) => {
        if (!ownsStaff(principal, { organizationId: row.organization_id })) throw forbidden("You may cancel only enrolments of your own organisation's staff.");
      },
      expectedVersion: args.expectedVersion,
    },
    write: async (m, _v, row) => {
      if (row.state !== EnrolmentState.ENROLLED && row.state !== EnrolmentState.WAIT_LISTED)
        throw conflict(`A ${row.state} enrolment cannot be cancelled.`, row.version);
      await m.query("UPDATE enrolment SET state = 'CANCELLED', version = version + 1 WHERE id = $1", [row.id]);
      const records: Audited[] = [{ entityType: ENTITY, entityKey: row.id, action: 'cancel' }];
      const { session } = row;
      if (session.state === SessionState.OPEN || session.state === SessionState.FULL) {
        const free = session.capacity - (await placesTaken(m, session.id));
        if (free > 0) {
          const promoted = await m.query<[{ id: string }[], number]>(
            `UPDATE enrolment SET state = 'ENROLLED', version = version + 1
              WHERE id IN (SELECT id FROM enrolment WHERE session_id = $1 AND state = 'WAIT_LISTED' ORDER BY seq LIMIT $2 FOR UPDATE)
              RETURNING id`,
            [session.id, free],
          );
          for (const p of promoted[0]) records.push({ entityType: ENTITY, entityKey: p.id, action: 'promote' });
          const next = promoted[0].length === free ? SessionState.FULL : SessionState.OPEN;
          if (next !== session.state) await m.query('UPDATE training_session SET state = $2, version = version + 1 WHERE id = $1', [session.id, next]);
        }
      }
      return { id: row.id, records, row: await rowAsWritten(m, Enrolment, row.id) };
    },
    audit: (done) => done.records,
  });
  return asWritten(ctx, result.row);
}

export async function recordAttendance(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { id: string; attended: boolean; expectedVersion: number; idempotencyKey: string | null },
): Promise<Enrolment> {
  const { attended } = args;
  const written = await mutate(ctx, info, {
    action: 'recordAttendance',
    entityType: ENTITY,
    input: { enrolmentId: args.id.toLowerCase(), attended, version: args.expectedVersion },
    idempotencyKey: args.idempotencyKey,
    refusedKey: args.id.toLowerCase(),
    validate: () => ({ enrolmentId: requireUuid('id', args.id) }),
    authorize: mayRecordForSessions,
    lock: {
      what: 'enrolment',
      row: (m, v) => lockEnrolment(m, v.enrolmentId),
      authorize: (principal, row) => authorizeOrganiser(principal, row.session),
      expectedVersion: args.expectedVersion,
    },
    write: async (m, _v, row) => {
      if (row.session.state !== SessionState.HELD)
        throw badUserInput(`Attendance is recorded once the session is HELD (it is ${row.session.state}).`, { argument: 'id' });
      if (![EnrolmentState.ENROLLED, EnrolmentState.ATTENDED, EnrolmentState.ABSENT].includes(row.state))
        throw conflict(`Attendance cannot be recorded for a ${row.state} enrolment.`, row.version);
      await m.query('UPDATE enrolment SET state = $2, version = version + 1 WHERE id = $1', [
        row.id,
        attended ? EnrolmentState.ATTENDED : EnrolmentState.ABSENT,
      ]);
      return { id: row.id, row: await rowAsWritten(m, Enrolment, row.id) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: attended ? 'attended' : 'absent' }],
  });
  return asWritten(ctx, written.row);
}

/** TR-<fiscal year>-<organiser code or 000000>-<first 8 hex digits of the session id>-<serial, 4 digits>: deterministic, unique per session serial. */
export function certificateNumber(fiscalYear: number, organiserCode: string | null, sessionId: string, serial: number): string {
  return `TR-${fiscalYear}-${organiserCode ?? '000000'}-${sessionId.slice(0, 8).toUpperCase()}-${String(serial).padStart(4, '0')}`;
}

export async function recordCompletion(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { id: string; expectedVersion: number; completedOn: string | null; idempotencyKey: string | null },
): Promise<Enrolment> {
  const { completedOn } = args;
  const written = await mutate(ctx, info, {
    action: 'recordCompletion',
    entityType: ENTITY,
    input: { enrolmentId: args.id.toLowerCase(), version: args.expectedVersion, day: completedOn ?? null },
    idempotencyKey: args.idempotencyKey,
    refusedKey: args.id.toLowerCase(),
    validate: () => ({
      enrolmentId: requireUuid('id', args.id),
      day: completedOn === null || completedOn === undefined ? null : requireDate('completedOn', completedOn),
    }),
    authorize: mayRecordForSessions,
    lock: {
      what: 'enrolment',
      row: (m, v) => lockEnrolment(m, v.enrolmentId),
      authorize: (principal, row) => authorizeOrganiser(principal, row.session),
      expectedVersion: args.expectedVersion,
    },
    write: async (m, v, row) => {
      if (row.session.state !== SessionState.HELD)
        throw badUserInput(`Completion is recorded once the session is HELD (it is ${row.session.state}).`, { argument: 'id' });
      if (row.state !== EnrolmentState.ATTENDED)
        throw badUserInput(`Only an ATTENDED enrolment can be completed (this one is ${row.state}); record attendance first.`, { argument: 'id' });
      const [details] = await m.query<
        [{ completion_serial: number; fiscal_year: number; starts_on: string; ends_on: string; organiser_code: string | null }[], number]
      >(
        `UPDATE training_session SET completion_serial = completion_serial + 1 WHERE id = $1
         RETURNING completion_serial, fiscal_year, starts_on::text, ends_on::text,
                   (SELECT organiser_jurisdiction_code FROM course WHERE course.id = training_session.course_id) AS organiser_code`,
        [row.session.id],
      );
      const d = details[0];
      if (!d) throw new Error('session vanished');
      if (v.day !== null && v.day < d.starts_on) throw badUserInput('`completedOn` must not be before the session starts.', { argument: 'completedOn' });
      const certificate = certificateNumber(d.fiscal_year, d.organiser_code, row.session.id, d.completion_serial);
      await m.query("UPDATE enrolment SET state = 'COMPLETED', completed_on = $2, certificate_number = $3, version = version + 1 WHERE id = $1", [
        row.id,
        v.day ?? d.ends_on,
        certificate,
      ]);
      return { id: row.id, row: await rowAsWritten(m, Enrolment, row.id) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: 'complete' }],
  });
  return asWritten(ctx, written.row);
}
