import './telemetry-off';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { STATUS_CODES } from 'node:http';
import { request } from 'undici';
import { HOP_HEADER, markPersonal, PUBLIC_ERROR_CODES, SHAREABLE_HEADER, SQL_COUNT_HEADER, traceparentFor, tracingEnabled, type Logger } from '@nimo/kit';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from './context';
import { GraphQLError, Kind, parse, type DocumentNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import CircuitBreaker from 'opossum';

/**
 * A subgraph's answer, read whole: the part of a fetch `Response` that Apollo Gateway's data source and
 * the fetchers here use. Its body is already in memory, so it may be read more than once and copied
 * for free (`clone`); `json()` parses it each time it is asked, so that no two readers share objects.
 */
export class SubgraphResponse implements FetcherResponse {
  readonly redirected = false;
  readonly bodyUsed = false;

  constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly body: string,
    readonly url: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  text(): Promise<string> {
    return Promise.resolve(this.body);
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body) as unknown;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.body);
    return Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  clone(): SubgraphResponse {
    return new SubgraphResponse(this.status, this.headers, this.body, this.url);
  }
}

function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/**
 * Subgraph requests over undici's own request API (pooled keep-alive connections), with a deadline
 * per request; the answer is read whole. Node's `fetch` is the same client behind the WHATWG Fetch
 * API, whose streams, request and response objects cost about 1.5 ms of CPU more per national
 * overview entity request (80 KB sent, 300 KB answered) and 0.3 ms per small one, measured side by side.
 */
export function fetcherWithTimeout(timeoutMs: number): Fetcher {
  return async (url: string, init?: FetcherRequestInit) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const { statusCode, headers, body } = await request(url, {
      method: init?.method ?? 'GET',
      headers: init?.headers,
      body: init?.body,
      signal,
    });
    return new SubgraphResponse(statusCode, headersOf(headers), await body.text(), url);
  };
}

interface SubgraphErrorBody {
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/** A subgraph answered with a server error (5xx): counted as a failure by its circuit breaker. */
export class SubgraphServerError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the subgraph answered HTTP ${status}`);
  }
}

export interface BreakerOptions {
  /** Failures (in %) of the recent requests (the last minute, or four deadlines) that open the circuit; default 50. */
  readonly errorThresholdPercentage?: number;
  /** Recent requests needed before the percentage counts; default 3. */
  readonly volumeThreshold?: number;
  /** How long an open circuit refuses at once before letting one trial request through (half-open), ms; default CIRCUIT_RESET_MS or 2 s. */
  readonly resetTimeoutMs?: number;
  /** The subgraph request deadline (ms): the window the failures are counted in is at least four of them. */
  readonly timeoutMs?: number;
}

/**
 * A circuit breaker per subgraph (opossum) around its fetcher: when most recent requests to a
 * subgraph failed (refused, timed out or answered 5xx), the circuit opens and requests fail at once
 * instead of each waiting for the timeout; after `resetTimeoutMs` one trial request goes through
 * (half-open) and, if it succeeds, the circuit closes. State changes are logged.
 */
export function breakerFetcher(subgraph: string, inner: Fetcher, logger: Logger, options: BreakerOptions = {}): { fetcher: Fetcher; breaker: CircuitBreaker } {
  const action = async (url: string, init?: Parameters<Fetcher>[1]) => {
    const response = await inner(url, init);
    if (response.status >= 500) throw new SubgraphServerError(response.status, await response.text());
    return response;
  };
  const breaker = new CircuitBreaker(action, {
    name: subgraph,
    timeout: false, // the fetcher has its own deadline, which aborts the request
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    volumeThreshold: options.volumeThreshold ?? 3,
    resetTimeout: options.resetTimeoutMs ?? 2000,
    // Long enough that requests which each waited for the deadline still add up to the threshold.
    rollingCountTimeout: Math.max(60_000, 4 * (options.timeoutMs ?? 10_000)),
    rollingCountBuckets: 12,
  });
  breaker.on('open', () => logger.warn({ subgraph }, `circuit to ${subgraph} opened: requests to it fail at once for now`));
  breaker.on('halfOpen', () => logger.info({ subgraph }, `circuit to ${subgraph} half-open: trying one request`));
  breaker.on('close', () => logger.info({ subgraph }, `circuit to ${subgraph} closed: ${subgraph} answers again`));
  const fetcher = (url: string, init?: Parameters<Fetcher>[1]) => breaker.fire(url, init);
  return { fetcher: fetcher, breaker };
}

/** Why a subgraph gave no answer, as a client sees it. */
interface Failure {
  readonly code: 'SUBGRAPH_UNAVAILABLE' | 'SUBGRAPH_TIMEOUT';
  readonly reason: string;
}

function failureOf(error: unknown, subgraph: string): Failure | undefined {
  const e = error as { name?: string; code?: string; message?: string } | null;
  if (e?.code === 'EOPENBREAKER') return { code: 'SUBGRAPH_UNAVAILABLE', reason: `${subgraph} failed repeatedly and is not asked for a moment` };
  if (e?.name === 'TimeoutError') return { code: 'SUBGRAPH_TIMEOUT', reason: `${subgraph} did not answer in time` };
  if (error instanceof SubgraphServerError) return { code: 'SUBGRAPH_UNAVAILABLE', reason: `${subgraph} failed to answer` };
  if (error instanceof GraphQLError && error.extensions.code === 'HOP_REJECTED') return { code: 'SUBGRAPH_UNAVAILABLE', reason: `${subgraph} is unavailable` };
  // Node's fetch: "fetch failed" (refused, reset, unreachable), with the system error as its cause.
  // By name, not instanceof: undici makes the error in Node's own realm, which differs from a
  // test runner's sandbox (jest), where instanceof TypeError is false for it.
  if (e?.name === 'TypeError' && e.message === 'fetch failed') return { code: 'SUBGRAPH_UNAVAILABLE', reason: `${subgraph} is unavailable` };
  // undici's request API: the system error itself (refused, reset, unreachable) or one of its own (socket closed, …).
  if (typeof e?.code === 'string' && (e.code.startsWith('UND_ERR') || 'syscall' in e))
    return { code: 'SUBGRAPH_UNAVAILABLE', reason: `${subgraph} is unavailable` };
  return undefined;
}

/** The response keys (alias or name) of a selection set's fields, inline fragments included. */
function responseKeys(selectionSet: SelectionSetNode | undefined): string[] {
  const keys: string[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (key !== '__typename' && !keys.includes(key)) keys.push(key);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      for (const key of responseKeys(selection.selectionSet)) if (!keys.includes(key)) keys.push(key);
    }
  }
  return keys;
}

/** At most this many errors name missing fields for one failed fetch; one more says how many more there were. */
const MAX_PATH_ERRORS = 100;

/**
 * The errors of a fetch that got no answer: one per missing field, with its path as the subgraph
 * would have reported it (the gateway turns `_entities` paths into the paths of the client's
 * answer), a public code, and never the subgraph's URL or response.
 */
export function missingFieldErrors(
  document: DocumentNode | undefined,
  variables: Record<string, unknown> | undefined,
  failure: Failure,
  subgraph: string,
  isMutation: boolean,
): GraphQLFormattedError[] {
  const operation = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const extensions = { code: failure.code, subgraph };
  const message =
    isMutation && failure.code === 'SUBGRAPH_TIMEOUT'
      ? `${failure.reason}: the change may or may not have been made; read it back, or retry with the same idempotencyKey.`
      : `${failure.reason}; this field is missing from the answer.`;
  const paths: (string | number)[][] = [];
  let total = 0;
  const representations = variables?.representations;
  if (Array.isArray(representations)) {
    const entities = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
    const fields = entities?.kind === Kind.FIELD ? responseKeys(entities.selectionSet) : [];
    total = representations.length * fields.length;
    for (let i = 0; i < representations.length && paths.length < MAX_PATH_ERRORS; i += 1) {
      for (const field of fields) if (paths.length < MAX_PATH_ERRORS) paths.push(['_entities', i, field]);
    }
  } else {
    for (const key of responseKeys(operation?.selectionSet)) paths.push([key]);
    total = paths.length;
  }
  const errors: GraphQLFormattedError[] = paths.map((path) => ({ message, path, extensions }));
  if (total > paths.length) {
    errors.push({
      message: `${failure.reason}: ${total - paths.length} more fields are missing from the answer.`,
      extensions: { ...extensions, omitted: total - paths.length },
    });
  }
  if (errors.length === 0) errors.push({ message: `${failure.reason}.`, extensions });
  return errors;
}

/**
 * The gateway's client for one subgraph. Apollo's own data source copies the subgraph's URL and
 * response body into the client's error when a subgraph answers with an HTTP error; this one keeps
 * only what a client can act on (the subgraph's own message for a public code such as
 * BAD_USER_INPUT) and leaves the rest to be logged and masked. When the subgraph cannot answer
 * (down, hung, circuit open), the answer goes on without it: each missing field gets an error with
 * its path and SUBGRAPH_UNAVAILABLE or SUBGRAPH_TIMEOUT, and the cause is logged.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly log: Logger | undefined;

  constructor(
    private readonly subgraph: string,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0] & { logger?: Logger },
  ) {
    super(config);
    this.log = config.logger;
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    try {
      return await super.process(options);
    } catch (error) {
      const failure = failureOf(error, this.subgraph);
      if (!failure) throw error;
      const e = error as Error & { cause?: { message?: string } };
      this.log?.warn(
        {
          subgraph: this.subgraph,
          error: { name: e.name, message: e.message, cause: e.cause?.message },
          ...(error instanceof SubgraphServerError ? { body: error.body.slice(0, 500) } : {}),
        },
        e instanceof GraphQLError && e.extensions.code === 'HOP_REJECTED'
          ? `subgraph ${this.subgraph} refused the gateway's signature: HUB_INTERNAL_SECRET differs between the gateway and ${this.subgraph}`
          : `subgraph ${this.subgraph} gave no answer (${failure.code})`,
      );
      // Apollo Gateway passes the fetch's parsed document only in some configurations; parse the text otherwise (failures only).
      const document = ('document' in options ? options.document : undefined) ?? (options.request.query ? parse(options.request.query) : undefined);
      const isMutation = /^\s*mutation\b/.test(options.request.query ?? '');
      return { errors: missingFieldErrors(document, options.request.variables, failure, this.subgraph, isMutation) };
    }
  }

  /**
   * An answer that depended on who asked (the subgraph did not mark it SHAREABLE_HEADER) makes the
   * whole answer personal: never shared with another principal (response-cache.ts). Diagnostics:
   * counts this request's fetches of this subgraph and the SQL statements they ran.
   */
  override didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    if (response.http?.headers.get(SHAREABLE_HEADER) !== '1') markPersonal(context);
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
  override willSendRequest({ request, context: given }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Apollo types the context of internal fetches (health checks) loosely: it may hold none of ours.
    const context = given as Partial<GatewayContext> | undefined;
    if (context?.hopToken) request.http?.headers.set(HOP_HEADER, context.hopToken);
    // With tracing on, the fetch instrumentation sends the trace's own `traceparent`.
    if (context?.requestId && !tracingEnabled()) request.http?.headers.set('traceparent', traceparentFor(context.requestId));
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
    // The subgraph refused the gateway's signature: the hop secrets differ (a configuration fault, not the client's).
    if (response.status === 401) return new GraphQLError('the subgraph refused the gateway signature', { extensions: { code: 'HOP_REJECTED' } });
    if (typeof code === 'string' && PUBLIC_ERROR_CODES.has(code) && typeof first?.message === 'string') {
      return new GraphQLError(first.message, { extensions: { code } });
    }
    return new GraphQLError(`Subgraph answered HTTP ${response.status}`, {
      extensions: { code: 'SUBGRAPH_FAILED', status: response.status, body },
    });
  }
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
 * gets its own copy of the answer (status, headers, body), and parses the body itself. Hive Gateway
 * does the same by default; SUBGRAPH_DEDUPE=0 turns it off.
 */
export function dedupingFetcher(inner: Fetcher): Fetcher {
  const inFlight = new Map<string, Promise<SubgraphResponse>>();
  const fetcher = async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const principal = init?.headers?.[HOP_HEADER];
    const isRead = body !== undefined && init?.method === 'POST' && isQuery(body);
    if (!isRead || !principal) return inner(url, init);
    const key = `${url}\n${principal}\n${body}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = (async () => {
        const response = await inner(url, init);
        if (response instanceof SubgraphResponse) return response;
        return new SubgraphResponse(response.status, new Headers([...response.headers]), await response.text(), url);
      })();
      inFlight.set(key, shared);
      const forget = () => inFlight.delete(key);
      shared.then(forget, forget);
    }
    return (await shared).clone();
  };
  return fetcher as unknown as Fetcher;
}
