import fs from 'node:fs';
import path from 'node:path';
import { databaseUrlFor, dataDir, GATEWAY_DATABASE, gatewayDatabaseUrl, intFromEnv, subgraphInfo, withDatabase, type Logger } from '@nimo/kit';
import { embeddedServerUrl, runningPostmaster, startEmbeddedPostgres, type EmbeddedServer } from '@nimo/kit/dev';

/**
 * Where the hub's databases are: one answer for `npm start` and for the commands that work on its
 * databases (`npm run apikey`, `npm run audit:verify`).
 *
 * Configured URLs first (`GATEWAY_DATABASE_URL`, `<NAME>_DATABASE_URL`, `DATABASE_URL`); otherwise
 * the embedded PostgreSQL of `npm start` in `.data/postgres` (NIMO_DATA_DIR moves `.data`) — the one already running (found by its
 * `postmaster.pid`, so a server of another checkout on the same port is never mistaken for it), or
 * started here the same way and stopped when the command ends.
 */

/** Repository root (this file is packages/runner/dist/databases.js). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The data folder of the embedded server of `npm start`: `postgres` in the hub's data folder (`.data`,
 * or NIMO_DATA_DIR), beside the development keys that open what it stores.
 */
export const embeddedDataDir = (): string => path.join(dataDir(), 'postgres');

/** The port the embedded server of `npm start` listens on (EMBEDDED_PG_PORT). */
export const embeddedPort = (): number => intFromEnv('EMBEDDED_PG_PORT', 54329);

/** The URL of the embedded server running on a data folder, read from its `postmaster.pid`; undefined when none runs. */
export function runningEmbeddedUrl(dir: string = embeddedDataDir()): string | undefined {
  const running = runningPostmaster(dir);
  return running && running.port > 0 ? embeddedServerUrl(running.port) : undefined;
}

/** Starts the embedded server of `npm start` (made on first use; kept between runs). */
export async function startHubEmbedded(logger?: Logger, dir: string = embeddedDataDir()): Promise<EmbeddedServer> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  return startEmbeddedPostgres({ dir, port: embeddedPort(), persistent: true, ...(logger ? { logger } : {}) });
}

export interface HubDatabases {
  /** The gateway's database (API keys). */
  gateway(): string;
  /** A subgraph's database. */
  subgraph(name: string): string;
  /** Where the URLs came from. */
  readonly source: 'configured' | 'embedded (running)' | 'embedded (started for this command)';
  /** Stops the embedded server if this command started it. */
  close(): Promise<void>;
}

/**
 * The databases a command needs. `onStart` is told before an embedded server is started (it takes a
 * few seconds), so a command can say so.
 */
export async function findHubDatabases(
  need: { gateway?: boolean; subgraphs?: readonly string[] },
  options: { dataDir?: string; onStart?: (dir: string, port: number) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<HubDatabases> {
  const env = options.env ?? process.env;
  const configuredGateway = gatewayDatabaseUrl(env);
  const missing = (need.gateway === true && !configuredGateway) || (need.subgraphs ?? []).some((name) => !databaseUrlFor(name, env));
  let server: string | undefined;
  let embedded: EmbeddedServer | undefined;
  let source: HubDatabases['source'] = 'configured';
  if (missing) {
    const dir = options.dataDir ?? embeddedDataDir();
    server = runningEmbeddedUrl(dir);
    source = 'embedded (running)';
    if (!server) {
      options.onStart?.(dir, embeddedPort());
      embedded = await startHubEmbedded(undefined, dir);
      server = embedded.url;
      source = 'embedded (started for this command)';
    }
  }
  const fallback = (database: string): string => {
    if (!server) throw new Error(`no database configured for ${database}`);
    return withDatabase(server, database);
  };
  return {
    gateway: () => configuredGateway ?? fallback(GATEWAY_DATABASE),
    subgraph: (name) => databaseUrlFor(name, env) ?? fallback(subgraphInfo(name).database),
    source,
    async close() {
      await embedded?.stop();
    },
  };
}
