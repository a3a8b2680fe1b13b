import {
  FISCAL_YEAR_RANGE_ARGS,
  fiscalYearDates,
  forbidden,
  isLocalGovCode,
  requireFiscalYear,
  requireFiscalYearRange,
  scopeCovers,
  trendDescription,
  type FiscalYear,
} from '@nimo/kit';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Jurisdiction } from '../entities/external';
import { CaseStatus, ContactChannel, Need } from '../enums';
import { NATION, type Figures } from '../figures';
import { policy } from '../policy';

@ObjectType({
  description:
    'A published count. Counts from 1 to 9 are suppressed (the small-cell rule of official statistics), and so are as many ' +
    'other counts, zeros included, as it takes that someone who knows every figure published for the fiscal year (the same ' +
    'asOf), at every level (municipality, prefecture, nation), how they add up and the bounds of each suppressed count, ' +
    'cannot narrow any suppressed count to fewer than 5 possible values (PROTECTION_VALUES: a protection interval of half ' +
    'the ten values 0–9 the small-cell rule hides, so a hidden 1 cannot be told from a 5). Checked in the tests with a ' +
    'linear-programming solver.',
})
export class Count {
  @Field(() => Int, { nullable: true, description: 'The count; null when suppressed.' })
  value!: number | null;

  @Field(() => Boolean, { description: 'Whether the count is suppressed.' })
  suppressed!: boolean;
}

@ObjectType({ description: 'A median number of days; suppressed when based on fewer than 10 observations or when the count it is taken over is suppressed.' })
export class MedianDays {
  @Field(() => Float, { nullable: true, description: 'The median in days; null when suppressed or when there is nothing to measure.' })
  days!: number | null;

  @Field(() => Boolean, {
    description:
      'Whether the median is suppressed (fewer than 10 observations, or the count it is taken over is suppressed: whether it is shown would bound that count).',
  })
  suppressed!: boolean;
}

@ObjectType({ description: 'Cases in one state.' })
export class StatusCount {
  @Field(() => CaseStatus, { description: 'The state.' })
  status!: CaseStatus;

  @Field(() => Count, { description: 'How many of the cases opened in the period are in this state now.' })
  count!: Count;
}

@ObjectType({ description: 'Cases touching one field of need.' })
export class NeedCount {
  @Field(() => Need, { description: 'The field of need.' })
  need!: Need;

  @Field(() => Count, { description: 'How many cases opened in the period touch it (a case may touch several).' })
  count!: Count;
}

@ObjectType({ description: 'Contacts by one channel.' })
export class ChannelCount {
  @Field(() => ContactChannel, { description: 'The channel.' })
  channel!: ContactChannel;

  @Field(() => Count, { description: 'How many contacts in the period used it.' })
  count!: Count;
}

/** The figures of one unit for one fiscal year, read lazily from the year's table. */
@ObjectType({
  description:
    'Consultation figures of a municipality, a prefecture (its municipalities rolled up) or the nation, for a fiscal year ' +
    '(April to March). Small counts are suppressed (see Count). Only whole fiscal years are published: figures for ' +
    'overlapping periods could be subtracted from one another to recover a suppressed count. All figures of a fiscal year ' +
    'are of one committed state, asOf: after a change they are computed again off the request path (at most every ' +
    'FIGURES_REFRESH_MS, 10 s by default, plus the time the protection takes, about a second at a million cases), and ' +
    'until then the last protected figures are given.',
})
export class ConsultationSummary {
  constructor(
    private readonly figures: Figures,
    private readonly unit: string,
    fiscalYear: FiscalYear,
  ) {
    this.fiscalYear = fiscalYear;
    const { from, to } = fiscalYearDates(fiscalYear);
    this.from = from;
    this.to = to;
  }

  @Field(() => Int, { description: 'The fiscal year (FY2024 = April 2024 to March 2025).' })
  fiscalYear: number;

  @Field(() => LocalDateResolver, { description: 'First day of the period.' })
  from: string;

  @Field(() => LocalDateResolver, { description: 'Last day of the period (inclusive).' })
  to: string;

  @Field(() => DateTimeISOResolver, {
    description:
      'The committed state these figures are of: when their counts were read. Writes committed after it are not in them yet; ' +
      'every figure of the fiscal year with the same asOf comes from the same counts and the same suppression.',
  })
  get asOf(): Date {
    return this.figures.asOf;
  }

  private count(metric: Parameters<Figures['count']>[1], category?: string): Count {
    const value = this.figures.count(this.unit, metric, category);
    return { value, suppressed: value === null };
  }

  @Field(() => Count, { description: 'Cases opened in the period.' })
  get casesOpened(): Count {
    return this.count('opened');
  }

  @Field(() => [StatusCount], { description: 'The cases opened in the period, by their state now.' })
  get casesByStatus(): StatusCount[] {
    return Object.values(CaseStatus).map((status) => ({ status, count: this.count('status', status) }));
  }

  @Field(() => [NeedCount], { description: 'The cases opened in the period, by field of need.' })
  get casesByNeed(): NeedCount[] {
    return Object.values(Need).map((need) => ({ need, count: this.count('need', need) }));
  }

  @Field(() => Count, { description: 'Contacts recorded in the period (any case).' })
  get contacts(): Count {
    return this.count('contacts');
  }

  @Field(() => [ChannelCount], { description: 'Contacts in the period, by channel.' })
  get contactsByChannel(): ChannelCount[] {
    return Object.values(ContactChannel).map((channel) => ({ channel, count: this.count('channel', channel) }));
  }

  @Field(() => Count, { description: 'Referrals the municipal desks sent in the period (direction FROM_MUNICIPALITY).' })
  get referralsMade(): Count {
    return this.count('referralsMade');
  }

  @Field(() => Count, { description: 'Referrals the municipal desks sent that were completed in the period (direction FROM_MUNICIPALITY).' })
  get referralsCompleted(): Count {
    return this.count('referralsCompleted');
  }

  @Field(() => Count, {
    description:
      'Referrals the municipal desks received in the period from the second line and other organisations (direction TO_MUNICIPALITY: public health centre, mental health and welfare centre, hospital, …).',
  })
  get referralsReceived(): Count {
    return this.count('referralsReceived');
  }

  @Field(() => MedianDays, { description: 'Median days from opening to the first contact, over cases opened in the period that have one.' })
  get medianDaysToFirstContact(): MedianDays {
    return this.figures.median(this.unit, 'firstContact');
  }

  @Field(() => MedianDays, {
    description: "Median days from a referral to the receiving organisation's answer, over referrals sent in the period that have one.",
  })
  get medianDaysReferralToResponse(): MedianDays {
    return this.figures.median(this.unit, 'response');
  }
}

const fiscalYearArg = { description: 'The fiscal year (FY2024 = April 2024 to March 2025).' };

async function summary(ctx: Context, unit: string, year: number): Promise<ConsultationSummary | null> {
  const fiscalYear = requireFiscalYear(year);
  const figures = await ctx.loaders.figures.load(fiscalYear);
  return figures.covers(unit) ? new ConsultationSummary(figures, unit, fiscalYear) : null;
}

/** A trend: `summary` for every year of the range (one loader tick, so one batch of statements); null where the one-year field is null. */
async function summaries(ctx: Context, unit: string, from: number, to: number): Promise<ConsultationSummary[] | null> {
  const years = await Promise.all(requireFiscalYearRange(from, to).map((fiscalYear) => summary(ctx, unit, fiscalYear)));
  return years.every((s): s is ConsultationSummary => s !== null) ? years : null;
}

const TREND_ACCESS = 'Who may see it, and when it is null, as for the one-year field.';

function authorizeJurisdiction(ctx: Context, code: string): void {
  if (!scopeCovers(policy.figures(ctx.principal), { jurisdictionCode: code })) {
    throw forbidden(`You may not see the consultation figures of ${code}.`);
  }
}

function authorizeNation(ctx: Context): void {
  if (!policy.figures(ctx.principal).all) throw forbidden('Only the nation and the adviser organisation may see national consultation figures.');
}

@Resolver(() => Jurisdiction)
export class JurisdictionFiguresResolver {
  @FieldResolver(() => ConsultationSummary, {
    nullable: true,
    description:
      "Consultation figures for a fiscal year: a municipality's own, or a prefecture's municipalities rolled up (null for an administrative " +
      'ward: its city owns the cases). Nation and adviser: any; prefectures, public health centres and mental health and welfare ' +
      'centres: their area; a municipality: itself. Null with FORBIDDEN otherwise. One dashboard request costs a constant number of ' +
      'SQL statements however many jurisdictions it asks for.',
  })
  async consultationSummary(
    @Root() j: Jurisdiction,
    @Arg('fiscalYear', () => Int, fiscalYearArg) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<ConsultationSummary | null> {
    if (!isLocalGovCode(j.code)) return null;
    authorizeJurisdiction(ctx, j.code);
    return summary(ctx, j.code, fiscalYear);
  }

  @FieldResolver(() => [ConsultationSummary], { nullable: true, description: trendDescription('consultationSummary', TREND_ACCESS) })
  async consultationSummaries(
    @Root() j: Jurisdiction,
    @Arg('fromFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.from) fromFiscalYear: number,
    @Arg('toFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.to) toFiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<ConsultationSummary[] | null> {
    if (!isLocalGovCode(j.code)) return null;
    authorizeJurisdiction(ctx, j.code);
    return summaries(ctx, j.code, fromFiscalYear, toFiscalYear);
  }
}

@Resolver()
export class NationalFiguresResolver {
  @Query(() => ConsultationSummary, {
    nullable: true,
    description: 'Consultation figures of the whole nation for a fiscal year. Nation and adviser only; null with FORBIDDEN otherwise.',
  })
  async nationalConsultationSummary(@Arg('fiscalYear', () => Int, fiscalYearArg) fiscalYear: number, @Ctx() ctx: Context): Promise<ConsultationSummary | null> {
    authorizeNation(ctx);
    return summary(ctx, NATION, fiscalYear);
  }

  @Query(() => [ConsultationSummary], { nullable: true, description: trendDescription('nationalConsultationSummary', TREND_ACCESS) })
  async nationalConsultationSummaries(
    @Arg('fromFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.from) fromFiscalYear: number,
    @Arg('toFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.to) toFiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<ConsultationSummary[] | null> {
    authorizeNation(ctx);
    return summaries(ctx, NATION, fromFiscalYear, toFiscalYear);
  }
}
