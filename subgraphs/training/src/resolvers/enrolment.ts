import { badUserInput, conflict, forbidden, notFound, requireUuid, transactionally } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import type { Context } from '../context';
import { Enrolment } from '../entities/enrolment';
import { TrainingSession } from '../entities/session';
import { StaffMember } from '../entities/staff-member';
import { EnrolmentState, PLACE_HOLDING, SessionState } from '../enums';
import { ownsStaff } from '../policy';
import { audit, lockRow, newId, requireDate, requireVersion } from './common';
import { lockSessionAsOrganiser } from './session';

const KEY_DESCRIPTION = 'A key of 8–100 characters (a UUID is a good choice): a retry with the same key returns the first answer and changes nothing twice.';

interface EnrolmentRow {
  id: string;
  session_id: string;
  state: EnrolmentState;
  version: number;
  organization_id: string;
}

/** The enrolment (locked) with its staff member's organisation; NOT_FOUND when unknown. */
async function lockEnrolment(manager: EntityManager, id: string): Promise<EnrolmentRow> {
  return lockRow<EnrolmentRow>(
    manager,
    'SELECT e.id, e.session_id, e.state, e.version, s.organization_id FROM enrolment e JOIN staff_member s ON s.id = e.staff_id WHERE e.id = $1',
    id,
    'enrolment',
  );
}

/** The session an enrolment belongs to (immutable), read before locking the session, so every write locks session → enrolment. */
async function sessionOf(manager: EntityManager, enrolmentId: string): Promise<string> {
  const [row] = (await manager.query('SELECT session_id FROM enrolment WHERE id = $1', [enrolmentId])) as { session_id: string }[];
  if (!row) throw notFound(`No enrolment with id ${enrolmentId}.`);
  return row.session_id;
}

async function placesTaken(manager: EntityManager, sessionId: string): Promise<number> {
  const [row] = (await manager.query('SELECT count(*)::int AS n FROM enrolment WHERE session_id = $1 AND state = ANY($2)', [sessionId, PLACE_HOLDING])) as { n: number }[];
  return row?.n ?? 0;
}

@Resolver(() => Enrolment)
export class EnrolmentResolver {
  @Query(() => Enrolment, { nullable: true, description: 'An enrolment by id; null when unknown or when you may not see it (only the staff member\'s organisation and the session\'s organiser may).' })
  enrolment(@Arg('id', () => ID, { description: 'The enrolment id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<Enrolment | null> {
    return ctx.loaders.enrolment.load(requireUuid('id', id));
  }

  @FieldResolver(() => TrainingSession, { description: 'The session.' })
  async session(@Root() e: Enrolment, @Ctx() ctx: Context): Promise<TrainingSession> {
    const session = await ctx.loaders.session.load(e.sessionId);
    if (!session) throw new Error(`enrolment ${e.id} has no session`);
    return session;
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'The staff member enrolled; null when you may not see them.' })
  staffMember(@Root() e: Enrolment, @Ctx() ctx: Context): Promise<StaffMember | null> {
    return ctx.loaders.staff.load(e.staffId);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Position on the wait list (1 = next to be promoted); null unless WAIT_LISTED.' })
  async waitListPosition(@Root() e: Enrolment, @Ctx() ctx: Context): Promise<number | null> {
    if (e.state !== EnrolmentState.WAIT_LISTED) return null;
    const all = await ctx.loaders.enrolmentsOfSession.load(e.sessionId);
    const waiting = all.filter((x) => x.state === EnrolmentState.WAIT_LISTED);
    const index = waiting.findIndex((x) => x.id === e.id);
    return index < 0 ? null : index + 1;
  }

  @Mutation(() => Enrolment, {
    description:
      'Enrols a staff member of the caller\'s own organisation in an OPEN or FULL session: ENROLLED while places are ' +
      'left, WAIT_LISTED otherwise (promoted first come, first served when a place frees up). Never exceeds capacity, ' +
      'however many enrol at once. Idempotent with `idempotencyKey`.',
  })
  async enrol(
    @Arg('sessionId', () => ID, { description: 'The session.' }) sessionId: string,
    @Arg('staffMemberId', () => ID, { description: 'The staff member (of the caller\'s organisation).' }) staffMemberId: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Enrolment> {
    const session = requireUuid('sessionId', sessionId);
    const staffId = requireUuid('staffMemberId', staffMemberId);
    const id = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'enrol', input: { session, staffId } }, async (manager) => {
      // The row lock serialises enrolments per session: the count below cannot go stale before the insert commits.
      const row = await lockRow<{ id: string; state: SessionState; capacity: number }>(manager, 'SELECT id, state, capacity FROM training_session WHERE id = $1', session, 'training session');
      const [staff] = (await manager.query('SELECT id, organization_id FROM staff_member WHERE id = $1', [staffId])) as { id: string; organization_id: string }[];
      if (!staff) throw notFound(`No staff member with id ${staffId}.`);
      if (!ownsStaff(ctx.principal, { organizationId: staff.organization_id })) throw forbidden('You may enrol only staff of your own organisation.');
      if (row.state !== SessionState.OPEN && row.state !== SessionState.FULL) {
        throw badUserInput(`The session is ${row.state}: enrolment is possible only while it is OPEN or FULL (wait list).`, { argument: 'sessionId' });
      }
      const [existing] = (await manager.query("SELECT id FROM enrolment WHERE session_id = $1 AND staff_id = $2 AND state <> 'CANCELLED'", [session, staffId])) as { id: string }[];
      if (existing) throw badUserInput('This staff member is already enrolled or wait-listed in this session.', { argument: 'staffMemberId', enrolmentId: existing.id });
      const taken = await placesTaken(manager, session);
      const state = taken < row.capacity ? EnrolmentState.ENROLLED : EnrolmentState.WAIT_LISTED;
      const enrolmentId = newId();
      await manager.query('INSERT INTO enrolment (id, session_id, staff_id, state) VALUES ($1, $2, $3, $4)', [enrolmentId, session, staffId, state]);
      const full = state === EnrolmentState.WAIT_LISTED || taken + 1 >= row.capacity;
      if (full && row.state === SessionState.OPEN) await manager.query("UPDATE training_session SET state = 'FULL', version = version + 1 WHERE id = $1", [session]);
      await audit(manager, ctx.principal, info, [{ action: state === EnrolmentState.ENROLLED ? 'enrol' : 'wait-list', entityType: 'Enrolment', entityKey: enrolmentId }]);
      return enrolmentId;
    });
    return loadEnrolment(ctx, id);
  }

  @Mutation(() => Enrolment, {
    description:
      'Cancels an enrolment of a staff member of the caller\'s organisation (ENROLLED or WAIT_LISTED). A freed place goes ' +
      'to the first on the wait list. Optimistic concurrency: a stale `version` is CONFLICT. Idempotent with `idempotencyKey`.',
  })
  async cancelEnrolment(
    @Arg('id', () => ID, { description: 'The enrolment.' }) id: string,
    @Arg('version', () => Int, { description: 'The enrolment\'s `version` as last read.' }) version: number,
    @Arg('idempotencyKey', () => String, { nullable: true, description: KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Enrolment> {
    const enrolmentId = requireUuid('id', id);
    const done = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'cancelEnrolment', input: { enrolmentId, version } }, async (manager) => {
      const sessionId = await sessionOf(manager, enrolmentId);
      const session = await lockRow<{ id: string; state: SessionState; capacity: number }>(manager, 'SELECT id, state, capacity FROM training_session WHERE id = $1', sessionId, 'training session');
      const row = await lockEnrolment(manager, enrolmentId);
      if (!ownsStaff(ctx.principal, { organizationId: row.organization_id })) throw forbidden('You may cancel only enrolments of your own organisation\'s staff.');
      requireVersion('The enrolment', row.version, version);
      if (row.state !== EnrolmentState.ENROLLED && row.state !== EnrolmentState.WAIT_LISTED) throw conflict(`A ${row.state} enrolment cannot be cancelled.`, row.version);
      await manager.query("UPDATE enrolment SET state = 'CANCELLED', version = version + 1 WHERE id = $1", [enrolmentId]);
      const records = [{ action: 'cancel', entityType: 'Enrolment', entityKey: enrolmentId }];
      if (session.state === SessionState.OPEN || session.state === SessionState.FULL) {
        const free = session.capacity - (await placesTaken(manager, sessionId));
        if (free > 0) {
          const promoted = (await manager.query(
            `UPDATE enrolment SET state = 'ENROLLED', version = version + 1
              WHERE id IN (SELECT id FROM enrolment WHERE session_id = $1 AND state = 'WAIT_LISTED' ORDER BY seq LIMIT $2 FOR UPDATE)
              RETURNING id`,
            [sessionId, free],
          )) as [{ id: string }[], number];
          for (const p of promoted[0]) records.push({ action: 'promote', entityType: 'Enrolment', entityKey: p.id });
          const stillFull = promoted[0].length === free;
          const next = stillFull ? SessionState.FULL : SessionState.OPEN;
          if (next !== session.state) await manager.query('UPDATE training_session SET state = $2, version = version + 1 WHERE id = $1', [sessionId, next]);
        }
      }
      await audit(manager, ctx.principal, info, records);
      return enrolmentId;
    });
    return loadEnrolment(ctx, done);
  }

  @Mutation(() => Enrolment, {
    description:
      'The organiser records attendance (ATTENDED or ABSENT) of an enrolled staff member once the session is HELD. ' +
      'Optimistic concurrency: a stale `version` is CONFLICT. Idempotent with `idempotencyKey`.',
  })
  async recordAttendance(
    @Arg('id', () => ID, { description: 'The enrolment.' }) id: string,
    @Arg('attended', () => Boolean, { description: 'True: attended; false: absent.' }) attended: boolean,
    @Arg('version', () => Int, { description: 'The enrolment\'s `version` as last read.' }) version: number,
    @Arg('idempotencyKey', () => String, { nullable: true, description: KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Enrolment> {
    const enrolmentId = requireUuid('id', id);
    const done = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'recordAttendance', input: { enrolmentId, attended, version } }, async (manager) => {
      const session = await lockSessionAsOrganiser(manager, ctx.principal, await sessionOf(manager, enrolmentId));
      const row = await lockEnrolment(manager, enrolmentId);
      requireVersion('The enrolment', row.version, version);
      if (session.state !== SessionState.HELD) throw badUserInput(`Attendance is recorded once the session is HELD (it is ${session.state}).`, { argument: 'id' });
      if (![EnrolmentState.ENROLLED, EnrolmentState.ATTENDED, EnrolmentState.ABSENT].includes(row.state)) throw conflict(`Attendance cannot be recorded for a ${row.state} enrolment.`, row.version);
      await manager.query('UPDATE enrolment SET state = $2, version = version + 1 WHERE id = $1', [enrolmentId, attended ? EnrolmentState.ATTENDED : EnrolmentState.ABSENT]);
      await audit(manager, ctx.principal, info, [{ action: attended ? 'attended' : 'absent', entityType: 'Enrolment', entityKey: enrolmentId }]);
      return enrolmentId;
    });
    return loadEnrolment(ctx, done);
  }

  @Mutation(() => Enrolment, {
    description:
      'The organiser records completion of an ATTENDED enrolment and issues its certificate number (unique; see ' +
      '`Enrolment.certificateNumber`). Optimistic concurrency: a stale `version` is CONFLICT. Idempotent with `idempotencyKey`.',
  })
  async recordCompletion(
    @Arg('id', () => ID, { description: 'The enrolment.' }) id: string,
    @Arg('version', () => Int, { description: 'The enrolment\'s `version` as last read.' }) version: number,
    @Arg('completedOn', () => String, { nullable: true, description: 'Day of completion (YYYY-MM-DD), not before the session starts; default: the session\'s last day.' }) completedOn: string | null,
    @Arg('idempotencyKey', () => String, { nullable: true, description: KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Enrolment> {
    const enrolmentId = requireUuid('id', id);
    const day = completedOn === null || completedOn === undefined ? null : requireDate('completedOn', completedOn);
    const done = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'recordCompletion', input: { enrolmentId, version, day } }, async (manager) => {
      const session = await lockSessionAsOrganiser(manager, ctx.principal, await sessionOf(manager, enrolmentId));
      const row = await lockEnrolment(manager, enrolmentId);
      requireVersion('The enrolment', row.version, version);
      if (session.state !== SessionState.HELD) throw badUserInput(`Completion is recorded once the session is HELD (it is ${session.state}).`, { argument: 'id' });
      if (row.state !== EnrolmentState.ATTENDED) throw badUserInput(`Only an ATTENDED enrolment can be completed (this one is ${row.state}); record attendance first.`, { argument: 'id' });
      const [details] = (await manager.query(
        `UPDATE training_session SET completion_serial = completion_serial + 1 WHERE id = $1
         RETURNING completion_serial, fiscal_year, starts_on::text, ends_on::text,
                   (SELECT organiser_jurisdiction_code FROM course WHERE course.id = training_session.course_id) AS organiser_code`,
        [session.id],
      )) as [{ completion_serial: number; fiscal_year: number; starts_on: string; ends_on: string; organiser_code: string | null }[], number];
      const d = details[0];
      if (!d) throw new Error('session vanished');
      if (day !== null && day < d.starts_on) throw badUserInput('`completedOn` must not be before the session starts.', { argument: 'completedOn' });
      const certificate = certificateNumber(d.fiscal_year, d.organiser_code, session.id, d.completion_serial);
      await manager.query("UPDATE enrolment SET state = 'COMPLETED', completed_on = $2, certificate_number = $3, version = version + 1 WHERE id = $1", [enrolmentId, day ?? d.ends_on, certificate]);
      await audit(manager, ctx.principal, info, [{ action: 'complete', entityType: 'Enrolment', entityKey: enrolmentId }]);
      return enrolmentId;
    });
    return loadEnrolment(ctx, done);
  }
}

/** TR-<fiscal year>-<organiser code or 000000>-<first 8 hex digits of the session id>-<serial, 4 digits>: deterministic, unique per session serial. */
export function certificateNumber(fiscalYear: number, organiserCode: string | null, sessionId: string, serial: number): string {
  return `TR-${fiscalYear}-${organiserCode ?? '000000'}-${sessionId.slice(0, 8).toUpperCase()}-${String(serial).padStart(4, '0')}`;
}

async function loadEnrolment(ctx: Context, id: string): Promise<Enrolment> {
  const enrolment = await ctx.loaders.enrolment.load(id);
  if (!enrolment) throw notFound(`No enrolment with id ${id} that you may see.`);
  return enrolment;
}
