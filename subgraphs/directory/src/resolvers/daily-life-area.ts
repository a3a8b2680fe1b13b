import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { DailyLifeArea } from '../entities/daily-life-area';
import { Jurisdiction } from '../entities/jurisdiction';
import { Organization } from '../entities/organization';

@Resolver(() => DailyLifeArea)
export class DailyLifeAreaResolver {
  @FieldResolver(() => Jurisdiction, { description: 'The municipality the area belongs to.' })
  municipality(@Root() area: DailyLifeArea, @Ctx() ctx: Context): Promise<Jurisdiction | null> {
    return ctx.loaders.jurisdiction.load(area.municipalityCode);
  }

  @FieldResolver(() => [Organization], { description: 'Organisations that serve this area, by name.' })
  async organizations(@Root() area: DailyLifeArea, @Ctx() ctx: Context): Promise<Organization[]> {
    return (await ctx.loaders.organizationsInArea.load(area.id)).map((row) => row.o);
  }
}
