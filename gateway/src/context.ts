import type { Principal } from '@nimo/kit';

/** What the gateway knows of a request: the verified principal and its signed form for subgraphs. */
export interface GatewayContext {
  readonly principal: Principal;
  readonly hopToken: string;
  /** The request's id (its trace id), handed to the subgraphs in `traceparent` when no tracer does. */
  readonly requestId?: string;
  /** Per subgraph: fetches and SQL statements of this request (diagnostics; absent in production). */
  /** Who the rate limits count this request for (rate-limit.ts); absent when limits are off. */
  readonly rateLimitCaller?: string;
  readonly diagnostics?: Record<string, { fetches: number; statements: number }>;
}
