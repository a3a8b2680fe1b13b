import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'Whether consultation forums (協議の場) are set up at each tier, for a jurisdiction and its area: for a ' +
    'prefecture, the prefecture forum and the counts over its regions and municipalities; for a municipality, ' +
    'its own forum and its region\'s. Argument-free, so other subgraphs can `@requires` it (the adviser-support ' +
    'subgraph\'s evaluation of construction status does). The Northern Territories villages are not counted.',
})
export class ForumCoverage {
  @Field(() => Boolean, { description: 'A forum is set up at this jurisdiction\'s own tier (the prefecture forum, or the municipality\'s forum). Always false for an administrative ward.' })
  ownForum!: boolean;

  @Field(() => Int, { description: 'Disability health and welfare regions counted: all regions of a prefecture, the one region of a municipality, none for an administrative ward.' })
  regions!: number;

  @Field(() => Int, { description: 'How many of those regions have a region forum.' })
  regionsWithForum!: number;

  @Field(() => Int, { description: 'Municipalities (市区町村) counted: all of a prefecture\'s, 1 for a municipality itself, none for an administrative ward.' })
  municipalities!: number;

  @Field(() => Int, { description: 'How many of those municipalities have their own forum.' })
  municipalitiesWithForum!: number;
}
