import { randomUUID } from 'node:crypto';
import { badUserInput, forbidden, lockRow, municipalityOf, mutate, nationalCodeList, requireUuid, revive, rowAsWritten, type Principal } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from './context';
import { StaffMember } from './entities/staff-member';
import type { Qualification } from './enums';
import { ownsStaff, policy } from './policy';

/** The staff member aggregate (personal data): registration and changes by the own organisation, audited. */

const ENTITY = 'StaffMember';

/** The staff member as the write left it (stored with the write's result: a replay answers the same, never their later record). */
function asWritten(ctx: Context, stored: StaffMember): StaffMember {
  ctx.loaders.staff.clear(stored.id);
  return revive(ctx.db, StaffMember, stored);
}

/** Policy: only a principal acting for an organisation holds staff records. */
function mayHoldStaff(principal: Principal): void {
  if (policy.ownStaff(principal).organizations.length === 0) throw forbidden('You may register and change staff of your own organisation only.');
}

export interface AddStaffArgs {
  readonly organizationId: string;
  readonly jurisdictionCode: string;
  readonly displayName: string;
  readonly qualifications: readonly Qualification[];
  readonly consultationStaff: boolean;
}

export async function addStaffMember(ctx: Context, info: GraphQLResolveInfo, input: AddStaffArgs, idempotencyKey: string | null): Promise<StaffMember> {
  const written = await mutate(ctx, info, {
    action: 'addStaffMember',
    entityType: ENTITY,
    input,
    idempotencyKey,
    validate: () => {
      const organizationId = requireUuid('input.organizationId', input.organizationId);
      const displayName = input.displayName.normalize('NFKC').trim();
      if (displayName.length === 0 || displayName.length > 100)
        throw badUserInput('`input.displayName` must have 1 to 100 characters.', { argument: 'input.displayName' });
      return { organizationId, displayName, qualifications: [...new Set(input.qualifications)] };
    },
    authorize: (principal, v) => {
      if (!ownsStaff(principal, { organizationId: v.organizationId })) throw forbidden('You may register staff of your own organisation only.');
    },
    // The organisation is the directory's: it must exist and be in or serve the staff member's jurisdiction.
    checkReferences: async (_m, v) => {
      if (!nationalCodeList().byCode.has(input.jurisdictionCode))
        throw badUserInput(`\`input.jurisdictionCode\` ${input.jurisdictionCode} names no jurisdiction.`, { argument: 'input.jurisdictionCode' });
      await ctx.directory.requireOrganization(ctx.principal, v.organizationId, {
        argument: 'input.organizationId',
        what: 'an organisation',
        serves: input.jurisdictionCode,
      });
    },
    write: async (m, v) => {
      const staffId = randomUUID();
      await m.query(
        `INSERT INTO staff_member (id, organization_id, jurisdiction_code, municipality_code, display_name, qualifications, consultation_staff)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [staffId, v.organizationId, input.jurisdictionCode, municipalityOf(input.jurisdictionCode), v.displayName, v.qualifications, input.consultationStaff],
      );
      return { id: staffId, row: await rowAsWritten(m, StaffMember, staffId) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: 'create' }],
  });
  return asWritten(ctx, written.row);
}

export async function updateStaffQualifications(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: { id: string; qualifications: readonly Qualification[]; expectedVersion: number; idempotencyKey: string | null },
): Promise<StaffMember> {
  const written = await mutate(ctx, info, {
    action: 'updateStaffQualifications',
    entityType: ENTITY,
    input: { staffId: args.id.toLowerCase(), qualifications: args.qualifications, version: args.expectedVersion },
    idempotencyKey: args.idempotencyKey,
    refusedKey: args.id.toLowerCase(),
    validate: () => ({ staffId: requireUuid('id', args.id), qualifications: [...new Set(args.qualifications)] }),
    authorize: mayHoldStaff,
    lock: {
      what: 'staff member',
      row: (m, v) =>
        lockRow<{ id: string; organization_id: string; version: number }>(
          m,
          { sql: 'SELECT id, organization_id, version FROM staff_member WHERE id = $1', params: [v.staffId] },
          'staff member',
          v.staffId,
        ),
      authorize: (principal, row) => {
        if (!ownsStaff(principal, { organizationId: row.organization_id })) throw forbidden('You may change staff of your own organisation only.');
      },
      expectedVersion: args.expectedVersion,
    },
    write: async (m, v, row) => {
      await m.query('UPDATE staff_member SET qualifications = $2, version = version + 1 WHERE id = $1', [row.id, v.qualifications]);
      return { id: row.id, row: await rowAsWritten(m, StaffMember, row.id) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: 'update' }],
  });
  return asWritten(ctx, written.row);
}
