import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from '../logger';
import { BodyCache, type AnswerReuseOptions, type CachedAnswer } from './body-cache';
import type { SharedAnswer } from './flights';
import { countStatements, type StatementCounter } from '../database/sql-counter';
import { intFromEnv } from '../config';
import {
  metricsAccessFromEnv,
  operationLabel,
  requestDuration,
  requestsTotal,
  responseCacheLookups,
  sharedAnswers,
  serveMetrics,
  sqlStatementsPerRequest,
  type MetricsAccess,
} from '../telemetry/metrics';
import { attachRecord, rememberRequestId, requestIdFor, requestRecordPlugin, requestScopeWanted, type RequestRecord } from '../telemetry/request';

export const SQL_COUNT_HEADER = 'x-nimo-sql-statements';
/**
 * Set by a subgraph on an answer that depends only on the principal's rights (role, jurisdictions,
 * organisation), not on who they are: nothing read their `subject` (see `watchedPrincipal`). The
 * gateway shares an answer between principals with the same rights only when every subgraph answer
 * it was made of carries it.
 */
export const SHAREABLE_HEADER = 'x-nimo-shareable';

/**
 * Error codes that follow from the principal's rights alone (a field refused by policy): an answer
 * whose only errors carry these is the same for everyone with those rights, so identical requests in
 * flight may share it. Any other error (a subgraph down, a timeout, bad input) makes each request
 * run on its own.
 */
export const ERRORS_OF_RIGHTS: ReadonlySet<string> = new Set(['FORBIDDEN']);

/** The gateway's per-request count of subgraph fetches (diagnostics). */
export const FETCHES_HEADER = 'x-nimo-subgraph-fetches';

/**
 * What `/ready` reports: one entry per part the process needs (its database, each subgraph, …),
 * `'ok'` or what is wrong with it. The process is ready when every part is `'ok'`.
 */
export type ReadyChecks = Record<string, string>;

export interface Route {
  (req: http.IncomingMessage, res: http.ServerResponse): boolean | Promise<boolean>;
}

export interface HttpServerOptions<TContext extends BaseContext> {
  readonly name: string;
  readonly apollo: ApolloServer<TContext>;
  readonly context: (req: http.IncomingMessage) => Promise<TContext>;
  readonly port: number;
  /** Address to listen on; defaults to HOST, else 0.0.0.0 (all interfaces, as a container needs). */
  readonly host?: string;
  readonly logger: Logger;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit?: number;
  /** Readiness: `/ready` answers 200 only when every part this reports is `'ok'` (given the request, to check what it carries). */
  readonly ready: (req: http.IncomingMessage) => Promise<ReadyChecks>;
  /**
   * On `close`, how long requests in flight may take to finish before their connections are cut
   * (ms); defaults to SHUTDOWN_GRACE_MS, else 10 s.
   */
  readonly shutdownGraceMs?: number;
  /** Report each request's SQL statement count in a response header (diagnostics; off in production). */
  readonly reportStatements?: boolean;
  /** Routes tried before GraphQL (e.g. the explorer page). */
  readonly routes?: readonly Route[];
  /** Share identical answers in flight and keep whole answers as bytes (see body-cache.ts); off when absent. */
  readonly answers?: AnswerReuseOptions;
  /** Mark answers that did not depend on who asked with SHAREABLE_HEADER (subgraphs; needs the request scope). */
  readonly markShareable?: boolean;
  /** Observe each request's SQL statement count in `nimo_sql_statements_per_request` (subgraphs). */
  readonly observeStatements?: boolean;
  /** Where `/metrics` is served; defaults to the environment (METRICS_PORT, METRICS_TOKEN). */
  readonly metrics?: MetricsAccess;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  /**
   * Graceful stop: stops accepting connections, answers requests that arrive meanwhile on open
   * connections with 503, lets requests in flight finish (up to the grace period), then stops.
   */
  close(): Promise<void>;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

class BodyTooLarge extends Error {}

/**
 * Reads a request body up to `limit` bytes. Over the limit (declared, or counted as a chunked body
 * arrives) it rejects with BodyTooLarge and keeps discarding what the client still sends, so that the
 * client reads the 413 rather than a reset connection; the connection is closed after the answer.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      req.removeAllListeners('data');
      req.resume();
      reject(new BodyTooLarge());
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Media types a GraphQL POST may be sent as (GraphQL over HTTP): JSON. */
function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || type === 'application/graphql-response+json';
}

/** The longest query string a GET request may carry; longer queries go by POST. */
export const MAX_GET_QUERY = 8 * 1024;

/** The operation a request names (`operationName`), before Apollo has resolved it. */
function requestedOperation(body: unknown): string | undefined {
  const name = (body as { operationName?: unknown } | undefined)?.operationName;
  return typeof name === 'string' && /^[_A-Za-z][_0-9A-Za-z]*$/.test(name) ? name : undefined;
}

/** `/metrics` alone on a port of its own (METRICS_PORT), for the scraper. */
async function startMetricsServer(port: number, host: string, logger: Logger): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    serveMetrics(req, res, null).catch((error: unknown) => {
      logger.error({ err: error }, 'metrics failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`metrics: port ${port} on ${host} is already taken by another program (stop it, or give /metrics another port with METRICS_PORT)`, {
              cause: error,
            })
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
  logger.info({ port: (server.address() as AddressInfo).port }, 'metrics listening');
  return server;
}

function graphQLError(res: http.ServerResponse, status: number, message: string, code: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * The one HTTP front of every hub process (gateway and subgraphs): `/graphql` through Apollo Server,
 * `/health` (the process is up) and `/ready` (it can serve: database reachable, schema loaded), a
 * request-size limit, and graceful shutdown.
 */
export async function startHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): Promise<RunningServer> {
  const { apollo, logger } = options;
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const reuse = options.answers;
  const answers = reuse && reuse.cacheBytes > 0 ? new BodyCache(reuse.cacheBytes) : null;
  const flights = reuse?.flights ?? null;
  /** Shared keys whose answer turned out personal: their requests run on their own without waiting (bounded; starts afresh when full). */
  const personal = new Set<string>();
  const rememberPersonal = (key: string) => {
    if (personal.size >= 10_000) personal.clear();
    personal.add(key);
  };
  const metrics = options.metrics ?? metricsAccessFromEnv();
  const scoped = (options.reportStatements ?? false) || requestScopeWanted();
  const service = options.name;
  // The benchmark's floor (packages/bench/src/floor.ts): with diagnostics on, every request's
  // statements, parameters and row digests appended as one JSON line to <NIMO_SQL_CAPTURE>/<name>.jsonl.
  const captureFile = scoped && process.env.NIMO_SQL_CAPTURE ? path.join(process.env.NIMO_SQL_CAPTURE, `${service}.jsonl`) : null;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/metrics' && metrics.onMainPort && req.method === 'GET') {
      await serveMetrics(req, res, metrics.onMainPort.token);
      return;
    }
    if (url.pathname === '/health') {
      sendJson(res, 200, { status: 'ok', service: options.name });
      return;
    }
    if (url.pathname === '/ready') {
      if (draining) {
        sendJson(res, 503, { status: 'stopping', service: options.name, checks: {} });
        return;
      }
      const checks = await options.ready(req).catch((error: unknown): ReadyChecks => {
        logger.warn({ err: error }, 'readiness check failed');
        return { self: 'the readiness check failed' };
      });
      const ready = Object.values(checks).every((value) => value === 'ok');
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', service: options.name, checks });
      return;
    }
    for (const route of options.routes ?? []) {
      if (await route(req, res)) return;
    }
    if (url.pathname !== '/graphql') {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    const started = process.hrtime.bigint();
    const requestId = requestIdFor(req);
    rememberRequestId(req, requestId);
    const record: RequestRecord = { errorCodes: [] };
    // One access-log line and the request metrics per GraphQL request, however it ends.
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const operation = operationLabel(record.operation ?? requestedOperation(body));
      requestsTotal.inc({ service, operation, status: String(res.statusCode) });
      requestDuration.observe({ service, operation }, seconds);
      logger.info(
        {
          requestId,
          operation,
          ...(record.operationType ? { type: record.operationType } : {}),
          role: record.role ?? null,
          status: res.statusCode,
          ms: Math.round(seconds * 10_000) / 10,
          ...(record.errorCodes.length > 0 ? { errors: record.errorCodes } : {}),
          ...(reused ? { reused } : {}),
        },
        'request',
      );
    });
    let reused: 'cache' | 'shared' | null = null;
    let body: unknown = undefined;
    if (req.method === 'GET' && url.search.length > MAX_GET_QUERY) {
      graphQLError(
        res,
        414,
        `A GET request's query string is limited to ${MAX_GET_QUERY} bytes (this one has ${url.search.length}): send long queries with POST.`,
        'URI_TOO_LONG',
      );
      return;
    }
    if (req.method === 'POST') {
      if (!isJson(req.headers['content-type'])) {
        req.resume();
        const given = req.headers['content-type'] ? `got ${req.headers['content-type'].split(';')[0]}` : 'no Content-Type was given';
        graphQLError(res, 415, `Send GraphQL requests as Content-Type: application/json (${given}).`, 'UNSUPPORTED_MEDIA_TYPE');
        return;
      }
      let text: string;
      try {
        text = await readBody(req, bodyLimit);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          res.setHeader('connection', 'close');
          graphQLError(res, 413, `Request body larger than ${bodyLimit} bytes.`, 'PAYLOAD_TOO_LARGE');
          return;
        }
        throw error;
      }
      try {
        body = JSON.parse(text);
      } catch {
        graphQLError(res, 400, text.length === 0 ? 'The request body is empty: send {"query": "…"}.' : 'Request body is not valid JSON.', 'BAD_REQUEST');
        return;
      }
    } else if (req.method !== 'GET') {
      res.setHeader('allow', 'GET, POST');
      graphQLError(res, 405, `Method ${req.method ?? ''} is not allowed: use GET or POST.`, 'METHOD_NOT_ALLOWED');
      return;
    }
    const keys =
      reuse && (answers || flights) && typeof body === 'object' && body !== null ? await reuse.keys(req, body as Record<string, unknown>, url.search) : null;
    const hit = keys && answers ? answers.get(keys.own) : undefined;
    if (keys && answers) responseCacheLookups.inc({ service, result: hit ? 'hit' : 'miss' });
    if (hit) {
      reused = 'cache';
      sendReused(res, hit, bytesOf(hit));
      return;
    }
    const sharing = keys && flights && !personal.has(keys.shared) ? keys.shared : null;
    const flight = sharing && flights ? await flights.enter(sharing) : null;
    const shared = flight && !flight.leads ? await flight.answer : null;
    if (shared) {
      reused = 'shared';
      Object.assign(record, shared.record, { errorCodes: [...shared.record.errorCodes] });
      sharedAnswers.inc({ service });
      sendReused(res, shared, shared.bytes);
      return;
    }
    // This request leads (identical ones arriving until it is answered get its answer if it may be
    // shared, or run themselves), or the answer it waited for may not be shared: it runs on its own.
    const settle = flight?.leads ? (answer: SharedAnswer | null) => flight.settle(answer) : () => undefined;
    try {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const execute = () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
          context: async () => {
            const contextValue = await options.context(req);
            attachRecord(contextValue, record);
            return contextValue;
          },
        });
      // The request's scope (its id for every log line, its SQL count) is an AsyncLocalStorage, whose
      // promise hooks cost every request on Node 20 and 22: see requestScopeWanted.
      const counter: StatementCounter = { count: 0, requestId, ...(captureFile ? { statements: [] } : {}) };
      const result = scoped ? await countStatements(counter, execute) : await execute();
      if (captureFile && counter.statements) fs.appendFileSync(captureFile, `${JSON.stringify({ requestId, statements: counter.statements })}\n`);
      for (const [key, value] of result.headers) res.setHeader(key, value);
      if (draining) res.setHeader('connection', 'close');
      if (options.reportStatements) res.setHeader(SQL_COUNT_HEADER, String(counter.count));
      // Without the request's scope nothing could tell whether the answer named who asked: not marked.
      if (options.markShareable && scoped && !counter.personal) res.setHeader(SHAREABLE_HEADER, '1');
      if (options.observeStatements && scoped) sqlStatementsPerRequest.observe({ service }, counter.count);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        const complete: CachedAnswer = { status: res.statusCode, headers: [...result.headers], body: result.body.string };
        if (sharing && record.personal) rememberPersonal(sharing);
        if (keys && answers?.offer(keys.own, complete)) responseCacheLookups.inc({ service, result: 'stored' });
        if (flight?.leads && complete.status === 200 && record.errorCodes.every((code) => ERRORS_OF_RIGHTS.has(code)) && !record.personal) {
          const bytes = Buffer.from(complete.body);
          res.end(bytes);
          settle({ status: complete.status, headers: complete.headers, bytes, record: { ...record, errorCodes: [...record.errorCodes] } });
          return;
        }
        // Encoded once: given the string, Node measures its UTF-8 length for Content-Length and then
        // encodes it, two passes over answers of hundreds of KB, mostly Japanese text.
        res.end(Buffer.from(result.body.string));
        return;
      }
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    } finally {
      settle(null); // no effect once settled with the answer
    }
  };

  /**
   * A cached answer's bytes, encoded on its first hit and kept with it (a national overview is 660 KB
   * of JSON: encoding it again for every hit is work no answer needs). A shared answer comes encoded
   * (SharedAnswer.bytes).
   */
  const encoded = new WeakMap<CachedAnswer, Buffer>();
  const bytesOf = (answer: CachedAnswer): Buffer => {
    let bytes = encoded.get(answer);
    if (!bytes) encoded.set(answer, (bytes = Buffer.from(answer.body)));
    return bytes;
  };

  /** A reused answer (from the cache, or shared with an identical request in flight): it asked no subgraph and ran no SQL of its own. */
  const sendReused = (res: http.ServerResponse, answer: Pick<CachedAnswer, 'status' | 'headers'>, bytes: Uint8Array): void => {
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    for (const diagnostic of [FETCHES_HEADER, SQL_COUNT_HEADER]) if (answer.headers.some(([key]) => key === diagnostic)) res.setHeader(diagnostic, '');
    if (draining) res.setHeader('connection', 'close');
    res.statusCode = answer.status;
    res.end(bytes);
  };

  // Graceful stop: set by `close`. Requests that arrive meanwhile on open connections get 503 and
  // their connection is closed; requests in flight finish (their connection closes after the answer).
  let draining = false;
  const inFlight = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    if (draining) {
      res.setHeader('connection', 'close');
      sendJson(
        res,
        503,
        { errors: [{ message: 'The server is stopping; retry on another instance.', extensions: { code: 'SERVICE_STOPPING' } }] },
        { 'retry-after': '1' },
      );
      return;
    }
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    // A keep-alive connection whose request finishes while stopping is closed at once, not after
    // the keep-alive timeout.
    res.once('finish', () => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) graphQLError(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
      else res.end();
    });
  });
  // A request line or headers over Node's limit (16 KB) never reach `handle`: answer in JSON anyway
  // rather than with a bare status or a reset.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    const [status, reason, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'The request line and headers are larger than 16 KB: send long queries with POST.']
        : [400, 'Bad Request', 'The request is not valid HTTP.'];
    const text = JSON.stringify({ errors: [{ message, extensions: { code: status === 431 ? 'REQUEST_HEADER_FIELDS_TOO_LARGE' : 'BAD_REQUEST' } }] });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  apollo.addPlugin(requestRecordPlugin);
  await apollo.start();
  const host = options.host ?? (process.env.HOST || '0.0.0.0');
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(
            `${options.name}: port ${options.port} on ${host} is already taken by another program (stop it, or give this process another port with PORT)`,
            { cause: error },
          ),
        );
      } else if (error.code === 'EADDRNOTAVAIL') {
        reject(new Error(`${options.name}: this machine has no address ${host} to listen on (check HOST)`, { cause: error }));
      } else reject(error);
    });
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}/graphql`;
  logger.info({ url, host }, `${options.name} listening`);
  const graceMs = options.shutdownGraceMs ?? intFromEnv('SHUTDOWN_GRACE_MS', 10_000);
  const metricsServer = metrics.port > 0 ? await startMetricsServer(metrics.port, process.env.METRICS_HOST || host, logger) : null;
  if (!metrics.onMainPort && !metricsServer) logger.info('metrics are closed: set METRICS_PORT (a port of their own) or METRICS_TOKEN to serve /metrics');
  return {
    url,
    port,
    server,
    async close() {
      draining = true;
      const pending = inFlight.size;
      if (pending > 0) logger.info({ requests: pending, graceMs }, 'stopping: letting requests in flight finish');
      const cut = setTimeout(() => {
        if (inFlight.size > 0) logger.warn({ requests: inFlight.size }, 'stopping: grace period over, closing the connections of unfinished requests');
        server.closeAllConnections();
      }, graceMs);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearTimeout(cut);
      if (metricsServer) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      await apollo.stop();
    },
  };
}
