import { FISCAL_YEAR_RANGE_ARGS, forbidden, Guard, requireFiscalYear, requireFiscalYearRange, trendDescription, type FiscalYear } from '@nimo/kit';
import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Jurisdiction } from '../entities/external';
import { seesAggregates } from '../policy';
import type { TrainingFigures } from '../figures';

@ObjectType({
  description:
    'Training figures of one fiscal year for a jurisdiction (a prefecture code rolls up every jurisdiction of the ' +
    'prefecture; a designated city includes its wards) or for the nation. Aggregates only; no personal data.',
})
export class TrainingSummary {
  @Field(() => Int, { description: 'The fiscal year (April–March).' })
  fiscalYear!: number;

  @Field(() => Int, {
    description: "Sessions HELD in the year by organisers in the area (by the organiser's jurisdiction; the national secretariat counts for the nation only).",
  })
  sessionsHeld!: number;

  @Field(() => Int, { description: 'Enrolments (not cancelled) in sessions of the year, of staff of organisations in the area.' })
  enrolments!: number;

  @Field(() => Int, { description: 'Completions in sessions of the year, of staff of organisations in the area.' })
  completions!: number;

  @Field(() => Int, { description: 'Distinct staff of organisations in the area with at least one completion in the year.' })
  staffTrained!: number;

  @Field(() => Int, { description: 'Municipalities (市区町村) in the area (1 for a municipality; 0 for an administrative ward).' })
  municipalities!: number;

  @Field(() => Int, { description: 'Municipalities in the area with at least one consultation staff member who completed a training by the end of the year.' })
  municipalitiesWithTrainedConsultationStaff!: number;

  @Field(() => Float, {
    nullable: true,
    description: '`municipalitiesWithTrainedConsultationStaff` / `municipalities` (0–1); null when the area has no municipality.',
  })
  shareOfMunicipalitiesWithTrainedConsultationStaff!: number | null;
}

@ObjectType({
  description:
    'Distinct staff trained by the end of a fiscal year (31 March), cumulative: a staff member counts from the fiscal year of their first completion.',
})
export class TrainedStaffAtYearEnd {
  @Field(() => Int, { description: 'The fiscal year (April–March).' })
  fiscalYear!: number;

  @Field(() => Int, { description: 'Distinct staff with at least one completion on or before the end of the year.' })
  trainedStaff!: number;
}

function summary(fiscalYear: number, f: TrainingFigures): TrainingSummary {
  return {
    fiscalYear,
    sessionsHeld: f.sessionsHeld,
    enrolments: f.enrolments,
    completions: f.completions,
    staffTrained: f.staffTrained,
    municipalities: f.municipalities,
    municipalitiesWithTrainedConsultationStaff: f.municipalitiesWithTrainedConsultationStaff,
    shareOfMunicipalitiesWithTrainedConsultationStaff: f.municipalities === 0 ? null : f.municipalitiesWithTrainedConsultationStaff / f.municipalities,
  };
}

/** The summaries of a jurisdiction (code null: the nation) for each fiscal year asked, through the one loader (one tick: one computation). */
function summaries(ctx: Context, code: string | null, fiscalYears: readonly FiscalYear[]): Promise<TrainingSummary[]> {
  return Promise.all(fiscalYears.map(async (fiscalYear) => summary(fiscalYear, await ctx.loaders.trainingSummary.load({ code, fiscalYear }))));
}

const TREND_ACCESS = 'Government staff roles only (null with FORBIDDEN for others), as for the one-year field.';

@Resolver(() => Jurisdiction)
export class JurisdictionFiguresResolver {
  @FieldResolver(() => TrainingSummary, {
    nullable: true,
    description: 'Training figures of a fiscal year, rolled up for a prefecture. Government staff roles only (null with FORBIDDEN for others).',
  })
  @Guard<Jurisdiction>(seesAggregates, 'training figures')
  async trainingSummary(
    @Root() j: Jurisdiction,
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year, e.g. 2024 for April 2024 to March 2025.' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<TrainingSummary> {
    const [one] = await summaries(ctx, j.code, [requireFiscalYear(fiscalYear)]);
    if (!one) throw new Error('no training summary');
    return one;
  }

  @FieldResolver(() => [TrainingSummary], { nullable: true, description: trendDescription('trainingSummary', TREND_ACCESS) })
  @Guard<Jurisdiction>(seesAggregates, 'training figures')
  trainingSummaries(
    @Root() j: Jurisdiction,
    @Arg('fromFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.from) fromFiscalYear: number,
    @Arg('toFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.to) toFiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<TrainingSummary[]> {
    return summaries(ctx, j.code, requireFiscalYearRange(fromFiscalYear, toFiscalYear));
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Distinct staff of organisations in this jurisdiction (every jurisdiction of the prefecture for a prefecture code; ' +
      'its wards for a designated city) with at least one completed training, cumulative. Government staff roles only ' +
      '(null with FORBIDDEN for others).',
  })
  @Guard<Jurisdiction>(seesAggregates, 'training figures')
  trainedStaffTotal(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.trainedStaffTotal.load(j.code);
  }

  @FieldResolver(() => [TrainedStaffAtYearEnd], {
    nullable: true,
    description:
      '`trainedStaffTotal` as it stood at the end of each fiscal year in which it grew, oldest first (a year not listed has ' +
      'the figure of the latest listed year before it, or 0 before the first). Argument-free, so the evaluation of a past ' +
      'fiscal year counts only the staff trained by its end. Government staff roles only (null with FORBIDDEN for others).',
  })
  @Guard<Jurisdiction>(seesAggregates, 'training figures')
  trainedStaffHistory(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<TrainedStaffAtYearEnd[]> {
    return ctx.loaders.trainedStaffHistory.load(j.code);
  }

  @Query(() => TrainingSummary, {
    nullable: true,
    description: 'The national training figures of a fiscal year. Government staff roles only (null with FORBIDDEN for others).',
  })
  async nationalTrainingSummary(
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year, e.g. 2024 for April 2024 to March 2025.' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<TrainingSummary> {
    if (!seesAggregates(ctx.principal)) throw forbidden('You may not see training figures.');
    const [one] = await summaries(ctx, null, [requireFiscalYear(fiscalYear)]);
    if (!one) throw new Error('no training summary');
    return one;
  }

  @Query(() => [TrainingSummary], { nullable: true, description: trendDescription('nationalTrainingSummary', TREND_ACCESS) })
  nationalTrainingSummaries(
    @Arg('fromFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.from) fromFiscalYear: number,
    @Arg('toFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.to) toFiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<TrainingSummary[]> {
    if (!seesAggregates(ctx.principal)) throw forbidden('You may not see training figures.');
    return summaries(ctx, null, requireFiscalYearRange(fromFiscalYear, toFiscalYear));
  }
}
