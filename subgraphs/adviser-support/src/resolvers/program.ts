import { IdempotencyKeyArg, LocalGovCodeScalar, optionalExpectedVersionOf, VERSION_DEPRECATION } from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, InputType, Int, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Jurisdiction } from '../entities/external';
import { BUDGET_FIGURE, NationalBudget, ProgramItem, ProgramParticipation } from '../entities/program';
import { Program } from '../enums';
import { nationalBudgets, recordProgramParticipation } from '../participations';
import { itemsOf } from './items';

@InputType({ description: "A jurisdiction's participation in one program for one fiscal year." })
export class ProgramParticipationInput {
  @Field(() => LocalGovCodeScalar, {
    description:
      'The participating jurisdiction: for CONSTRUCTION_PROMOTION a prefecture, designated city, special ward or health-centre city; for CONSTRUCTION_SUPPORT a prefecture, designated city or special ward.',
  })
  jurisdictionCode!: string;

  @Field(() => Int, { description: 'The fiscal year, e.g. 2024.' })
  fiscalYear!: number;

  @Field(() => Program, { description: 'The program.' })
  program!: Program;

  @Field(() => [Int], { description: 'Items implemented (1–14), for CONSTRUCTION_PROMOTION; must include item 1. Empty for CONSTRUCTION_SUPPORT.' })
  items!: number[];

  @Field(() => Int, { nullable: true, description: `0 or more; null when not reported. ${BUDGET_FIGURE}` })
  budgetThousandYen?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Omit to record a new participation; to change a recorded one, pass its current `version` (a stale version is refused with CONFLICT).',
  })
  expectedVersion?: number | null;

  @Field(() => Int, { nullable: true, deprecationReason: VERSION_DEPRECATION, description: 'Deprecated: the same as `expectedVersion`.' })
  version?: number | null;
}

@Resolver(() => ProgramParticipation)
export class ProgramResolver {
  @Query(() => [NationalBudget], {
    description: 'National budgets of the two programs by fiscal year (real figures from the seed document, FY2022 and FY2023). Public.',
  })
  nationalBudgets(
    @Arg('fiscalYear', () => Int, { nullable: true, description: 'Only this fiscal year.' }) fiscalYear: number | null,
    @Ctx() ctx: Context,
  ): Promise<NationalBudget[]> {
    return nationalBudgets(ctx, fiscalYear);
  }

  @Query(() => [ProgramItem], { description: 'The 14 items of the construction promotion program (item 1 mandatory). Public.' })
  programItems(): ProgramItem[] {
    return itemsOf(Array.from({ length: 14 }, (_, i) => i + 1));
  }

  @Mutation(() => ProgramParticipation, {
    description:
      "Records (or, with `expectedVersion`, changes) a jurisdiction's participation in a program. Refused with BAD_USER_INPUT when the " +
      "jurisdiction may not run the program, item 1 is missing, a CONSTRUCTION_SUPPORT participation has a budget, or the year's " +
      'subsidies would exceed the national budget; CONFLICT on a stale version or a participation already recorded. ' +
      'The nation (program secretariat) or the jurisdiction itself.',
  })
  recordProgramParticipation(
    @Arg('input', () => ProgramParticipationInput, { description: 'The participation.' }) input: ProgramParticipationInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProgramParticipation> {
    return recordProgramParticipation(
      ctx,
      info,
      input,
      optionalExpectedVersionOf(input.expectedVersion, input.version, 'input.expectedVersion'),
      idempotencyKey,
    );
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
