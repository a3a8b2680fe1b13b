import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, OperationTypeNode, type GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from './context';

/**
 * Apollo Server answers some client mistakes with the right HTTP status (400) but an error without
 * a code, which the hub's masking then turns into "Internal server error". These are given a code
 * and a message that says what to fix (GraphQL over HTTP: the client's mistake, said as such).
 */
const KNOWN: readonly { readonly match: RegExp; readonly message: string; readonly code: string }[] = [
  {
    match: /^Unsupported persisted query version$/,
    message: 'extensions.persistedQuery.version must be the number 1 (the only version of persisted queries).',
    code: 'BAD_REQUEST',
  },
  {
    match: /^provided sha does not match query$/,
    message: 'extensions.persistedQuery.sha256Hash does not match the SHA-256 of the query text: send the hash of exactly this text (hex, lower case).',
    code: 'BAD_REQUEST',
  },
];

/** Wraps the gateway's `formatError`: known client mistakes get their code before masking. */
export function clientErrors(format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // Apollo gives these no code of their own (INTERNAL_SERVER_ERROR once formatted).
    if (formatted.extensions?.code === undefined || formatted.extensions.code === 'INTERNAL_SERVER_ERROR') {
      const known = KNOWN.find((k) => k.match.test(formatted.message));
      if (known) return { message: known.message, extensions: { code: known.code } };
    }
    return format(formatted, error);
  };
}

const badRequest = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * Operations the gateway cannot run, refused with 400 before Apollo Gateway would fail on them with
 * a 500: an `operationName` the document does not define, several operations without one, and a
 * subscription (the hub has none).
 */
export const operationChecks: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request, document }) {
        if (!operation) {
          const named = request.operationName;
          const count = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
          throw badRequest(
            named
              ? `Unknown operation named "${named}": the document defines ${count === 0 ? 'no operation' : `${count} operation${count > 1 ? 's' : ''}`} and none has that name.`
              : 'The document has several operations: say which one to run with operationName.',
            'OPERATION_RESOLUTION_FAILURE',
          );
        }
        if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
          throw badRequest('This API has no subscriptions: ask with a query (and again later for newer data).', 'GRAPHQL_VALIDATION_FAILED');
        }
      },
    };
  },
};
