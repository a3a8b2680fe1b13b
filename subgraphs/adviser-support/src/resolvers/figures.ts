import {
  authorize,
  FISCAL_YEAR_RANGE_ARGS,
  forbidden,
  isPrefectureCode,
  nationalCodeList,
  requireFiscalYear,
  requireFiscalYearRange,
  trendDescription,
} from '@nimo/kit';
import { Arg, Ctx, Directive, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Jurisdiction } from '../entities/external';
import { Comparator, EvaluationTier, IndicatorCode, IndicatorStatus } from '../enums';
import { forumCoverageAt, NATION_REQUIRES, trainedStaffAt } from '../federation';
import { evaluate, INDICATORS, type IndicatorDefinition, type IndicatorOutcome } from '../figures';
import { yearKey } from '../loaders';
import { policy } from '../policy';

@ObjectType({ description: 'A target of an indicator for a range of fiscal years.' })
export class IndicatorTarget {
  @Field(() => Int, { nullable: true, description: 'First fiscal year the target applies to; null: no lower bound.' })
  fromFiscalYear!: number | null;

  @Field(() => Int, { nullable: true, description: 'Last fiscal year the target applies to; null: no upper bound.' })
  toFiscalYear!: number | null;

  @Field(() => Float, { description: "The target value, in the indicator's unit." })
  value!: number;

  @Field(() => String, { description: 'Where the target comes from.' })
  source!: string;
}

@ObjectType({ description: 'A published national figure of an indicator (real data).' })
export class NationalActual {
  @Field(() => Int, { description: 'The fiscal year.' })
  fiscalYear!: number;

  @Field(() => Float, { description: "The value, in the indicator's unit." })
  value!: number;

  @Field(() => String, { description: 'Where the figure comes from.' })
  source!: string;
}

@ObjectType({
  description: 'The definition of an indicator of the evaluation of construction status: what it measures, its targets and where its values come from.',
})
export class EvaluationIndicator {
  @Field(() => IndicatorCode, { description: 'The indicator.' })
  code!: IndicatorCode;

  @Field(() => String, { description: 'Name in Japanese.' })
  nameJa!: string;

  @Field(() => String, { description: 'Name in English.' })
  name!: string;

  @Field(() => String, { description: 'Unit of values and targets (%, days, persons, items).' })
  unit!: string;

  @Field(() => Comparator, { description: 'How a value is compared with the target.' })
  comparator!: Comparator;

  @Field(() => [IndicatorTarget], { description: 'Targets by fiscal year range (empty: no fixed target; a per-jurisdiction target may be reported).' })
  targets!: IndicatorTarget[];

  @Field(() => String, { description: 'Where values come from (this subgraph, or another subgraph through federation).' })
  source!: string;

  @Field(() => String, { description: 'How values roll up from municipality to prefecture to nation.' })
  rollUp!: string;

  @Field(() => [NationalActual], { description: "Published national figures (real data), where the hub's sources give one." })
  nationalActuals!: NationalActual[];
}

@ObjectType({ description: "One indicator's value for a jurisdiction (or the nation) in a fiscal year, and its status against the target." })
export class IndicatorResult {
  @Field(() => IndicatorCode, { description: 'The indicator.' })
  code!: IndicatorCode;

  @Field(() => Float, { nullable: true, description: "The value in the indicator's unit; null when not available (see `note`)." })
  value!: number | null;

  @Field(() => Float, { nullable: true, description: 'The target in force for this fiscal year and jurisdiction; null when none.' })
  target!: number | null;

  @Field(() => String, { nullable: true, description: 'Where the target comes from.' })
  targetSource!: string | null;

  @Field(() => IndicatorStatus, { description: 'The value against the target.' })
  status!: IndicatorStatus;

  @Field(() => String, { nullable: true, description: 'How the value was formed, e.g. "41 of 62 municipalities".' })
  basis!: string | null;

  @Field(() => String, { nullable: true, description: 'Why there is no value, when there is none.' })
  note!: string | null;

  @Field(() => Boolean, { description: 'True when demo data went into the value.' })
  isDemo!: boolean;
}

@ObjectType({ description: 'The evaluation of construction status (構築状況の評価) of a jurisdiction in a fiscal year: every indicator with its status.' })
export class ConstructionEvaluation {
  @Field(() => Int, { description: 'The fiscal year.' })
  fiscalYear!: number;

  @Field(() => EvaluationTier, { description: 'MUNICIPALITY (its own values) or PREFECTURE (rolled up over its area).' })
  tier!: EvaluationTier;

  @Field(() => [IndicatorResult], { description: 'Every indicator, in the order of `evaluationIndicators`.' })
  indicators!: IndicatorOutcome[];

  @Field(() => Int, { description: 'How many indicators meet their target.' })
  met!: number;

  @Field(() => Int, { description: 'How many indicators fall short of their target.' })
  notMet!: number;
}

@Directive('@key(fields: "fiscalYear")')
@ObjectType({ description: "The nation's evaluation of construction status in a fiscal year: every indicator rolled up over the 47 prefectures." })
export class NationalEvaluation {
  @Field(() => Int, { description: 'The fiscal year.' })
  fiscalYear!: number;

  @Field(() => [Jurisdiction], { description: 'The 47 prefectures the roll-up is over; each has its own `evaluation`.' })
  prefectures!: Jurisdiction[];
}

const toDefinition = (d: IndicatorDefinition): EvaluationIndicator => ({
  ...d,
  targets: d.targets.map((t) => ({ ...t })),
  nationalActuals: d.nationalActuals.map((a) => ({ ...a })),
});

const prefectureCodes = (): string[] => nationalCodeList().prefectures.map((p) => p.code);

function summarise(fiscalYear: number, tier: EvaluationTier, indicators: IndicatorOutcome[]): ConstructionEvaluation {
  return {
    fiscalYear,
    tier,
    indicators,
    met: indicators.filter((i) => i.status === IndicatorStatus.MET).length,
    notMet: indicators.filter((i) => i.status === IndicatorStatus.NOT_MET).length,
  };
}

/** The evaluation of one jurisdiction, from its federated fields and this subgraph's rows (batched loaders). */
export async function evaluateJurisdiction(j: Jurisdiction, fiscalYear: number, ctx: Context): Promise<ConstructionEvaluation> {
  const key = yearKey(j.code.slice(0, 2), fiscalYear);
  const { values, promotion } = await ctx.loaders.areaRows.load(key);
  const tier = isPrefectureCode(j.code) ? EvaluationTier.PREFECTURE : EvaluationTier.MUNICIPALITY;
  const own = tier === EvaluationTier.PREFECTURE ? values : values.filter((v) => v.jurisdictionCode === j.code);
  return summarise(
    fiscalYear,
    tier,
    evaluate({
      tier,
      fiscalYear,
      code: j.code,
      forums: j.forumCoverage ? [forumCoverageAt(j.forumCoverage, fiscalYear)] : null,
      trainedStaff: [trainedStaffAt(j.trainedStaffHistory, fiscalYear)],
      values: own,
      promotion: tier === EvaluationTier.PREFECTURE ? promotion : promotion.filter((p) => p.jurisdictionCode === j.code),
    }),
  );
}

@Resolver(() => NationalEvaluation)
export class EvaluationResolver {
  @Query(() => [EvaluationIndicator], { description: 'The indicators of the evaluation of construction status, with their targets and sources. Public.' })
  evaluationIndicators(): EvaluationIndicator[] {
    return INDICATORS.map(toDefinition);
  }

  @Query(() => NationalEvaluation, {
    nullable: true,
    description:
      "The nation's evaluation of construction status for a fiscal year (roll-up over the prefectures). The nation and the adviser organisation only; others get FORBIDDEN.",
  })
  nationalEvaluation(
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year, e.g. 2023.' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): NationalEvaluation {
    requireFiscalYear(fiscalYear);
    if (!policy.nationalEvaluation.read(ctx.principal).all) throw forbidden('You may not see the national evaluation.');
    return { fiscalYear, prefectures: prefectureCodes().map((code) => ({ code })) };
  }

  @Query(() => [NationalEvaluation], {
    nullable: true,
    description: trendDescription('nationalEvaluation', 'The nation and the adviser organisation only; others get FORBIDDEN.'),
  })
  nationalEvaluations(
    @Arg('fromFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.from) fromFiscalYear: number,
    @Arg('toFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.to) toFiscalYear: number,
    @Ctx() ctx: Context,
  ): NationalEvaluation[] {
    const years = requireFiscalYearRange(fromFiscalYear, toFiscalYear);
    return years.map((fiscalYear) => this.nationalEvaluation(fiscalYear, ctx));
  }

  @FieldResolver(() => [IndicatorResult], { description: 'Every indicator rolled up over the nation, in the order of `evaluationIndicators`.' })
  @Directive(`@requires(fields: "${NATION_REQUIRES}")`)
  async indicators(@Root() nation: NationalEvaluation, @Ctx() ctx: Context): Promise<IndicatorOutcome[]> {
    if (!policy.nationalEvaluation.read(ctx.principal).all) throw forbidden('You may not see the national evaluation.');
    const keys = prefectureCodes().map((code) => yearKey(code.slice(0, 2), nation.fiscalYear));
    const areas = await ctx.loaders.areaRows.loadMany(keys);
    const received = nation.prefectures.filter((p) => p.forumCoverage);
    const rows = areas.flatMap((a) => (a instanceof Error ? [] : [a]));
    return evaluate({
      tier: EvaluationTier.NATION,
      fiscalYear: nation.fiscalYear,
      code: null,
      forums:
        received.length === nation.prefectures.length && received.length > 0 ? received.map((p) => forumCoverageAt(p.forumCoverage!, nation.fiscalYear)) : null,
      trainedStaff: nation.prefectures.map((p) => trainedStaffAt(p.trainedStaffHistory, nation.fiscalYear)),
      values: rows.flatMap((a) => a.values),
      promotion: rows.flatMap((a) => a.promotion),
    });
  }
}

/** Used by the Jurisdiction resolver: FORBIDDEN unless the principal may see this jurisdiction's evaluation. */
export function authorizeEvaluation(ctx: Context, code: string): void {
  authorize(policy.evaluation.read(ctx.principal), { jurisdictionCode: code }, 'the evaluation of this jurisdiction');
}
