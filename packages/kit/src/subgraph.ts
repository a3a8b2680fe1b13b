import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { OperationTypeNode, type GraphQLSchema } from 'graphql';
import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import { flagFromEnv, intFromEnv, isProduction } from './config';
import { ensureDatabase } from './database/admin';
import { createDataSource } from './database/datasource';
import { startAuditCheckpoints, type AuditCheckpointer } from './database/audit-checkpoint';
import { databaseUrlFor, redactUrl } from './database/url';
import { DirectoryClient } from './graphql/directory-client';
import { openingDatabase } from './database/unreachable';
import { maskErrors } from './graphql/errors';
import { validTextPlugin } from './graphql/text';
import { envPrefix, subgraphInfo } from './hub';
import { startHttpServer, type RunningServer } from './http/server';
import { createLogger, type Logger } from './logger';
import { runProcess } from './process';
import { HOP_HEADER, hopKey, verifyHop } from './auth/hop';
import { migrateUnderLock } from './database/migrate';
import { currentStatementCounter } from './database/sql-counter';
import { observePool, type PoolStats } from './telemetry/metrics';
import { startTracing, stopTracing } from './telemetry/tracing';
import type { Principal } from './auth/principal';

/** What every resolver of a subgraph receives. */
export interface SubgraphContext<TLoaders> {
  readonly db: DataSource;
  readonly loaders: TLoaders;
  readonly logger: Logger;
  /** Who the request acts for, as the gateway verified and signed it. */
  readonly principal: Principal;
  /** The directory, asked by writes that name its organisations (directory-client.ts). */
  readonly directory: DirectoryClient;
}

/** Everything that makes one subgraph; the kit does the rest. */
export interface SubgraphDefinition<TLoaders> {
  readonly name: string;
  // TypeORM's own types for entity and migration lists.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
  readonly buildSchema: () => Promise<GraphQLSchema>;
  /**
   * New loaders per request: a DataLoader caches for one request only. They get the request's
   * principal so that the SQL they run applies the subgraph's policy (entity references included).
   */
  readonly createLoaders: (db: DataSource, principal: Principal) => TLoaders;
  /** Loads demo data; must be idempotent (a second start adds nothing). */
  readonly seed?: (db: DataSource, logger: Logger) => Promise<void>;
  /** Runs at every start after the migrations (e.g. maintenance a configuration flag asks for). */
  readonly onStart?: (db: DataSource, logger: Logger) => Promise<void>;
  /**
   * Called once the database is ready (after the demo data), not waited for: work that should be
   * done before the first request asks for it (e.g. computing figures that take seconds). What it
   * returns tells `/ready` how far that work is: 'ok', or what is still under way (not ready yet).
   */
  readonly onReady?: (db: DataSource, logger: Logger) => () => string;
  /**
   * The scope of this subgraph's cache hints: PUBLIC only when every answer is the same for every
   * principal (a field that depends on the principal then hints PRIVATE itself); default PRIVATE.
   */
  readonly cacheScope?: 'PUBLIC' | 'PRIVATE';
}

export function defineSubgraph<TLoaders>(definition: SubgraphDefinition<TLoaders>): SubgraphDefinition<TLoaders> {
  return definition;
}

/** Contexts of requests whose answer depends on the principal (see `privateAnswer`). */
const privateAnswers = new WeakSet<object>();

/**
 * Cache hints (`Cache-Control` on each answer, which the gateway's opt-in response cache follows):
 * a successful query's answer may be kept CACHE_MAX_AGE seconds (default 0: no hints, nothing is
 * cached), in the subgraph's scope (`cacheScope`, PRIVATE unless the subgraph says PUBLIC, and
 * PRIVATE whenever a resolver called `privateAnswer`); anything else is `no-store`. The gateway
 * keys cached answers by principal either way.
 *
 * One policy per answer rather than Apollo's per-field cache-control plugin: no field of ours
 * sets a hint of its own, and the per-field hook cost about a tenth of a subgraph's CPU on the
 * national overview's ~1,900 entities (measured with `npm run bench`).
 */
export function cacheHints(scope: 'PUBLIC' | 'PRIVATE' = 'PRIVATE', maxAge = intFromEnv('CACHE_MAX_AGE', 0)): ApolloServerPlugin[] {
  const hints: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operation }) {
          const cacheable =
            maxAge > 0 && operation?.operation === OperationTypeNode.QUERY && response.body.kind === 'single' && !response.body.singleResult.errors;
          const shared = scope === 'PUBLIC' && !privateAnswers.has(contextValue);
          response.http.headers.set('cache-control', cacheable ? `max-age=${maxAge}, ${shared ? 'public' : 'private'}` : 'no-store');
        },
      };
    },
  };
  return [ApolloServerPluginCacheControlDisabled(), hints];
}

/** Marks this request's answer as the principal's own: a cache never shares it between principals. */
export function privateAnswer(context: SubgraphContext<unknown>): void {
  privateAnswers.add(context);
}

/**
 * The principal as a request's resolvers see it: reading its `subject` (who asks, as an audit
 * record names them, rather than what they may see) marks the request's answer personal, so the
 * gateway never gives it to another principal with the same rights (SHAREABLE_HEADER). Outside a
 * request's scope the principal is returned as it is.
 */
export function watchedPrincipal(principal: Principal): Principal {
  const scope = currentStatementCounter();
  if (!scope) return principal;
  const watched = { ...principal };
  Object.defineProperty(watched, 'subject', {
    enumerable: true,
    get() {
      scope.personal = true;
      return principal.subject;
    },
  });
  return Object.freeze(watched);
}

/** Opens a subgraph's own database, creating it if missing, and runs its migrations. */
export async function openDatabase<TLoaders>(
  definition: SubgraphDefinition<TLoaders>,
  url: string,
  options: { logger: Logger; poolSize?: number },
): Promise<DataSource> {
  await ensureDatabase(url);
  const db = createDataSource({
    url,
    entities: definition.entities,
    migrations: definition.migrations,
    applicationName: `nimo-${definition.name}`,
    ...(options.poolSize ? { poolSize: options.poolSize } : {}),
    logger: options.logger,
  });
  await db.initialize();
  // Replicas starting together migrate once: the first under the lock, the others find nothing left.
  const applied = await migrateUnderLock(db, options.logger);
  if (applied.length > 0) options.logger.info({ migrations: applied }, 'migrations applied');
  return db;
}

export interface StartedSubgraph extends RunningServer {
  readonly db: DataSource;
  readonly schema: GraphQLSchema;
  /** The writer of its audit checkpoints, when it has an audit log and a checkpoint database. */
  readonly auditCheckpoints: AuditCheckpointer | null;
}

/** Starts a subgraph's HTTP server over its database (migrated, and seeded when `seed` is true). */
export async function startSubgraph<TLoaders>(
  definition: SubgraphDefinition<TLoaders>,
  options: {
    url?: string;
    port?: number;
    seed?: boolean;
    logger?: Logger;
    hopSecret?: string;
    /** Where audit checkpoints go (default AUDIT_CHECKPOINT_DATABASE_URL, else the gateway's database). */
    auditCheckpointUrl?: string;
    /** The directory subgraph's URL, for writes that name its organisations (default DIRECTORY_URL). */
    directoryUrl?: string;
  } = {},
): Promise<StartedSubgraph> {
  const logger = options.logger ?? createLogger(definition.name);
  const hop = hopKey(options.hopSecret);
  const url = options.url ?? databaseUrlFor(definition.name);
  if (!url) {
    throw new Error(`${definition.name}: no database configured; set DATABASE_URL or start the hub with \`npm start\``);
  }
  logger.info({ database: redactUrl(url) }, 'opening database');
  const poolSize = intFromEnv('DB_POOL_SIZE', 10);
  const own = `${envPrefix(definition.name)}_DATABASE_URL`;
  const variable = process.env[own] || !process.env.DATABASE_URL ? own : 'DATABASE_URL';
  const db = await openingDatabase(`${definition.name}: its database`, url, variable, () => openDatabase(definition, url, { logger, poolSize }));
  const forgetPool = observePool(definition.name, () => (db.driver as unknown as { master?: PoolStats }).master, poolSize);
  if (definition.onStart) await definition.onStart(db, logger);
  if (options.seed && definition.seed) await definition.seed(db, logger);
  const warming = definition.onReady?.(db, logger);
  const auditCheckpoints = await startAuditCheckpoints({ subgraph: definition.name, db, logger, url: options.auditCheckpointUrl });
  const schema = await definition.buildSchema();
  const directory = new DirectoryClient({ key: hop, ...(options.directoryUrl ? { url: options.directoryUrl } : {}) });
  const apollo = new ApolloServer<SubgraphContext<TLoaders>>({
    schema,
    csrfPrevention: true,
    // Signals are the process's (kit runProcess: stop accepting, let requests finish, then apollo.stop()).
    // Apollo's own SIGTERM handler would stop it a second time and re-raise the signal, which left
    // apollo.stop() waiting until the process was killed: 15 s for every stop under `npm start`.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: maskErrors(logger, definition.name),
    plugins: [
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ...cacheHints(definition.cacheScope),
      // The gateway refuses invalid text first (400); this holds for any other way in.
      validTextPlugin({ httpStatus: 200 }),
    ],
  });
  const server = await startHttpServer({
    name: definition.name,
    apollo,
    logger,
    port: options.port ?? intFromEnv('PORT', subgraphInfo(definition.name).port),
    reportStatements: flagFromEnv('NIMO_DIAGNOSTICS', !isProduction()),
    observeStatements: true,
    markShareable: true,
    // No signed principal from the gateway, no answer: `_entities` and `_service` included.
    context: async (req) => {
      const principal = watchedPrincipal(await verifyHop(req.headers[HOP_HEADER], hop));
      return { db, loaders: definition.createLoaders(db, principal), logger, principal, directory };
    },
    // The database answers; and when the gateway asks with its signature, that the hop secrets match.
    ready: async (req) => {
      const checks: Record<string, string> = {};
      try {
        await db.query('SELECT 1');
        checks.database = 'ok';
      } catch (error) {
        logger.warn({ err: error }, 'readiness: the database does not answer');
        checks.database = 'unavailable';
      }
      if (warming) checks.warm = warming();
      if (req.headers[HOP_HEADER] !== undefined) {
        checks.hop = await verifyHop(req.headers[HOP_HEADER], hop).then(
          () => 'ok',
          () => 'the gateway signature does not verify (HUB_INTERNAL_SECRET differs)',
        );
      }
      return checks;
    },
  });
  return {
    ...server,
    db,
    schema,
    auditCheckpoints,
    async close() {
      await server.close();
      await auditCheckpoints?.stop();
      forgetPool();
      await db.destroy();
    },
  };
}

/** `main` of a subgraph process. */
export function runSubgraphProcess<TLoaders>(definition: SubgraphDefinition<TLoaders>): void {
  const logger = createLogger(definition.name);
  // Before anything is served; off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  if (startTracing({ service: definition.name })) logger.info('tracing: spans go to OTLP');
  runProcess(logger, async () => {
    const running = await startSubgraph(definition, { logger, seed: flagFromEnv('SEED', false) });
    return {
      async close() {
        await running.close();
        await stopTracing();
      },
    };
  });
}
