import { atYearEnd, FISCAL_YEAR_RANGE_ARGS, LocalGovCodeScalar, PageArgs, connectionTypes, MAX_FISCAL_YEAR_SPAN, requireFiscalYearRange } from '@nimo/kit';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { DailyLifeArea } from '../entities/daily-life-area';
import { Forum } from '../entities/forum';
import { ForumCoverage, ForumCoverageYear } from '../entities/forum-coverage';
import { Jurisdiction } from '../entities/jurisdiction';
import { Organization } from '../entities/organization';
import { Region } from '../entities/region';
import { JurisdictionKind, MUNICIPAL_KINDS, ServiceCategory, ServiceKind, SERVICE_KINDS } from '../enums';
import { listJurisdictions } from '../jurisdictions';

export const { Connection: JurisdictionConnection } = connectionTypes(Jurisdiction, 'Jurisdiction', 'jurisdiction');

@InputType({ description: 'Filters for `jurisdictions`; all given filters apply together.' })
export class JurisdictionFilter {
  @Field(() => [JurisdictionKind], { nullable: true, description: 'Only these kinds.' })
  kinds?: JurisdictionKind[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only municipalities (市区町村): every kind but PREFECTURE and ADMINISTRATIVE_WARD.' })
  municipalitiesOnly?: boolean | null;

  @Field(() => LocalGovCodeScalar, {
    nullable: true,
    description: 'Only jurisdictions in this prefecture (the prefecture itself included unless `kinds` leaves it out).',
  })
  prefectureCode?: string | null;

  @Field(() => LocalGovCodeScalar, {
    nullable: true,
    description: "Only the direct children of this jurisdiction (a prefecture's municipalities, a designated city's wards).",
  })
  parentCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only jurisdictions in this disability health and welfare region.' })
  regionId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Text search in the name and its kana reading (katakana or hiragana), anywhere in the word, e.g. "港" or "みなと".',
  })
  search?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Include the six Northern Territories villages (see `administrationSuspended`). Default false.',
  })
  includeAdministrationSuspended?: boolean | null;
}

@Resolver(() => Jurisdiction)
export class JurisdictionResolver {
  @Query(() => Jurisdiction, { nullable: true, description: 'A jurisdiction by its local government code; null when no jurisdiction has that code.' })
  jurisdiction(
    @Arg('code', () => LocalGovCodeScalar, { description: 'The 6-digit local government code, e.g. "131016".' }) code: string,
    @Ctx() ctx: Context,
  ): Promise<Jurisdiction | null> {
    return ctx.loaders.jurisdiction.load(code);
  }

  @Query(() => JurisdictionConnection, { description: 'Jurisdictions in code order, filtered, a page at a time.' })
  jurisdictions(
    @Arg('filter', () => JurisdictionFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: JurisdictionFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listJurisdictions(ctx, filter, page);
  }

  @FieldResolver(() => Boolean, { description: 'Whether this is a municipality (市区町村) in its own right: not a prefecture, not an administrative ward.' })
  isMunicipality(@Root() j: Jurisdiction): boolean {
    return MUNICIPAL_KINDS.includes(j.kind);
  }

  @FieldResolver(() => Jurisdiction, { description: 'The prefecture this jurisdiction is in (itself, for a prefecture).' })
  async prefecture(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<Jurisdiction> {
    return (await ctx.loaders.jurisdiction.load(j.prefectureCode)) ?? j;
  }

  @FieldResolver(() => Jurisdiction, {
    nullable: true,
    description: "The jurisdiction directly above: a municipality's prefecture, an administrative ward's designated city; null for a prefecture.",
  })
  parent(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<Jurisdiction | null> | null {
    return j.parentCode ? ctx.loaders.jurisdiction.load(j.parentCode) : null;
  }

  @FieldResolver(() => [Jurisdiction], {
    description:
      "The jurisdictions directly below: a prefecture's municipalities or a designated city's administrative wards, in code order. The Northern Territories villages are left out.",
  })
  async children(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<Jurisdiction[]> {
    return (await ctx.loaders.childrenOf.load(j.code)).filter((c) => !c.administrationSuspended);
  }

  @FieldResolver(() => Region, {
    nullable: true,
    description: 'The disability health and welfare region of a municipality or ward (demo data); null for a prefecture.',
  })
  region(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<Region | null> | null {
    return j.regionId ? ctx.loaders.region.load(j.regionId) : null;
  }

  @FieldResolver(() => [DailyLifeArea], { description: 'The daily-life areas of a municipality (demo data); empty for other kinds.' })
  dailyLifeAreas(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<DailyLifeArea[]> {
    return ctx.loaders.dailyLifeAreasOf.load(j.code);
  }

  @FieldResolver(() => [Organization], {
    description: 'Organisations located in this jurisdiction, by name; optionally only those in a category or providing a service.',
  })
  async organizations(
    @Root() j: Jurisdiction,
    @Ctx() ctx: Context,
    @Arg('category', () => ServiceCategory, { nullable: true, description: 'Only organisations with a service in this category.' })
    category?: ServiceCategory | null,
    @Arg('serviceKind', () => ServiceKind, { nullable: true, description: 'Only organisations that provide this service.' }) serviceKind?: ServiceKind | null,
  ): Promise<Organization[]> {
    const all = await ctx.loaders.organizationsAt.load(j.code);
    return all.filter(
      (o) => (!serviceKind || o.services.includes(serviceKind)) && (!category || o.services.some((s) => SERVICE_KINDS[s].category === category)),
    );
  }

  @FieldResolver(() => Forum, {
    nullable: true,
    description: 'The consultation forum (協議の場) of this municipality or prefecture; null where none is set up.',
  })
  forum(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<Forum | null> | null {
    return j.kind === JurisdictionKind.ADMINISTRATIVE_WARD ? null : ctx.loaders.forumOfJurisdiction.load(j.code);
  }

  @FieldResolver(() => ForumCoverage, {
    description:
      'Consultation forums set up at each tier for this jurisdiction and its area (prefecture, regions, municipalities), and per ' +
      "fiscal year those that met in it (from the forums' meeting records). Argument-free and batched: one statement for any " +
      'number of jurisdictions and years.',
  })
  async forumCoverage(@Root() j: Jurisdiction, @Ctx() ctx: Context): Promise<ForumCoverage> {
    const coverage = await ctx.loaders.forumCoverage.load(j.code);
    return coverage ?? { ownForum: false, regions: 0, regionsWithForum: 0, municipalities: 0, municipalitiesWithForum: 0, history: [] };
  }
}

/** The trend of forum coverage: every fiscal year of a range, filled in from `history`. */
@Resolver(() => ForumCoverage)
export class ForumCoverageResolver {
  @FieldResolver(() => [ForumCoverageYear], {
    description:
      `The counts at the end of every fiscal year from \`fromFiscalYear\` to \`toFiscalYear\` (inclusive, at most ${MAX_FISCAL_YEAR_SPAN}), oldest first: ` +
      '`history` filled in, each year listed with the counts at its end (0 and false before the first forum), for a chart. ' +
      'Computed from the same batched read as `forumCoverage`, so the SQL is the same for any range. Public.',
  })
  years(
    @Root() coverage: ForumCoverage,
    @Arg('fromFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.from) fromFiscalYear: number,
    @Arg('toFiscalYear', () => Int, FISCAL_YEAR_RANGE_ARGS.to) toFiscalYear: number,
  ): ForumCoverageYear[] {
    return requireFiscalYearRange(fromFiscalYear, toFiscalYear).map((fiscalYear) => {
      const at = atYearEnd(coverage.history, fiscalYear);
      // Meetings belong to their own year: a year the history does not list had none on record.
      const met = at?.fiscalYear === fiscalYear ? at : undefined;
      return {
        fiscalYear,
        ownForum: at?.ownForum ?? false,
        regionsWithForum: at?.regionsWithForum ?? 0,
        municipalitiesWithForum: at?.municipalitiesWithForum ?? 0,
        ownForumMet: met?.ownForumMet ?? false,
        regionsWithForumMet: met?.regionsWithForumMet ?? 0,
        municipalitiesWithForumMet: met?.municipalitiesWithForumMet ?? 0,
      };
    });
  }
}
