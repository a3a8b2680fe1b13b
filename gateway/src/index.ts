import './telemetry-off';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import {
  type Principal,
  type Role,
  requestIdOf,
  createLogger,
  HOP_HEADER,
  PUBLIC_PRINCIPAL,
  flagFromEnv,
  gatewayDatabaseUrl,
  hopKey,
  intFromEnv,
  isProduction,
  maskErrors,
  openingDatabase,
  redactUrl,
  signHop,
  startHttpServer,
  subgraphUrl,
  SUBGRAPHS,
  type Logger,
  type RunningServer,
  validTextPlugin,
} from '@nimo/kit';
import { devToken } from '@nimo/kit/dev';
import { API_KEY_HEADER, ApiKeyStore, DEFAULT_API_KEY_CACHE_MS } from './api-keys';
import { authConfigFromEnv, authenticateRequest, type AuthConfig } from './auth';
import type { GatewayContext } from './context';
import { introspectionPolicy, operationLimits } from './limits';
import { clientErrors, operationChecks } from './client-errors';
import CircuitBreaker from 'opossum';
import { installResultShaping } from './result-shaping';
import { breakerFetcher, dedupingFetcher, fetcherWithTimeout, SubgraphDataSource } from './data-source';
import { explorerRoute } from './explorer';
import { corsOriginsFromEnv, corsRoute } from './cors';
import { diagnosticsHeaders } from './diagnostics';
import { safelistRolesFromEnv, TrustedDocuments, trustedDocumentsPlugin } from './documents';
import { contractRoute } from './contract';
import { costQuotaPlugin, rateLimitRoute, RateLimits, rateLimitSettingsFromEnv, type RateLimitSettings } from './rate-limit';
import { VendorDocuments } from './vendor-documents';
import { dashboardRoute, type DashboardOptions } from './dashboard';
import { answerReuse, ReadOperations } from './response-cache';
import { observedFetcher } from './telemetry';
import { unavailableStatusPlugin } from './availability';

export const SUPERGRAPH_PATH = require.resolve('@nimo/schema/supergraph.graphql');

export interface GatewayOptions {
  readonly port?: number;
  /** Supergraph SDL; defaults to the checked-in `schema/supergraph.graphql`. */
  readonly supergraphSdl?: string;
  /** Subgraph URL per name; defaults to `<NAME>_URL` or the local default port. */
  readonly subgraphUrls?: Record<string, string>;
  readonly timeoutMs?: number;
  readonly explorer?: boolean;
  readonly logger?: Logger;
  /** Bearer-token verification; defaults to the environment (see auth.ts). */
  readonly auth?: AuthConfig;
  /** Report subgraph fetches and SQL statements per request in response headers (default: outside production). */
  readonly diagnostics?: boolean;
  /** The gateway ↔ subgraph hop secret; defaults to HUB_INTERNAL_SECRET. */
  readonly hopSecret?: string;
  /**
   * The gateway's own database (vendor API keys); defaults to GATEWAY_DATABASE_URL, else DATABASE_URL
   * with the database `nimo_gateway`. `null` (or none configured): API keys are refused with 401.
   */
  readonly databaseUrl?: string | null;
  /** How long a verified API key is remembered, ms; defaults to API_KEY_CACHE_MS or 10 s. */
  readonly apiKeyCacheMs?: number;
  /**
   * Cache whole answers per principal for as long as the subgraphs' cache hints allow; defaults to
   * RESPONSE_CACHE (off). See response-cache.ts.
   */
  readonly responseCache?: boolean;
  /** Identical reads of one principal in flight at once share one answer; defaults to REQUEST_SHARING (on). See response-cache.ts. */
  readonly shareAnswers?: boolean;
  /** Identical subgraph reads in flight at once share one request; defaults to SUBGRAPH_DEDUPE (on). See data-source.ts. */
  readonly dedupe?: boolean;
  /** Web origins whose pages may call the gateway (CORS); defaults to CORS_ORIGINS, see cors.ts. */
  readonly corsOrigins?: readonly string[];
  /** Roles that may run trusted documents only; defaults to SAFELIST_ROLES, see documents.ts. */
  readonly safelistRoles?: readonly Role[];
  /** How long a vendor document's look-up is remembered, ms; defaults to DOCUMENT_CACHE_MS or 10 s. */
  readonly documentCacheMs?: number;
  /** Rate limits and quotas; each setting defaults to the environment, see rate-limit.ts. */
  readonly rateLimits?: Partial<RateLimitSettings>;
  /** How long a subgraph's open circuit refuses at once before one trial request (ms); defaults to CIRCUIT_RESET_MS or 2 s. */
  readonly circuitResetMs?: number;
  /**
   * The dashboard at /dashboard/ (see dashboard.ts); `false` serves none. Development sign-in
   * defaults to the development key set when the gateway trusts it (no AUTH_JWKS_* and no `auth`).
   */
  readonly dashboard?: DashboardOptions | false;
}

/**
 * Readiness of one subgraph, from its own `/ready`: `'ok'`, or what is not ready there. Asked with the
 * gateway's signature, so that a subgraph whose hop secret differs says so.
 */
async function subgraphReady(url: string, hopToken: string): Promise<string> {
  try {
    const response = await fetch(new URL('/ready', url), { headers: { [HOP_HEADER]: hopToken }, signal: AbortSignal.timeout(2000) });
    if (response.ok) return 'ok';
    const body = (await response.json().catch(() => ({}))) as { status?: string; checks?: Record<string, string> };
    const parts = Object.entries(body.checks ?? {})
      .filter(([, value]) => value !== 'ok')
      .map(([part, value]) => `${part} ${value}`);
    return parts.length > 0 ? `not ready (${parts.join(', ')})` : `not ready (${body.status ?? `HTTP ${response.status}`})`;
  } catch (error) {
    return (error as { name?: string }).name === 'TimeoutError' ? 'not answering' : 'unreachable';
  }
}

/** Starts the gateway: Apollo Gateway over the static supergraph, behind the kit's HTTP front. */
export async function startGateway(options: GatewayOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('gateway');
  const supergraphSdl = options.supergraphSdl ?? fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
  const urlOf = (name: string) => options.subgraphUrls?.[name] ?? subgraphUrl(name);
  const timeoutMs = options.timeoutMs ?? intFromEnv('SUBGRAPH_TIMEOUT_MS', 10_000);
  const timed = fetcherWithTimeout(timeoutMs);
  const dedupe = options.dedupe ?? flagFromEnv('SUBGRAPH_DEDUPE', true);
  const breakers: CircuitBreaker[] = [];
  const circuitResetMs = options.circuitResetMs ?? intFromEnv('CIRCUIT_RESET_MS', 2000);
  /** Each subgraph's fetcher: deadline, circuit breaker, then sharing of identical reads in flight. */
  const fetcherOf = (name: string) => {
    const { fetcher, breaker } = breakerFetcher(name, observedFetcher(name, timed), logger, { timeoutMs, resetTimeoutMs: circuitResetMs });
    breakers.push(breaker);
    return dedupe ? dedupingFetcher(fetcher) : fetcher;
  };
  const auth = options.auth ?? (await authConfigFromEnv());
  const trustsDevKeys = !options.auth && !process.env.AUTH_JWKS_URL && !process.env.AUTH_JWKS_FILE && !isProduction();
  const dashboard =
    options.dashboard === false
      ? null
      : dashboardRoute({ ...options.dashboard, devToken: options.dashboard?.devToken ?? (trustsDevKeys ? (p: Principal) => devToken(p) : null) }, logger);
  const hop = hopKey(options.hopSecret);
  const limits = operationLimits();
  const diagnostics = options.diagnostics ?? flagFromEnv('NIMO_DIAGNOSTICS', !isProduction());
  const cacheAnswers = options.responseCache ?? flagFromEnv('RESPONSE_CACHE', false);
  const shareAnswers = options.shareAnswers ?? flagFromEnv('REQUEST_SHARING', true);
  const databaseUrl = options.databaseUrl === undefined ? gatewayDatabaseUrl() : options.databaseUrl;
  if (databaseUrl) logger.info({ database: redactUrl(databaseUrl) }, 'opening the gateway database (API keys)');
  else logger.info('no gateway database configured: API keys are off');
  const apiKeys = databaseUrl
    ? await openingDatabase('gateway: its database (API keys)', databaseUrl, process.env.GATEWAY_DATABASE_URL ? 'GATEWAY_DATABASE_URL' : 'DATABASE_URL', () =>
        ApiKeyStore.open(databaseUrl, { logger, cacheMs: options.apiKeyCacheMs ?? intFromEnv('API_KEY_CACHE_MS', DEFAULT_API_KEY_CACHE_MS) }),
      )
    : null;
  const documents = new TrustedDocuments({
    vendors: apiKeys ? new VendorDocuments(apiKeys.db) : null,
    cacheMs: options.documentCacheMs ?? intFromEnv('DOCUMENT_CACHE_MS', 10_000),
  });
  const safelisted = options.safelistRoles ? new Set(options.safelistRoles) : safelistRolesFromEnv();
  const rateLimits = await RateLimits.create({ ...rateLimitSettingsFromEnv(), ...options.rateLimits }, logger);
  // Apollo's result shaping, in less CPU per answer (result-shaping.ts).
  const keptApolloShaping = installResultShaping();
  if (keptApolloShaping) logger.warn({ reason: keptApolloShaping }, "Apollo Gateway's own result shaping is used");
  const gateway = new ApolloGateway({
    supergraphSdl,
    // The URL in the supergraph is only a default; each subgraph's URL comes from configuration.
    buildService: ({ name }) => new SubgraphDataSource(name, { url: urlOf(name), fetcher: fetcherOf(name), logger }),
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true,
    // Signals are the process's (kit runProcess: stop accepting, let requests finish, then apollo.stop()).
    // Apollo's own SIGTERM handler would stop it a second time and re-raise the signal, which left
    // apollo.stop() waiting until the process was killed: 15 s for every stop under `npm start`.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // Open here, limited to staff in production by `introspectionPolicy`.
    introspection: true,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError: clientErrors(maskErrors(logger)),
    // Trusted documents by id (the hub's manifest and approved vendor documents); see documents.ts.
    persistedQueries: { cache: documents, ttl: null },
    plugins: [
      trustedDocumentsPlugin(documents, safelisted, apiKeys ? (p) => apiKeys.vendorOf(p) : undefined),
      costQuotaPlugin(rateLimits, limits.costOf),
      ...(diagnostics ? [diagnosticsHeaders] : []),
      operationChecks,
      ...limits.plugins,
      introspectionPolicy,
      // Text that cannot be stored as sent (null characters, lone surrogates): 400 BAD_USER_INPUT.
      validTextPlugin(),
      // Nothing to answer because a part is down: 503 with Retry-After (an open circuit's next trial).
      unavailableStatusPlugin(circuitResetMs / 1000),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  const authenticate = (req: IncomingMessage) =>
    authenticateRequest({ authorization: req.headers.authorization, apiKey: req.headers[API_KEY_HEADER] }, auth, apiKeys);
  const verified = new WeakMap<IncomingMessage, Principal>();
  const callers = new WeakMap<IncomingMessage, string>();
  const server = await startHttpServer({
    name: 'gateway',
    apollo,
    logger,
    port: options.port ?? intFromEnv('PORT', 4000),
    bodyLimit: intFromEnv('MAX_REQUEST_BYTES', 256 * 1024),
    context: async (req) => {
      // The response cache has verified the credentials of this request already when it is on.
      const principal = verified.get(req) ?? (await authenticate(req));
      const rateLimitCaller = callers.get(req);
      const requestId = requestIdOf(req);
      return {
        principal,
        hopToken: await signHop(principal, hop),
        ...(requestId ? { requestId } : {}),
        ...(rateLimitCaller === undefined ? {} : { rateLimitCaller }),
        ...(diagnostics ? { diagnostics: {} } : {}),
      };
    },
    ...(cacheAnswers || shareAnswers
      ? { answers: answerReuse({ cache: cacheAnswers, shareInFlight: shareAnswers }, new ReadOperations(documents), authenticate, verified) }
      : {}),
    // Which part is not ready: the gateway's database (API keys) and each subgraph (with its own reason).
    ready: async () => {
      const database = apiKeys
        ? apiKeys.db.query('SELECT 1').then(
            () => 'ok',
            () => 'unavailable',
          )
        : undefined;
      const hopToken = await signHop(PUBLIC_PRINCIPAL, hop);
      const subgraphs = await Promise.all(SUBGRAPHS.map(async (s) => [s.name, await subgraphReady(urlOf(s.name), hopToken)] as const));
      return { ...(database ? { database: await database } : {}), ...Object.fromEntries(subgraphs) };
    },
    routes: [
      corsRoute(options.corsOrigins ?? corsOriginsFromEnv()),
      contractRoute(supergraphSdl, documents.manifest),
      rateLimitRoute(rateLimits, authenticate, verified, callers),
      ...(dashboard ? [dashboard] : []),
      ...((options.explorer ?? flagFromEnv('EXPLORER', !isProduction())) ? [explorerRoute] : []),
    ],
  }).catch(async (error: unknown) => {
    await rateLimits.close();
    await apiKeys?.close();
    throw error;
  });
  return {
    ...server,
    async close() {
      await server.close();
      await rateLimits.close();
      for (const breaker of breakers) breaker.shutdown();
      await apiKeys?.close();
    },
  };
}

export { authenticate, authenticateRequest, authConfigFromEnv, type ApiKeyVerifier, type AuthConfig } from './auth';
export { API_KEY_HEADER, ApiKeyStore, apiKeyPrincipal, type ApiKeyInfo, type CreatedApiKey } from './api-keys';
export type { GatewayContext } from './context';
export { VendorDocuments, checkDocument, readDocumentsFile, type DocumentStatus, type VendorDocument } from './vendor-documents';
export { TrustedDocuments, safelistRolesFromEnv } from './documents';
export { RateLimits, rateLimitSettingsFromEnv, type RateLimitSettings } from './rate-limit';
export { DEV_IDENTITIES, dashboardOidcFromEnv, type DashboardOidc, type DashboardOptions } from './dashboard';
