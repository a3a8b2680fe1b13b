// Hive Gateway, as the benchmark's peer gateway: its own process, Node's http server, the hub's
// checked-in supergraph and the same subgraph processes. Configured by the environment the
// benchmark gives it: PORT, <NAME>_URL per subgraph, HUB_INTERNAL_SECRET, RESPONSE_CACHE,
// CACHE_MAX_AGE (seconds an answer is kept when the cache is on), HIVE_ROUTER_RUNTIME=1 for the
// Rust query planner of Hive Router (@graphql-hive/router-runtime) instead of the JavaScript one.
import './hive-shim';
import fs from 'node:fs';
import http from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import InMemoryLRUCache from '@graphql-mesh/cache-inmemory-lru';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { authConfigFromEnv } from '@nimo/gateway/auth';
import { principalSessionId } from '@nimo/gateway/response-cache';
import { envPrefix, hopKey, SUBGRAPHS } from '@nimo/kit';
import { useHubAuth, type HubAuthContext } from './hive-auth';

async function main(): Promise<void> {
  const supergraph = fs.readFileSync(require.resolve('@nimo/schema/supergraph.graphql'), 'utf8');
  const auth = await authConfigFromEnv();
  const key = hopKey(process.env.HUB_INTERNAL_SECRET);
  const cacheSeconds = Number(process.env.CACHE_MAX_AGE ?? '30');
  const hubAuth = useHubAuth(auth, key);
  const runtime = createGatewayRuntime<HubAuthContext>({
    supergraph,
    // Subgraph URLs from configuration, as for the hub's gateway.
    transportEntries: Object.fromEntries(
      SUBGRAPHS.map((s) => [s.name, { location: process.env[`${envPrefix(s.name)}_URL`] ?? `http://127.0.0.1:${s.port}/graphql` }]),
    ),
    // The subgraphs speak GraphQL over HTTP (the transport is loaded by name; installed with the bench).
    plugins: () => [hubAuth],
    ...(process.env.HIVE_ROUTER_RUNTIME === '1' ? { unifiedGraphHandler } : {}),
    // No usage reporting, no registry, no landing page or GraphiQL: no outbound calls.
    graphiql: false,
    landingPage: false,
    logging: 'error',
    ...(process.env.RESPONSE_CACHE === '1'
      ? {
          // In memory, like the hub's gateway's cache.
          cache: new InMemoryLRUCache(),
          responseCaching: {
            // Keyed by the verified principal, like the hub's gateway.
            // Called before the context is built: the token is verified here (once per request).
            session: async (request: Request) => principalSessionId(await hubAuth.principalOf(request)),
            ttl: cacheSeconds * 1000,
            // No entity ids added to subgraph queries (Hive would otherwise ask for `id` on every
            // type that has one, for invalidation by mutations; the benchmark makes none).
            idFields: [],
          },
        }
      : {}),
  });
  // The runtime answers each request itself (its promise settles when the answer is sent).
  const server = http.createServer((req, res) => void runtime(req, res));
  const port = Number(process.env.PORT ?? '4200');
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`hive gateway${process.env.HIVE_ROUTER_RUNTIME === '1' ? ' (Rust query planner)' : ''} listening on ${port}\n`);
  const stop = () => {
    server.close();
    void Promise.resolve(runtime.dispose()).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Started by the benchmark with an IPC channel: when it goes, so does this process.
  process.channel?.unref();
  process.once('disconnect', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`hive gateway failed: ${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
