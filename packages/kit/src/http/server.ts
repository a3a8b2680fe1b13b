import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from '../logger';
import { BodyCache, type ResponseCacheOptions } from './body-cache';
import { countStatements } from '../database/sql-counter';

export const SQL_COUNT_HEADER = 'x-nimo-sql-statements';
/** The gateway's per-request count of subgraph fetches (diagnostics). */
export const FETCHES_HEADER = 'x-nimo-subgraph-fetches';

export interface Route {
  (req: http.IncomingMessage, res: http.ServerResponse): boolean | Promise<boolean>;
}

export interface HttpServerOptions<TContext extends BaseContext> {
  readonly name: string;
  readonly apollo: ApolloServer<TContext>;
  readonly context: (req: http.IncomingMessage) => Promise<TContext>;
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit?: number;
  /** Readiness: `/ready` answers 200 only when this resolves true. */
  readonly ready: () => Promise<boolean>;
  /** Report each request's SQL statement count in a response header (diagnostics; off in production). */
  readonly reportStatements?: boolean;
  /** Routes tried before GraphQL (e.g. the explorer page). */
  readonly routes?: readonly Route[];
  /** Keep whole answers as bytes (see body-cache.ts); off when absent. */
  readonly responseCache?: ResponseCacheOptions;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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
  const answers = options.responseCache ? new BodyCache(options.responseCache.maxBytes) : null;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      sendJson(res, 200, { status: 'ok', service: options.name });
      return;
    }
    if (url.pathname === '/ready') {
      const ready = await options.ready().catch(() => false);
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', service: options.name });
      return;
    }
    for (const route of options.routes ?? []) {
      if (await route(req, res)) return;
    }
    if (url.pathname !== '/graphql') {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, bodyLimit);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          graphQLError(res, 413, `Request body larger than ${bodyLimit} bytes.`, 'PAYLOAD_TOO_LARGE');
          return;
        }
        throw error;
      }
      if (text.length > 0 && (req.headers['content-type'] ?? '').includes('application/json')) {
        try {
          body = JSON.parse(text);
        } catch {
          graphQLError(res, 400, 'Request body is not valid JSON.', 'BAD_REQUEST');
          return;
        }
      } else {
        body = text;
      }
    }
    const cacheKey = answers && options.responseCache && typeof body === 'object' && body !== null ? await options.responseCache.key(req, JSON.stringify(body), url.search) : null;
    const hit = cacheKey ? answers?.get(cacheKey) : undefined;
    if (hit) {
      for (const [key, value] of hit.headers) res.setHeader(key, value);
      // Diagnostics: an answer from the cache asked no subgraph and ran no SQL.
      for (const diagnostic of [FETCHES_HEADER, SQL_COUNT_HEADER]) if (hit.headers.some(([key]) => key === diagnostic)) res.setHeader(diagnostic, '');
      res.statusCode = hit.status;
      res.end(hit.body);
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const execute = () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => options.context(req),
      });
    // Counting needs an AsyncLocalStorage, whose promise hooks cost every request (Node 20 and 22):
    // only with diagnostics on.
    const counter = { count: 0 };
    const result = options.reportStatements ? await countStatements(counter, execute) : await execute();
    for (const [key, value] of result.headers) res.setHeader(key, value);
    if (options.reportStatements) res.setHeader(SQL_COUNT_HEADER, String(counter.count));
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      if (cacheKey) answers?.offer(cacheKey, { status: res.statusCode, headers: [...result.headers], body: result.body.string });
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) graphQLError(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  await apollo.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/graphql`;
  logger.info({ url }, `${options.name} listening`);
  return {
    url,
    port,
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
