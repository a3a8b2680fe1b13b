import { FISCAL_YEAR_RANGE_ARGS, Guard, requireFiscalYear, requireFiscalYearRange, scopeCovers, trendDescription, type Rule } from '@nimo/kit';
import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Adviser } from '../entities/adviser';
import { Jurisdiction } from '../entities/external';
import { ProgramParticipation } from '../entities/program';
import { SupportRequest } from '../entities/support-request';
import { JURISDICTION_REQUIRES } from '../federation';
import { yearKey } from '../loaders';
import { policy } from '../policy';
import { ConstructionEvaluation, evaluateJurisdiction } from './figures';

/** The kit's field guard: null + FORBIDDEN on that path unless the policy rule covers this jurisdiction. */
const Covered = (rule: Rule, what: string) =>
  Guard<Jurisdiction>((principal, j) => scopeCovers(rule(principal), { jurisdictionCode: j.code }), `${what} of this jurisdiction`);

@Resolver(() => Jurisdiction)
export class JurisdictionResolver {
  @FieldResolver(() => [ProgramParticipation], {
    nullable: true,
    description:
      'The national programs this jurisdiction takes part in for a fiscal year (construction promotion and construction support). ' +
      'FORBIDDEN (null) outside what the principal may see: the nation and the adviser organisation see all, a prefecture its area, a municipality its own.',
  })
  @Covered(policy.participation.read, 'the program participation')
  programParticipation(
    @Root() j: Jurisdiction,
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year, e.g. 2023.' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<ProgramParticipation[]> {
    return ctx.loaders.participationsOf.load(yearKey(j.code, requireFiscalYear(fiscalYear)));
  }

  @FieldResolver(() => [ProgramParticipation], {
    nullable: true,
    description:
      trendDescription('programParticipation', 'Who may see it as for the one-year field.') +
      " `programParticipation` is a list, so this one is the years' lists one after the other (each element carries its `fiscalYear`).",
  })
  @Covered(policy.participation.read, 'the program participation')
  async programParticipations(
    @Root() j: Jurisdiction,
    @Arg('fromFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.from) fromFiscalYear: number,
    @Arg('toFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.to) toFiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<ProgramParticipation[]> {
    const years = requireFiscalYearRange(fromFiscalYear, toFiscalYear);
    return (await Promise.all(years.map((fy) => ctx.loaders.participationsOf.load(yearKey(j.code, fy))))).flat();
  }

  @FieldResolver(() => [Adviser], {
    nullable: true,
    description: 'The advisers assigned to this jurisdiction for a fiscal year, wide-area first. Government staff and the adviser organisation only.',
  })
  @Covered(policy.advisers.read, 'the advisers')
  async advisers(
    @Root() j: Jurisdiction,
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year, e.g. 2023.' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<Adviser[]> {
    return (await ctx.loaders.advisersOf.load(yearKey(j.code, requireFiscalYear(fiscalYear)))).map((r) => r.adviser);
  }

  @FieldResolver(() => [SupportRequest], {
    nullable: true,
    description:
      'Support requests this jurisdiction filed with the adviser organisation, newest first. The jurisdiction itself, its prefecture, ' +
      'the nation and the adviser organisation; others get FORBIDDEN (null).',
  })
  @Covered(policy.supportRequests.read, 'the support requests')
  supportRequests(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<SupportRequest[]> {
    return ctx.loaders.supportRequestsOf.load(j.code);
  }

  @FieldResolver(() => ConstructionEvaluation, {
    nullable: true,
    description:
      "The evaluation of construction status (構築状況の評価) for a fiscal year: a municipality's own values, or a prefecture rolled up " +
      'over its area. Forum indicators come from the directory through federation (@requires). The jurisdiction, its prefecture and ' +
      "the prefecture's health and mental health and welfare centres, the nation and the adviser organisation; others get FORBIDDEN (null).",
  })
  @Directive(`@requires(fields: "${JURISDICTION_REQUIRES}")`)
  @Covered(policy.evaluation.read, 'the evaluation')
  evaluation(
    @Root() j: Jurisdiction,
    @Arg('fiscalYear', () => Int, { description: 'The fiscal year, e.g. 2023.' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<ConstructionEvaluation> {
    return evaluateJurisdiction(j, requireFiscalYear(fiscalYear), ctx);
  }

  @FieldResolver(() => [ConstructionEvaluation], {
    nullable: true,
    description: trendDescription('evaluation', 'Who may see it as for the one-year field; each year counts only what was true by its end.'),
  })
  @Directive(`@requires(fields: "${JURISDICTION_REQUIRES}")`)
  @Covered(policy.evaluation.read, 'the evaluation')
  evaluations(
    @Root() j: Jurisdiction,
    @Arg('fromFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.from) fromFiscalYear: number,
    @Arg('toFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.to) toFiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<ConstructionEvaluation[]> {
    return Promise.all(requireFiscalYearRange(fromFiscalYear, toFiscalYear).map((fy) => evaluateJurisdiction(j, fy, ctx)));
  }
}
