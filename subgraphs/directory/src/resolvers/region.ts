import { LocalGovCodeScalar } from '@nimo/kit';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Forum } from '../entities/forum';
import { Jurisdiction } from '../entities/jurisdiction';
import { Region } from '../entities/region';
import { regionsOfPrefecture } from '../regions';
import { regionId } from '../validate';

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => Region, { nullable: true, description: 'A disability health and welfare region by id; null when unknown.' })
  region(@Arg('id', () => ID, { description: 'The region id, e.g. "13-02".' }) id: string, @Ctx() ctx: Context): Promise<Region | null> {
    return ctx.loaders.region.load(regionId('id', id));
  }

  @Query(() => [Region], { description: 'The disability health and welfare regions of a prefecture, in id order (demo data).' })
  regions(
    @Arg('prefectureCode', () => LocalGovCodeScalar, { description: 'The prefecture\'s local government code, e.g. "130001".' }) prefectureCode: string,
    @Ctx() ctx: Context,
  ): Promise<Region[]> {
    return regionsOfPrefecture(ctx, prefectureCode);
  }

  @FieldResolver(() => Jurisdiction, { description: 'The prefecture the region is in.' })
  async prefecture(@Root() region: Region, @Ctx() ctx: Context): Promise<Jurisdiction | null> {
    return ctx.loaders.jurisdiction.load(region.prefectureCode);
  }

  @FieldResolver(() => [Jurisdiction], { description: 'The municipalities of the region, in code order.' })
  municipalities(@Root() region: Region, @Ctx() ctx: Context): Promise<Jurisdiction[]> {
    return ctx.loaders.municipalitiesOfRegion.load(region.id);
  }

  @FieldResolver(() => Forum, { nullable: true, description: "The region's consultation forum; null where none is set up." })
  forum(@Root() region: Region, @Ctx() ctx: Context): Promise<Forum | null> {
    return ctx.loaders.forumOfRegion.load(region.id);
  }
}
