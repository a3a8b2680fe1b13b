import './telemetry-off';
import fs from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { createLogger, flagFromEnv, intFromEnv, isProduction, maskErrors, startHttpServer, subgraphUrl, SUBGRAPHS, type Logger, type RunningServer } from '@nimo/kit';
import { fetcherWithTimeout, SubgraphDataSource } from './data-source';
import { explorerRoute } from './explorer';

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
}

/** Readiness: every subgraph answers its own `/ready`. */
async function subgraphsReady(urls: string[]): Promise<boolean> {
  const results = await Promise.all(
    urls.map(async (url) => {
      try {
        const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(2000) });
        return response.ok;
      } catch {
        return false;
      }
    }),
  );
  return results.every(Boolean);
}

/** Starts the gateway: Apollo Gateway over the static supergraph, behind the kit's HTTP front. */
export async function startGateway(options: GatewayOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('gateway');
  const supergraphSdl = options.supergraphSdl ?? fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
  const urlOf = (name: string) => options.subgraphUrls?.[name] ?? subgraphUrl(name);
  const fetcher = fetcherWithTimeout(options.timeoutMs ?? intFromEnv('SUBGRAPH_TIMEOUT_MS', 10_000));
  const gateway = new ApolloGateway({
    supergraphSdl,
    // The URL in the supergraph is only a default; each subgraph's URL comes from configuration.
    buildService: ({ name }) => new SubgraphDataSource({ url: urlOf(name), fetcher }),
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  const apollo = new ApolloServer({
    gateway,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    introspection: !isProduction(),
    formatError: maskErrors(logger),
    plugins: [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  const subgraphUrls = SUBGRAPHS.map((s) => urlOf(s.name));
  return startHttpServer({
    name: 'gateway',
    apollo,
    logger,
    port: options.port ?? intFromEnv('PORT', 4000),
    bodyLimit: intFromEnv('MAX_REQUEST_BYTES', 256 * 1024),
    context: async () => ({}),
    ready: () => subgraphsReady(subgraphUrls),
    routes: (options.explorer ?? flagFromEnv('EXPLORER', !isProduction())) ? [explorerRoute] : [],
  });
}
