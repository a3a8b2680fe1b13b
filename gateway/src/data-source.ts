import './telemetry-off';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { HOP_HEADER, PUBLIC_ERROR_CODES, SQL_COUNT_HEADER } from '@nimo/kit';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from './context';
import { GraphQLError } from 'graphql';

/** Node's own fetch (undici: pooled keep-alive connections) with a deadline per subgraph request. */
export function fetcherWithTimeout(timeoutMs: number): Fetcher {
  return ((url: string, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
}

interface SubgraphErrorBody {
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/**
 * The gateway's client for one subgraph. Apollo's own data source copies the subgraph's URL and
 * response body into the client's error when a subgraph answers with an HTTP error; this one keeps
 * only what a client can act on (the subgraph's own message for a public code such as
 * BAD_USER_INPUT) and leaves the rest to be logged and masked.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraph: string, config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0]) {
    super(config);
  }

  /** Diagnostics: counts this request's fetches of this subgraph and the SQL statements they ran. */
  override didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const diagnostics = context.diagnostics;
    if (diagnostics) {
      const entry = diagnostics[this.subgraph] ?? { fetches: 0, statements: 0 };
      entry.fetches += 1;
      entry.statements += Number(response.http?.headers.get(SQL_COUNT_HEADER) ?? 0);
      diagnostics[this.subgraph] = entry;
    }
    return response;
  }

  /** Every subgraph request carries the principal, signed by the gateway (the trusted hop). */
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context?.hopToken) request.http?.headers.set(HOP_HEADER, context.hopToken);
  }

  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const first = (body as SubgraphErrorBody | undefined)?.errors?.[0];
    const code = first?.extensions?.code;
    if (typeof code === 'string' && PUBLIC_ERROR_CODES.has(code) && typeof first?.message === 'string') {
      return new GraphQLError(first.message, { extensions: { code } });
    }
    return new GraphQLError(`Subgraph answered HTTP ${response.status}`, {
      extensions: { code: 'SUBGRAPH_FAILED', status: response.status, body },
    });
  }
}

interface SharedAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: [string, string][];
  readonly body: string;
}

// Apollo Gateway serialises a subgraph request as {"query":"…","variables":…}: a read starts its
// query text with `query` or `{`. Read from the text rather than parsed: the national overview's
// entity requests are 80 KB each. Any other shape is not shared (the safe side).
const READ_BODY = /^\{"query":"\s*(?:query\b|\{)/;
function isQuery(body: string): boolean {
  return READ_BODY.test(body);
}

/**
 * Identical subgraph reads in flight at the same time share one HTTP request: same URL, same body
 * and the same signed principal (`x-nimo-principal`, which names the principal and the second it
 * was signed in — so two principals never share an answer). Mutations are never shared. Each caller
 * gets its own copy of the answer (status, headers, body). Hive Gateway does the same by default;
 * SUBGRAPH_DEDUPE=0 turns it off.
 */
export function dedupingFetcher(inner: Fetcher): Fetcher {
  const inFlight = new Map<string, Promise<SharedAnswer>>();
  const fetcher = async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const principal = init?.headers?.[HOP_HEADER];
    const isRead = body !== undefined && init?.method === 'POST' && isQuery(body);
    if (!isRead || !principal) return inner(url, init as Parameters<Fetcher>[1]);
    const key = `${url}\n${principal}\n${body}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = (async () => {
        const response = await inner(url, init as Parameters<Fetcher>[1]);
        const headers: [string, string][] = [];
        const entries = response.headers.entries();
        for (let next = entries.next(); !next.done; next = entries.next()) headers.push(next.value);
        return { status: response.status, statusText: response.statusText, headers, body: await response.text() };
      })();
      inFlight.set(key, shared);
      const forget = () => inFlight.delete(key);
      shared.then(forget, forget);
    }
    const answer = await shared;
    return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };
  return fetcher as unknown as Fetcher;
}
