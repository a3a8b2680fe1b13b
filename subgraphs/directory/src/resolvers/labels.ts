import { fiscalYearLabel, fiscalYearLabels, FiscalYearLabel, LABELS_LOCALE } from '@nimo/kit';
import { Arg, FieldResolver, Int, Query, Resolver } from 'type-graphql';
import { labels } from '../labels';

/** `Query.labels` (the directory owns the root of the one `Labels` entity) and the names of fiscal years. */
@Resolver(() => labels.type)
export class LabelsRootResolver {
  @Query(() => labels.type, {
    description:
      'Japanese words for front ends: the label of every enum value of the API (each subgraph serves those of its own ' +
      'enums) and the names of fiscal years (令和6年度). Public; one request fetches every word a screen needs.',
  })
  labels(): { locale: string } {
    return { locale: LABELS_LOCALE };
  }

  @FieldResolver(() => FiscalYearLabel, { description: 'A fiscal year with its Japanese name, e.g. 2024 → "令和6年度". BAD_USER_INPUT outside 2000–2100.' })
  fiscalYear(@Arg('fiscalYear', () => Int, { description: 'The fiscal year, e.g. 2024 for April 2024 to March 2025.' }) fiscalYear: number): FiscalYearLabel {
    return fiscalYearLabel(fiscalYear);
  }

  @FieldResolver(() => [FiscalYearLabel], {
    description: "Fiscal years `from` to `to` (inclusive, oldest first) with their Japanese names, e.g. for a chart's axis.",
  })
  fiscalYears(
    @Arg('from', () => Int, { description: 'The first fiscal year.' }) from: number,
    @Arg('to', () => Int, { description: 'The last fiscal year (not before `from`).' }) to: number,
  ): FiscalYearLabel[] {
    return fiscalYearLabels(from, to);
  }
}
