import { envPrefix, GATEWAY_DATABASE, subgraphInfo } from '../hub';

/**
 * The database a subgraph uses: `<NAME>_DATABASE_URL` when set; else `DATABASE_URL` with the
 * subgraph's own database name in place of its path (each subgraph owns its database, even on one
 * server). Undefined when neither is set: the runner then starts embedded PostgreSQL.
 */
export function databaseUrlFor(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env[`${envPrefix(name)}_DATABASE_URL`];
  if (own) return own;
  const shared = env.DATABASE_URL;
  if (!shared) return undefined;
  return withDatabase(shared, subgraphInfo(name).database);
}

/**
 * The gateway's own database (vendor API keys): `GATEWAY_DATABASE_URL` when set; else `DATABASE_URL`
 * with the database name `nimo_gateway`. Undefined when neither is set (API keys are then off, unless
 * the runner passes the embedded server's URL).
 */
export function gatewayDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GATEWAY_DATABASE_URL) return env.GATEWAY_DATABASE_URL;
  return env.DATABASE_URL ? withDatabase(env.DATABASE_URL, GATEWAY_DATABASE) : undefined;
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The database name a URL points at. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** A URL with its password hidden, for logs. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
