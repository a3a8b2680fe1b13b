import { connectionTypes, LocalGovCodeScalar, PageArgs, requireUuid } from '@nimo/kit';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { meetingsLastYear } from '../forum-records';
import type { Context } from '../context';
import { Forum, ForumMember } from '../entities/forum';
import { Jurisdiction } from '../entities/jurisdiction';
import { Organization } from '../entities/organization';
import { Region } from '../entities/region';
import { ForumLevel } from '../enums';
import { listForums } from '../forums';

export const { Connection: ForumConnection } = connectionTypes(Forum, 'Forum', 'consultation forum');

@InputType({ description: 'Filters for `forums`; all given filters apply together.' })
export class ForumFilter {
  @Field(() => ForumLevel, { nullable: true, description: 'Only forums of this tier.' })
  level?: ForumLevel | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only forums in this prefecture (of every tier).' })
  prefectureCode?: string | null;
}

@Resolver(() => Forum)
export class ForumResolver {
  @Query(() => Forum, { nullable: true, description: 'A consultation forum by id; null when unknown.' })
  forum(@Arg('id', () => ID, { description: 'The forum id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<Forum | null> {
    return ctx.loaders.forum.load(requireUuid('id', id));
  }

  @Query(() => ForumConnection, { description: 'Consultation forums ordered by prefecture, tier and id; filtered, a page at a time.' })
  forums(
    @Arg('filter', () => ForumFilter, { nullable: true, description: 'Filters; all given filters apply together.' }) filter: ForumFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listForums(ctx, filter, page);
  }

  @FieldResolver(() => Jurisdiction, { nullable: true, description: 'The municipality or prefecture of a MUNICIPALITY or PREFECTURE forum.' })
  jurisdiction(@Root() f: Forum, @Ctx() ctx: Context): Promise<Jurisdiction | null> | null {
    return f.jurisdictionCode ? ctx.loaders.jurisdiction.load(f.jurisdictionCode) : null;
  }

  @FieldResolver(() => Region, { nullable: true, description: 'The region of a REGION forum.' })
  region(@Root() f: Forum, @Ctx() ctx: Context): Promise<Region | null> | null {
    return f.regionId ? ctx.loaders.region.load(f.regionId) : null;
  }

  @FieldResolver(() => Jurisdiction, { description: 'The prefecture the forum is in.' })
  prefecture(@Root() f: Forum, @Ctx() ctx: Context): Promise<Jurisdiction | null> {
    return ctx.loaders.jurisdiction.load(f.prefectureCode);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "Meetings held in the last completed fiscal year (an activity indicator), counted from the forum's meeting records (`meetings`).",
  })
  meetingsLastYear(@Root() f: Forum, @Ctx() ctx: Context): Promise<number> {
    return meetingsLastYear(ctx, f);
  }

  @FieldResolver(() => [ForumMember], { description: 'The members of the forum by their role.' })
  members(@Root() f: Forum, @Ctx() ctx: Context): Promise<ForumMember[]> {
    return ctx.loaders.membersOf.load(f.id);
  }
}

@Resolver(() => ForumMember)
export class ForumMemberResolver {
  @FieldResolver(() => Organization, { nullable: true, description: 'The member organisation, where the member is one (persons are never listed).' })
  organization(@Root() m: ForumMember, @Ctx() ctx: Context): Promise<Organization | null> | null {
    return m.organizationId ? ctx.loaders.organization.load(m.organizationId) : null;
  }
}
