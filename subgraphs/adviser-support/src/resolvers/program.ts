import { randomUUID } from 'node:crypto';
import {
  authorize,
  badUserInput,
  clientOperationName,
  conflict,
  LocalGovCodeScalar,
  recordAudit,
  requireFiscalYear,
  transactionally,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, InputType, Int, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Jurisdiction } from '../entities/jurisdiction';
import { NationalBudget, ProgramItem, ProgramParticipation } from '../entities/program';
import { Program } from '../enums';
import { requireEligible, requireItems, requireJurisdiction } from '../program';
import { policy } from '../policy';
import { itemsOf } from './items';

@InputType({ description: 'A jurisdiction\'s participation in one program for one fiscal year.' })
export class ProgramParticipationInput {
  @Field(() => LocalGovCodeScalar, { description: 'The participating jurisdiction: for CONSTRUCTION_PROMOTION a prefecture, designated city, special ward or health-centre city; for CONSTRUCTION_SUPPORT a prefecture, designated city or special ward.' })
  jurisdictionCode!: string;

  @Field(() => Int, { description: 'The fiscal year, e.g. 2024.' })
  fiscalYear!: number;

  @Field(() => Program, { description: 'The program.' })
  program!: Program;

  @Field(() => [Int], { description: 'Items implemented (1–14), for CONSTRUCTION_PROMOTION; must include item 1. Empty for CONSTRUCTION_SUPPORT.' })
  items!: number[];

  @Field(() => Int, { nullable: true, description: 'Budget in thousand yen (千円), 0 or more; null when not reported.' })
  budgetThousandYen?: number | null;

  @Field(() => Int, { nullable: true, description: 'Omit to record a new participation; to change a recorded one, pass its current `version` (a stale version is refused with CONFLICT).' })
  version?: number | null;
}

@Resolver(() => ProgramParticipation)
export class ProgramResolver {
  @Query(() => [NationalBudget], { description: 'National budgets of the two programs by fiscal year (real figures from the seed document, FY2022 and FY2023). Public.' })
  nationalBudgets(
    @Arg('fiscalYear', () => Int, { nullable: true, description: 'Only this fiscal year.' }) fiscalYear: number | null,
    @Ctx() ctx: Context,
  ): Promise<NationalBudget[]> {
    const query = ctx.db.getRepository(NationalBudget).createQueryBuilder('b').orderBy('b.fiscal_year').addOrderBy('b.program');
    if (fiscalYear !== null && fiscalYear !== undefined) query.where('b.fiscal_year = :fy', { fy: requireFiscalYear(fiscalYear) });
    return query.getMany();
  }

  @Query(() => [ProgramItem], { description: 'The 14 items of the construction promotion program (item 1 mandatory). Public.' })
  programItems(): ProgramItem[] {
    return itemsOf(Array.from({ length: 14 }, (_, i) => i + 1));
  }

  @Mutation(() => ProgramParticipation, {
    description:
      'Records (or, with `version`, changes) a jurisdiction\'s participation in a program. Refused with BAD_USER_INPUT when the ' +
      'jurisdiction may not run the program or item 1 is missing; CONFLICT on a stale version or a participation already recorded. ' +
      'The nation (program secretariat) or the jurisdiction itself.',
  })
  async recordProgramParticipation(
    @Arg('input', () => ProgramParticipationInput, { description: 'The participation.' }) input: ProgramParticipationInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'A key unique to this request (a UUID): a retry with the same key returns the first answer and changes nothing twice.' }) idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProgramParticipation> {
    authorize(policy.participation.write(ctx.principal), { jurisdictionCode: input.jurisdictionCode }, 'the program participation of this jurisdiction');
    const fiscalYear = requireFiscalYear(input.fiscalYear, 'input.fiscalYear');
    const row = requireJurisdiction(input.jurisdictionCode, 'input.jurisdictionCode');
    requireEligible(input.program, row);
    const items = requireItems(input.program, input.items, 'input.items');
    const budget = input.budgetThousandYen ?? null;
    if (budget !== null && budget < 0) throw badUserInput('input.budgetThousandYen must be 0 or more (thousand yen).', { field: 'input.budgetThousandYen' });
    const id = await transactionally(ctx.db, { principal: ctx.principal, key: idempotencyKey, operation: 'recordProgramParticipation', input }, async (m) => {
      const [existing] = (await m.query(
        'SELECT id, version FROM program_participation WHERE jurisdiction_code = $1 AND fiscal_year = $2 AND program = $3 FOR UPDATE',
        [row.code, fiscalYear, input.program],
      )) as { id: string; version: number }[];
      let id: string;
      if (existing) {
        if (input.version === null || input.version === undefined) {
          throw conflict(`${row.name} already has a ${input.program} participation for FY${fiscalYear} (version ${existing.version}); pass its version to change it.`, existing.version);
        }
        if (input.version !== existing.version) throw conflict(`Stale version ${input.version}: the participation is at version ${existing.version}. Reload and retry.`, existing.version);
        await m.query('UPDATE program_participation SET item_numbers = $2, budget_thousand_yen = $3, version = version + 1, is_demo = false WHERE id = $1', [existing.id, items, budget]);
        id = existing.id;
      } else {
        if (input.version !== null && input.version !== undefined) throw conflict(`No ${input.program} participation of ${row.name} for FY${fiscalYear} to change; omit version to record one.`, null);
        const inserted = (await m.query(
          `INSERT INTO program_participation (id, jurisdiction_code, fiscal_year, program, item_numbers, budget_thousand_yen)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT program_participation_once DO NOTHING RETURNING id`,
          [randomUUID(), row.code, fiscalYear, input.program, items, budget],
        )) as { id: string }[];
        if (!inserted[0]) throw conflict('The participation was recorded by someone else meanwhile. Reload and retry.', null);
        id = inserted[0].id;
      }
      await recordAudit(m, {
        principal: ctx.principal,
        operation: clientOperationName(info),
        action: existing ? 'update' : 'create',
        entityType: 'ProgramParticipation',
        entityKey: id,
        outcome: 'allowed',
      });
      return id;
    });
    return ctx.db.getRepository(ProgramParticipation).findOneByOrFail({ id });
  }

  @FieldResolver(() => Jurisdiction, { description: 'The participating jurisdiction.' })
  jurisdiction(@Root() p: ProgramParticipation): Jurisdiction {
    return { code: p.jurisdictionCode };
  }

  @FieldResolver(() => [ProgramItem], { description: 'The items implemented, with their names.' })
  items(@Root() p: ProgramParticipation): ProgramItem[] {
    return itemsOf(p.itemNumbers);
  }
}
