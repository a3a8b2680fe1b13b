import { connectionTypes, loadPresent, LocalGovCodeScalar, PageArgs, requireUuid } from '@nimo/kit';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { DailyLifeArea } from '../entities/daily-life-area';
import { Jurisdiction } from '../entities/jurisdiction';
import { Organization } from '../entities/organization';
import { ServiceCategory, ServiceKind, SERVICE_KINDS } from '../enums';
import { listOrganizations } from '../organizations';

export const { Connection: OrganizationConnection } = connectionTypes(Organization, 'Organization', 'organisation');

@InputType({ description: 'Filters for `organizations`; all given filters apply together.' })
export class OrganizationFilter {
  @Field(() => [ServiceKind], { nullable: true, description: 'Only organisations that provide at least one of these services.' })
  serviceKinds?: ServiceKind[] | null;

  @Field(() => [ServiceCategory], { nullable: true, description: 'Only organisations with a service in at least one of these categories.' })
  categories?: ServiceCategory[] | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only organisations that serve this municipality (or prefecture).' })
  servesJurisdiction?: string | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only organisations located in this jurisdiction.' })
  locatedIn?: string | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only organisations located in this prefecture.' })
  prefectureCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only organisations that serve this daily-life area (e.g. "131016-01").' })
  dailyLifeAreaId?: string | null;

  @Field(() => String, { nullable: true, description: 'Text search in the name, anywhere in the word.' })
  search?: string | null;
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { nullable: true, description: 'An organisation by id; null when unknown.' })
  organization(@Arg('id', () => ID, { description: 'The organisation id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<Organization | null> {
    return ctx.loaders.organization.load(requireUuid('id', id));
  }

  @Query(() => OrganizationConnection, { description: 'Organisations ordered by the jurisdiction they are in, then by name; filtered, a page at a time.' })
  organizations(
    @Arg('filter', () => OrganizationFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: OrganizationFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listOrganizations(ctx, filter, page);
  }

  @FieldResolver(() => Jurisdiction, { description: 'The jurisdiction the organisation is located in.' })
  jurisdiction(@Root() o: Organization, @Ctx() ctx: Context): Promise<Jurisdiction | null> {
    return ctx.loaders.jurisdiction.load(o.jurisdictionCode);
  }

  @FieldResolver(() => [ServiceCategory], { description: 'Every category its services fall in, without repeats.' })
  categories(@Root() o: Organization): ServiceCategory[] {
    return [...new Set(o.services.map((s) => SERVICE_KINDS[s].category))];
  }

  @FieldResolver(() => [Jurisdiction], { description: 'The jurisdictions it serves (municipalities, or a whole prefecture for second-line bodies).' })
  serviceAreas(@Root() o: Organization, @Ctx() ctx: Context): Promise<Jurisdiction[]> {
    return loadPresent(ctx.loaders.jurisdiction, o.serviceAreaCodes);
  }

  @FieldResolver(() => [DailyLifeArea], { description: 'The daily-life areas it serves; empty when it serves whole jurisdictions.' })
  dailyLifeAreas(@Root() o: Organization, @Ctx() ctx: Context): Promise<DailyLifeArea[]> {
    return loadPresent(ctx.loaders.dailyLifeArea, o.dailyLifeAreaIds);
  }
}
