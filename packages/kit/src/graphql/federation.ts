import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';

export const FEDERATION_LINK = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])`;

/**
 * The resolver map `buildSubgraphSchema` takes (its `GraphQLResolverMap`, which @apollo/subgraph
 * exports only from its `dist/` internals), read off the function's own signature.
 */
type SubgraphResolverMap = NonNullable<Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']>;

export interface FederatedSchemaOptions<TContext> {
  // type-graphql's own type for resolver classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly resolvers: NonEmptyArray<Function>;
  /** Entity and other types that no query of this subgraph reaches (type-graphql drops them otherwise). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly orphanedTypes?: Function[];
  /** `__resolveReference` per entity type: plain functions, one per entity. */
  readonly referenceResolvers: Record<string, { __resolveReference: (reference: never, context: TContext) => unknown }>;
}

/**
 * type-graphql classes → Apollo subgraph schema. The type-graphql schema is printed with its applied
 * directives (graphql's own printSchema drops `@key`) and rebuilt by `@apollo/subgraph`, with
 * type-graphql's resolvers merged with the reference resolvers.
 */
export async function buildFederatedSchema<TContext>(options: FederatedSchemaOptions<TContext>): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes ?? [],
    scalarsMap: [],
    validate: false,
    skipCheck: true,
    emitSchemaFile: false,
  });
  // The subgraph's resolvers take its own context type; @apollo/subgraph types them with `unknown`.
  const resolvers = createResolversMap(schema) as SubgraphResolverMap;
  for (const [typeName, reference] of Object.entries(options.referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as SubgraphResolverMap[string];
  }
  return buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINK}
      ${printSchemaWithDirectives(schema)}
    `,
    resolvers,
  });
}
