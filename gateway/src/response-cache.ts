import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import cluster from 'node:cluster';
import { clusterFlights, intFromEnv, localFlights, principalKey, type AnswerReuseOptions, type Principal } from '@nimo/kit';
import type { TrustedDocuments } from './documents';

/** An opaque id of a verified principal and its rights (the kit's `principalKey`, hashed). */
export function principalSessionId(principal: Principal): string {
  return createHash('sha256').update(principalKey(principal)).digest('base64url');
}

/** How many (document, operation name) pairs {@link ReadOperations} remembers before it starts afresh. */
const REMEMBERED_OPERATIONS = 1000;

/**
 * Whether a request's operation is a query: only reads share an answer or are kept. The document is
 * the request's text or the trusted document its id names; each (document, operation name) is parsed
 * once. Anything that cannot be told (no document, a parse error, an unknown operation) is not a read:
 * the request runs on its own and Apollo gives it its error.
 */
export class ReadOperations {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly documents: Pick<TrustedDocuments, 'get'>) {}

  async isRead(body: Readonly<Record<string, unknown>>): Promise<boolean> {
    const extensions = body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
    const id = typeof body.documentId === 'string' ? body.documentId : extensions?.persistedQuery?.sha256Hash;
    const text = typeof body.query === 'string' ? body.query : typeof id === 'string' ? await this.documents.get(id) : undefined;
    if (text === undefined) return false;
    const operationName = typeof body.operationName === 'string' ? body.operationName : null;
    const key = `${operationName ?? ''}\n${text}`;
    let read = this.known.get(key);
    if (read === undefined) {
      try {
        read = getOperationAST(parse(text), operationName)?.operation === OperationTypeNode.QUERY;
      } catch {
        read = false;
      }
      if (this.known.size >= REMEMBERED_OPERATIONS) this.known.clear();
      this.known.set(key, read);
    }
    return read;
  }
}

export interface AnswerReuseSettings {
  /** Identical reads in flight share one answer (REQUEST_SHARING, on). */
  readonly shareInFlight: boolean;
  /** Answers are kept as long as their Cache-Control allows (RESPONSE_CACHE, off). */
  readonly cache: boolean;
}

/**
 * What a principal may see, as one string: its role, organisation and jurisdictions. A vendor's
 * rights also depend on which API key it is (its approved documents, its quota): its subject counts.
 */
export function rightsKey(principal: Principal): string {
  return JSON.stringify([
    principal.role,
    principal.organizationId,
    [...principal.jurisdictionCodes].sort(),
    principal.role === 'vendor' ? principal.subject : '',
  ]);
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * Which requests may reuse an answer, and their keys: reads only (POST, see {@link ReadOperations}),
 * and only after the credentials are verified (a bad or expired token is refused, never answered
 * from another request; the verified principal is handed on to the request's context).
 * - *Shared in flight* (REQUEST_SHARING, on): identical reads arriving while one is being answered,
 *   in any worker of the gateway (the primary tells the workers which leads), wait for its answer
 *   instead of asking every subgraph again (request collapsing), when the principals have the same
 *   rights ({@link rightsKey}). The answer is given to the others only when it did not depend on who
 *   asked — every subgraph marked its part SHAREABLE_HEADER: nothing read the principal's subject,
 *   so no audit record was written for the read — and had no errors but refusals by policy
 *   (ERRORS_OF_RIGHTS: FORBIDDEN);
 *   otherwise each request runs on its own, as without sharing. A shared answer is of a state
 *   committed while they waited. A request that shares an answer is counted by the rate limit like
 *   any other (rate-limit.ts runs first) and is not charged the cost quota, as a cached answer is not.
 * - *Kept* (RESPONSE_CACHE, off): per principal (identity and rights), for as long as the subgraphs'
 *   cache hints allow (Apollo Gateway folds their `Cache-Control` into the answer's own; no hint: not
 *   kept; answers with errors get no hint and are never kept).
 */
export function answerReuse(
  settings: AnswerReuseSettings,
  reads: ReadOperations,
  authenticate: (req: IncomingMessage) => Promise<Principal>,
  verified: WeakMap<IncomingMessage, Principal>,
): AnswerReuseOptions {
  return {
    // With several workers, identical requests wait for one answer whichever worker they reached.
    flights: settings.shareInFlight ? (cluster.isWorker ? clusterFlights() : localFlights()) : null,
    cacheBytes: settings.cache ? intFromEnv('RESPONSE_CACHE_BYTES', 128 * 1024 * 1024) : 0,
    async keys(req, body, search) {
      if (req.method !== 'POST' || !(await reads.isRead(body))) return null;
      let principal: Principal;
      try {
        // The rate limit has verified the credentials already (rate-limit.ts).
        principal = verified.get(req) ?? (await authenticate(req));
      } catch {
        return null; // the request goes on and is refused with its 401
      }
      verified.set(req, principal);
      const request = `${search}\n${JSON.stringify(body)}`;
      return { own: digest(`${principalSessionId(principal)}\n${request}`), shared: digest(`${rightsKey(principal)}\n${request}`) };
    },
  };
}
