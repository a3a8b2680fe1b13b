import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode } from 'graphql';
import { intFromEnv, isProduction, STAFF_ROLES } from '@nimo/kit';
import type { GatewayContext } from './context';

/**
 * Operation limits (graphql-armor): depth, aliases, tokens, directives and a cost limit sized for
 * the dashboard queries, field suggestions off (they leak the schema). Each refusal is a
 * GRAPHQL_VALIDATION_FAILED error that names the limit. HTTP batching stays off.
 *
 * Sizing: the four dashboard operations (schema/operations/) measure at most depth 8, 284 tokens
 * and a graphql-armor cost of 1,160 (PrefectureView; NationalOverview 1,141): depth 10 and 2,000
 * tokens leave about twice that. graphql-armor multiplies a list's cost by its `first` argument, so
 * the cost limit is set by the largest legitimate page instead: 500 organisations with their
 * contact, hours and jurisdiction measure 28,563; the limit is 30,000. The end-to-end dashboard
 * tests run through these limits, so a dashboard that outgrows them fails there first.
 */
export function operationLimits() {
  // graphql-armor's cost of each validated document, for the cost quota (rate-limit.ts). Apollo keeps
  // a validated document and reuses the same object, so its cost is found for as long as it lives.
  const costs = new WeakMap<DocumentNode, number>();
  const armor = new ApolloArmor({
    maxDepth: { n: intFromEnv('MAX_DEPTH', 10) },
    // `__typename` aliases count too (graphql-armor leaves them out by default): each is a field of the answer.
    maxAliases: { n: intFromEnv('MAX_ALIASES', 30), allowList: [] },
    // Counted by graphql-js's own parser instead (`parseOptions` below): graphql-armor's plugin turned
    // every syntax error into an HTTP 500 (its unexpectedErrorProcessingRequest hook; upstream issue 751).
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    costLimit: {
      maxCost: intFromEnv('MAX_COST', 30_000),
      onAccept: [
        (context, details: { n: number }) => {
          if (context) costs.set(context.getDocument(), Math.max(details.n, costs.get(context.getDocument()) ?? 0));
        },
      ],
    },
    // graphql-armor's own suggestion blocker assigns `message` on every error, which throws for
    // errors whose message is read-only (a subgraph timeout's DOMException) and hides the real
    // cause from the log; `blockFieldSuggestions` below does the same job on GraphQL errors only.
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  return {
    ...protection,
    parseOptions: { maxTokens: intFromEnv('MAX_TOKENS', 2000) },
    plugins: [...protection.plugins, blockFieldSuggestions],
    costOf: (document: DocumentNode) => costs.get(document),
  };
}

/** Suggestions of fields, arguments, types and enum values ("Did you mean …?") leak the schema to whoever probes it: masked. */
export const blockFieldSuggestions: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          if (error instanceof GraphQLError && error.message.includes('Did you mean')) {
            error.message = error.message.replace(/ ?Did you mean .+\?/g, '').trim();
          }
        }
      },
    };
  },
};

function asksIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

/** Introspection only for staff principals in production; the SDL stays published in `schema/`. */
export const introspectionPolicy: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, contextValue }) {
        if (isProduction() && asksIntrospection(document) && !STAFF_ROLES.has(contextValue.principal.role)) {
          throw new GraphQLError("Introspection is open to staff only; the schema is published in the hub's schema/ folder.", {
            extensions: { code: 'FORBIDDEN', http: { status: 403 } },
          });
        }
      },
    };
  },
};
