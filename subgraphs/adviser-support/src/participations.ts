import { randomUUID } from 'node:crypto';
import { authorize, badUserInput, conflict, mutate, requireFiscalYear, revive, rowAsWritten } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from 'typeorm';
import type { Context } from './context';
import { NationalBudget, ProgramParticipation } from './entities/program';
import { Program } from './enums';
import { policy } from './policy';
import { requireEligible, requireItems, requireJurisdiction } from './validate';

/**
 * The program participation aggregate (and the national budgets it is granted from): reads, and the
 * create-or-change write through the kit's mutation pipeline. The resolvers hold no SQL.
 */

const ENTITY = 'ProgramParticipation';

/** National budgets by fiscal year and program (public). */
export function nationalBudgets(ctx: Context, fiscalYear: number | null): Promise<NationalBudget[]> {
  const query = ctx.db.getRepository(NationalBudget).createQueryBuilder('b').orderBy('b.fiscal_year').addOrderBy('b.program');
  if (fiscalYear !== null && fiscalYear !== undefined) query.where('b.fiscal_year = :fy', { fy: requireFiscalYear(fiscalYear) });
  return query.getMany();
}

/**
 * The participants' subsidies of a program and fiscal year stay within its national budget (when the
 * national budget of that year is known). The national budget row is locked first, so concurrent
 * writes of the same year are serialised and cannot exceed it together.
 */
async function requireWithinNationalBudget(m: EntityManager, program: Program, fiscalYear: number, jurisdictionCode: string, budget: number): Promise<void> {
  const [national] = await m.query<{ thousand_yen: number }[]>('SELECT thousand_yen FROM national_budget WHERE program = $1 AND fiscal_year = $2 FOR UPDATE', [
    program,
    fiscalYear,
  ]);
  if (!national) return;
  const [others] = await m.query<{ total: number }[]>(
    'SELECT coalesce(sum(budget_thousand_yen), 0)::int AS total FROM program_participation WHERE program = $1 AND fiscal_year = $2 AND jurisdiction_code <> $3',
    [program, fiscalYear, jurisdictionCode],
  );
  const left = national.thousand_yen - (others?.total ?? 0);
  if (budget > left) {
    throw badUserInput(
      `input.budgetThousandYen ${budget} exceeds what is left of the FY${fiscalYear} national budget of ${program} (${national.thousand_yen} thousand yen, ${Math.max(0, left)} not yet granted to other participants).`,
      { argument: 'input.budgetThousandYen' },
    );
  }
}

export interface ParticipationArgs {
  readonly jurisdictionCode: string;
  readonly fiscalYear: number;
  readonly program: Program;
  readonly items: readonly number[];
  readonly budgetThousandYen?: number | null;
}

/**
 * Records a participation (`expectedVersion` null: there must be none yet) or changes the recorded one
 * (`expectedVersion` its current version).
 */
export async function recordProgramParticipation(
  ctx: Context,
  info: GraphQLResolveInfo,
  input: ParticipationArgs,
  expectedVersion: number | null,
  idempotencyKey: string | null,
): Promise<ProgramParticipation> {
  const written = await mutate(ctx, info, {
    action: 'recordProgramParticipation',
    entityType: ENTITY,
    input,
    idempotencyKey,
    validate: () => {
      const fiscalYear = requireFiscalYear(input.fiscalYear, 'input.fiscalYear');
      const budget = input.budgetThousandYen ?? null;
      if (budget !== null && budget < 0)
        throw badUserInput('input.budgetThousandYen must be 0 or more (thousand yen).', { argument: 'input.budgetThousandYen' });
      if (budget !== null && input.program === Program.CONSTRUCTION_SUPPORT) {
        throw badUserInput(
          'input.budgetThousandYen must be null for CONSTRUCTION_SUPPORT: the nation spends that budget itself; participants receive no subsidy from it.',
          { argument: 'input.budgetThousandYen' },
        );
      }
      return { fiscalYear, budget, items: requireItems(input.program, input.items, 'input.items') };
    },
    authorize: (principal) =>
      authorize(policy.participation.write(principal), { jurisdictionCode: input.jurisdictionCode }, 'the program participation of this jurisdiction'),
    checkReferences: async () => {
      requireEligible(input.program, requireJurisdiction(input.jurisdictionCode, 'input.jurisdictionCode'));
    },
    lock: {
      what: `${input.program} participation of ${input.jurisdictionCode} in FY${input.fiscalYear}`,
      row: async (m, v) =>
        (
          await m.query<{ id: string; version: number }[]>(
            'SELECT id, version FROM program_participation WHERE jurisdiction_code = $1 AND fiscal_year = $2 AND program = $3 FOR UPDATE',
            [input.jurisdictionCode, v.fiscalYear, input.program],
          )
        )[0] ?? null,
      expectedVersion,
    },
    write: async (m, v, existing) => {
      if (v.budget !== null) await requireWithinNationalBudget(m, input.program, v.fiscalYear, input.jurisdictionCode, v.budget);
      if (existing) {
        await m.query('UPDATE program_participation SET item_numbers = $2, budget_thousand_yen = $3, version = version + 1, is_demo = false WHERE id = $1', [
          existing.id,
          v.items,
          v.budget,
        ]);
        return { id: existing.id, action: 'update', row: await rowAsWritten(m, ProgramParticipation, existing.id) };
      }
      const inserted = await m.query<{ id: string }[]>(
        `INSERT INTO program_participation (id, jurisdiction_code, fiscal_year, program, item_numbers, budget_thousand_yen)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT program_participation_once DO NOTHING RETURNING id`,
        [randomUUID(), input.jurisdictionCode, v.fiscalYear, input.program, v.items, v.budget],
      );
      if (!inserted[0]) throw conflict('The participation was recorded by someone else meanwhile; reload it and pass its version to change it.', null);
      return { id: inserted[0].id, action: 'create', row: await rowAsWritten(m, ProgramParticipation, inserted[0].id) };
    },
    audit: (done) => [{ entityType: ENTITY, entityKey: done.id, action: done.action }],
  });
  // The participation as the write left it (a replay answers the same, never its later state).
  return revive(ctx.db, ProgramParticipation, written.row);
}
