import type { IncomingMessage, ServerResponse } from 'node:http';
import cors, { type CorsOptions } from 'cors';
import { isProduction, sendJson, type Route } from '@nimo/kit';
import { API_KEY_HEADER } from './api-keys';

/**
 * Cross-origin access for browsers (CORS), by an allow-list of exact origins.
 *
 * `CORS_ORIGINS` (comma-separated, e.g. `https://dashboard.pref.example.lg.jp,https://vendor.example.jp`)
 * names the web origins whose pages may call the gateway. Unset, production allows none (the
 * dashboard is served from the gateway's own origin, `/dashboard/`, which needs no CORS) and
 * development allows the dashboard's development server (`http://localhost:5173`, Vite's port).
 * `CORS_ORIGINS=none` allows none anywhere. A wildcard is refused: answers depend on credentials.
 *
 * A listed origin gets `Access-Control-Allow-Origin: <that origin>` and
 * `Access-Control-Allow-Credentials: true` on every answer, and its preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered 204 with the methods and request headers the
 * gateway reads. Any other origin gets no `Access-Control-*` header at all, so its page cannot read
 * an answer; its preflight is answered 403 with a message naming `CORS_ORIGINS`. The CORS headers
 * themselves come from the `cors` package (expressjs), which works on Node's plain request and
 * response; this module only decides, per request, whether the origin is listed.
 */
export const DEV_DASHBOARD_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'] as const;

/** Request headers a browser may send cross-origin: GraphQL over HTTP, credentials, CSRF preflight. */
export const CORS_REQUEST_HEADERS = ['content-type', 'authorization', API_KEY_HEADER, 'apollo-require-preflight', 'x-apollo-operation-name', 'traceparent'];
/** Answer headers a page may read: limits and diagnostics. */
export const CORS_EXPOSED_HEADERS = [
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'x-nimo-subgraph-fetches',
  'x-nimo-sql-statements',
];
/** How long a browser may reuse a preflight answer (seconds). */
const PREFLIGHT_MAX_AGE = 600;

/** An origin as browsers send it: scheme, host and port only. Throws on anything else. */
export function normaliseOrigin(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '*' || trimmed.includes('*')) {
    throw new Error(`CORS_ORIGINS: "${trimmed}" — wildcards are not accepted; list each origin (e.g. https://dashboard.example.jp)`);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`CORS_ORIGINS: "${trimmed}" is not an origin (e.g. https://dashboard.example.jp)`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash || url.username || trimmed.endsWith('/')) {
    throw new Error(`CORS_ORIGINS: "${trimmed}" is not an origin: scheme, host and port only, no path (e.g. https://dashboard.example.jp)`);
  }
  return url.origin;
}

/** The allowed origins from `CORS_ORIGINS`, or the default for the environment (see above). */
export function corsOriginsFromEnv(value = process.env.CORS_ORIGINS): string[] {
  if (value === undefined || value.trim() === '') return isProduction() ? [] : [...DEV_DASHBOARD_ORIGINS];
  if (value.trim().toLowerCase() === 'none') return [];
  return [
    ...new Set(
      value
        .split(',')
        .filter((o) => o.trim() !== '')
        .map(normaliseOrigin),
    ),
  ];
}

/** The CORS route of the gateway: first in its routes, it adds headers and answers preflights. */
export function corsRoute(origins: readonly string[]): Route {
  const allowed = new Set(origins.map(normaliseOrigin));
  const listed: CorsOptions = {
    origin: true, // reflect the request's origin: it is on the list
    credentials: true,
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE,
    optionsSuccessStatus: 204,
  };
  const middleware = cors<IncomingMessage>((req, callback) => {
    const origin = req.headers.origin;
    callback(null, origin !== undefined && allowed.has(origin) ? listed : { origin: false });
  });
  return (req: IncomingMessage, res: ServerResponse) =>
    new Promise<boolean>((resolve, reject) => {
      // Whatever the origin, the answer depends on it: caches must keep one per origin.
      res.setHeader('vary', 'Origin');
      middleware(req, res, (error?: unknown) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(`CORS middleware failed: ${JSON.stringify(error)}`));
          return;
        }
        // Reached only when the middleware did not answer: not a preflight of a listed origin.
        if (req.method === 'OPTIONS') {
          const origin = req.headers.origin;
          if (origin !== undefined && req.headers['access-control-request-method'] !== undefined) {
            sendJson(res, 403, { error: `The origin ${origin} may not call this gateway from a browser (it is not in CORS_ORIGINS).` });
          } else {
            res.writeHead(204, { allow: 'GET, POST, OPTIONS' }).end();
          }
          resolve(true);
          return;
        }
        resolve(false);
      });
      // A preflight of a listed origin: the middleware answered it (synchronously) without calling next.
      if (res.writableEnded) resolve(true);
    });
}
