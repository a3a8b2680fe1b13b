import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    "The forum counts of a jurisdiction's area as they stood at the end of one fiscal year (31 March): only forums set up " +
    'by then count (by `Forum.establishedOn`; a forum without a date counts from the current fiscal year only). The `…Met` ' +
    'fields count, of those, the ones that held at least one meeting in the year (1 April–31 March, by `ForumMeeting.heldOn` ' +
    "in the forum's records): what the evaluation of construction status counts as a forum of that year. " +
    "The numbers of regions and municipalities counted are today's (`ForumCoverage.regions`, `.municipalities`).",
})
export class ForumCoverageYear {
  @Field(() => Int, { description: 'The fiscal year (April–March); the counts are those at its end.' })
  fiscalYear!: number;

  @Field(() => Boolean, { description: "A forum was set up at this jurisdiction's own tier by the end of the year." })
  ownForum!: boolean;

  @Field(() => Int, { description: 'Regions of the area with a region forum set up by the end of the year.' })
  regionsWithForum!: number;

  @Field(() => Int, { description: 'Municipalities of the area with their own forum set up by the end of the year.' })
  municipalitiesWithForum!: number;

  @Field(() => Boolean, {
    description: "This jurisdiction's own forum was set up by the end of the year and held at least one meeting in the year (from its meeting records).",
  })
  ownForumMet!: boolean;

  @Field(() => Int, { description: 'Regions of the area whose region forum was set up by the end of the year and held at least one meeting in the year.' })
  regionsWithForumMet!: number;

  @Field(() => Int, { description: 'Municipalities of the area whose own forum was set up by the end of the year and held at least one meeting in the year.' })
  municipalitiesWithForumMet!: number;
}

@ObjectType({
  description:
    'Whether consultation forums (協議の場) are set up at each tier, for a jurisdiction and its area: for a ' +
    'prefecture, the prefecture forum and the counts over its regions and municipalities; for a municipality, ' +
    "its own forum and its region's. Argument-free, so other subgraphs can `@requires` it (the adviser-support " +
    "subgraph's evaluation of construction status does). The Northern Territories villages are not counted.",
})
export class ForumCoverage {
  @Field(() => Boolean, {
    description:
      "A forum is set up at this jurisdiction's own tier (the prefecture forum, or the municipality's forum). Always false for an administrative ward.",
  })
  ownForum!: boolean;

  @Field(() => Int, {
    description:
      'Disability health and welfare regions counted: all regions of a prefecture, the one region of a municipality, none for an administrative ward.',
  })
  regions!: number;

  @Field(() => Int, { description: 'How many of those regions have a region forum.' })
  regionsWithForum!: number;

  @Field(() => Int, { description: "Municipalities (市区町村) counted: all of a prefecture's, 1 for a municipality itself, none for an administrative ward." })
  municipalities!: number;

  @Field(() => Int, { description: 'How many of those municipalities have their own forum.' })
  municipalitiesWithForum!: number;

  @Field(() => [ForumCoverageYear], {
    description:
      'The counts of every fiscal year, oldest first, from the first in which a forum of the area was set up (or met) through ' +
      'the current one (whose meetings are those held so far); none before the first. Lets the evaluation of a past fiscal ' +
      'year count only the forums set up by its end that met in it, and a chart show the trend.',
  })
  history!: ForumCoverageYear[];
}
