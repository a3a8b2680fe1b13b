import http from 'node:http';
import { startGateway, type AuthConfig, type DashboardOidc } from '@nimo/gateway';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createLogger, startSubgraph, SUBGRAPHS, type Logger, type RunningServer, type StartedSubgraph, type SubgraphDefinition } from '@nimo/kit';
import { createTestDatabase, dropTestDatabase } from '@nimo/kit/testing';
import pino from 'pino';

/** The hub for end-to-end tests: every subgraph of the registry on a fresh database, and the gateway, over HTTP. */
export interface TestHub {
  subgraphs: Record<string, StartedSubgraph>;
  directory: StartedSubgraph;
  gateway: RunningServer;
  keys: TestKeys;
  /** The gateway's own database (vendor API keys), a throw-away one. */
  gatewayDatabaseUrl: string;
  stop(): Promise<void>;
}

export interface TestHubOptions {
  /** How long the gateway remembers a verified API key (ms); 0 in tests that revoke keys. */
  apiKeyCacheMs?: number;
  /** The gateway's opt-in response cache (RESPONSE_CACHE); off unless asked for. */
  responseCache?: boolean;
  /** The gateway's port (default: any free one). */
  gatewayPort?: number;
  /** Bearer-token verification instead of this hub's test keys (e.g. a real OpenID provider's). */
  auth?: AuthConfig;
  /** The dashboard's OpenID Connect sign-in (instead of the development picker). */
  dashboardOidc?: DashboardOidc;
  /** The logger of each process (`gateway` or a subgraph's name); silent ones by default. */
  loggers?: (service: string) => Logger;
}

/** A test identity provider: an ES256 and an RS256 key it publishes, and one it does not. */
export interface TestKeys {
  auth: AuthConfig;
  sign(
    claims: Record<string, unknown>,
    options?: { key?: 'es' | 'rs' | 'unknown'; audience?: string; issuer?: string; expiresIn?: string; notBefore?: string },
  ): Promise<string>;
}

export const ISSUER = 'https://idp.test.nimo';
export const AUDIENCE = 'nimo-hub';

export async function testKeys(): Promise<TestKeys> {
  const es = await generateKeyPair('ES256', { extractable: true });
  const rs = await generateKeyPair('RS256', { extractable: true });
  const unknown = await generateKeyPair('ES256', { extractable: true });
  const jwks = {
    keys: [
      { ...(await exportJWK(es.publicKey)), kid: 'es', alg: 'ES256' },
      { ...(await exportJWK(rs.publicKey)), kid: 'rs', alg: 'RS256' },
    ],
  };
  const pairs = { es: [es.privateKey, 'ES256'], rs: [rs.privateKey, 'RS256'], unknown: [unknown.privateKey, 'ES256'] } as const;
  return {
    auth: { keys: createLocalJWKSet(jwks), issuer: ISSUER, audience: AUDIENCE },
    async sign(claims, options = {}) {
      const [key, alg] = pairs[options.key ?? 'es'];
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg, kid: options.key ?? 'es' })
        .setIssuer(options.issuer ?? ISSUER)
        .setAudience(options.audience ?? AUDIENCE)
        .setIssuedAt()
        .setSubject(typeof claims.sub === 'string' ? claims.sub : 'test-user')
        .setExpirationTime(options.expiresIn ?? '10m');
      if (options.notBefore) jwt.setNotBefore(options.notBefore);
      return jwt.sign(key);
    },
  };
}

/** A subgraph package's definition: each exports `subgraph` (the hub's convention). */
function definitionOf(name: string): SubgraphDefinition<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the registry names the packages; they are loaded by name
  return (require(`@nimo/${name}`) as { subgraph: SubgraphDefinition<unknown> }).subgraph;
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  // A smaller consultation demo than `npm start` (50,000): the same generator, enough for every figure.
  process.env.CONSULTATION_DEMO_CASES ??= '20000';
  // Figures follow writes within half a second plus their computation (10 s apart in production).
  process.env.FIGURES_REFRESH_MS ??= '500';
  const keys = await testKeys();
  const gatewayDatabaseUrl = await createTestDatabase('e2e_gateway');
  const urls: string[] = [];
  const subgraphs: Record<string, StartedSubgraph> = {};
  for (const { name } of SUBGRAPHS) {
    const url = await createTestDatabase(`e2e_${name.replace(/-/g, '_')}`);
    urls.push(url);
    // The directory starts first (the registry's order): the others' writes check its organisations.
    const directoryUrl = subgraphs.directory?.url;
    subgraphs[name] = await startSubgraph(definitionOf(name), {
      url,
      port: 0,
      seed: true,
      logger: options.loggers?.(name) ?? createLogger(name),
      auditCheckpointUrl: gatewayDatabaseUrl,
      ...(directoryUrl ? { directoryUrl } : {}),
    });
  }
  const gateway = await startGateway({
    port: options.gatewayPort ?? 0,
    subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
    explorer: true,
    auth: options.auth ?? keys.auth,
    databaseUrl: gatewayDatabaseUrl,
    ...(options.apiKeyCacheMs === undefined ? {} : { apiKeyCacheMs: options.apiKeyCacheMs }),
    responseCache: options.responseCache ?? false,
    // Many tests ask as one caller, fast: the limits are tested on gateways of their own (vendors.test.ts).
    rateLimits: { requests: 0, cost: 0 },
    // The dashboard's development sign-in, with this hub's test identity provider.
    dashboard: {
      devToken: (p) => keys.sign({ role: p.role, jurisdictions: [...p.jurisdictionCodes], ...(p.organizationId ? { org: p.organizationId } : {}) }),
      ...(options.dashboardOidc ? { oidc: options.dashboardOidc } : { oidc: null }),
    },
    ...(options.loggers ? { logger: options.loggers('gateway') } : {}),
  });
  const directory = subgraphs.directory;
  if (!directory) throw new Error('the registry has no directory subgraph');
  // As the runner and an orchestrator do: requests once every subgraph is ready (the consultation
  // figures of the demo years computed; they take seconds each on a loaded machine).
  for (const s of Object.values(subgraphs)) {
    const ready = s.url.replace(/\/graphql$/, '/ready');
    for (let i = 0; (await fetch(ready)).status !== 200; i += 1) {
      if (i >= 600) throw new Error(`${ready} is not ready after 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    subgraphs,
    directory,
    gateway,
    keys,
    gatewayDatabaseUrl,
    async stop() {
      await gateway.close();
      for (const s of Object.values(subgraphs)) await s.close();
      for (const url of [...urls, gatewayDatabaseUrl]) await dropTestDatabase(url);
    },
  };
}

/** A logger that keeps every line it writes, to assert on structured logs. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** A server that accepts requests and never answers (a hung subgraph). */
export async function hangingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(() => undefined);
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Answer<T> {
  status: number;
  text: string;
  body: { data?: T; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };
}

export async function gql<T = Record<string, unknown>>(
  endpoint: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Answer<T>['body'] };
}
