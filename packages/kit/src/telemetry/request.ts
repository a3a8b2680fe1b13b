import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { flagFromEnv } from '../config';
import { currentStatementCounter } from '../database/sql-counter';
import { activeTraceId, tracingEnabled } from './tracing';

/**
 * The request id of every log line of a request, in every process: the trace id. With tracing
 * on it is the active trace's; with tracing off the gateway makes one (or continues a client's
 * `traceparent`) and sends it on the hop as a W3C `traceparent`, which the subgraph takes up. So
 * one id follows a request through the five processes either way.
 */

const TRACEPARENT = /^00-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;
const ZERO = /^0+$/;

/** The trace id in a W3C `traceparent` header, when it is a valid one. */
export function traceIdFromHeader(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  const traceId = match?.[1];
  return traceId && !ZERO.test(traceId) && !ZERO.test(match[2] ?? '') ? traceId : undefined;
}

/** A `traceparent` that hands `requestId` on when no tracer does (not sampled: nothing records it). */
export function traceparentFor(requestId: string): string {
  return `00-${requestId}-${randomBytes(8).toString('hex')}-00`;
}

/** The id of a request: the active trace's, the caller's `traceparent`, or a new one. */
export function requestIdFor(req: http.IncomingMessage): string {
  return activeTraceId() ?? traceIdFromHeader(req.headers.traceparent) ?? randomBytes(16).toString('hex');
}

const requestIds = new WeakMap<http.IncomingMessage, string>();

export function rememberRequestId(req: http.IncomingMessage, id: string): void {
  requestIds.set(req, id);
}

/** The id the HTTP front gave this request (the gateway hands it on to the subgraphs). */
export function requestIdOf(req: http.IncomingMessage): string | undefined {
  return requestIds.get(req);
}

/**
 * Whether a request runs in an AsyncLocalStorage scope that every log line of it can read its id
 * from (and that counts its SQL). Node 24 builds AsyncLocalStorage on AsyncContextFrame, at no
 * cost to promises; on Node 20 and 22 it costs promise hooks on every promise, so there it is on
 * only with tracing (whose context manager costs the same already) or diagnostics, unless
 * REQUEST_CONTEXT says otherwise. Without it the id is still on the access-log line.
 */
export function requestScopeWanted(): boolean {
  const modern = Number(process.versions.node.split('.')[0]) >= 24;
  return flagFromEnv('REQUEST_CONTEXT', modern || tracingEnabled());
}

/** The id of the request whose scope this code runs in, if any. */
export function currentRequestId(): string | undefined {
  return currentStatementCounter()?.requestId;
}

/** What the access-log line and the request metrics say about one GraphQL request. */
export interface RequestRecord {
  operation?: string;
  operationType?: string;
  role?: string;
  errorCodes: string[];
  /** The answer depends on who asked, not only on their rights (a subgraph answer not marked shareable): never shared with another principal. */
  personal?: boolean;
}

/**
 * The record rides on the context object under a symbol: Apollo Server hands plugins a shallow copy
 * of the context (Object.assign, which copies symbol-keyed properties too).
 */
const RECORD = Symbol('nimo.requestRecord');

export function attachRecord(contextValue: object, record: RequestRecord): void {
  (contextValue as { [RECORD]?: RequestRecord })[RECORD] = record;
}

/** Marks the request whose context this is as personal (see RequestRecord.personal). */
export function markPersonal(contextValue: object): void {
  const record = (contextValue as { [RECORD]?: RequestRecord })[RECORD];
  if (record) record.personal = true;
}

/** The Apollo plugin that fills a request's record: its operation, its principal's role, its error codes. */
export const requestRecordPlugin: ApolloServerPlugin = {
  async requestDidStart({ contextValue }) {
    const record = (contextValue as { [RECORD]?: RequestRecord })[RECORD];
    if (!record) return;
    const role = (contextValue as { principal?: { role?: unknown } }).principal?.role;
    if (typeof role === 'string') record.role = role;
    return {
      async didResolveOperation({ operationName, operation }) {
        record.operation = operationName ?? undefined;
        if (operation) record.operationType = operation.operation;
      },
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          const code = error.extensions?.code;
          record.errorCodes.push(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
        }
      },
    };
  },
};
