import { redactUrl } from './url';

/**
 * Why a database could not be opened at start, in words that say what to check; undefined when the
 * error is not one of the connection failures below (it is then reported as it is).
 */
function connectionFailure(error: unknown, url: URL): string | undefined {
  const { code } = (error ?? {}) as { code?: unknown };
  const host = `${url.hostname}:${url.port || '5432'}`;
  const role = decodeURIComponent(url.username) || 'the default role';
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${host}: is PostgreSQL running there, on that port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${url.hostname} is not known (a typing mistake, or a name this machine cannot resolve)`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} cannot be reached (a firewall, a network policy or a wrong address)`;
    case '28P01':
      return `the password of role ${role} is wrong`;
    case '28000':
      return `the server does not let role ${role} in (no such role, or pg_hba.conf has no entry for it and this database)`;
    case '3D000':
      return `the database does not exist and role ${role} may not create it (create it first: docs/operations.md)`;
    case '42501':
      return `role ${role} lacks a right it needs (it should own its database)`;
    case '57P03':
      return 'PostgreSQL is starting up or shutting down; start again in a moment';
    case '53300':
      return 'PostgreSQL has no connection left (max_connections): lower DB_POOL_SIZE or raise the limit (docs/operations.md)';
    default:
      return undefined;
  }
}

/**
 * The error a process reports when it cannot open a database at start: what it wanted it for, the
 * URL without its password, the cause in words, and the setting to check (e.g.
 * `directory: cannot open its database postgres://nimo_directory:***@db:5432/nimo_directory: nothing
 * accepts connections at db:5432: is PostgreSQL running there, on that port? Check DIRECTORY_DATABASE_URL.`).
 * Other errors are returned as they are.
 */
export function databaseStartError(error: unknown, what: string, url: string, variable: string): unknown {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return error;
  }
  const reason = connectionFailure(error, parsed);
  if (!reason) return error;
  const end = /[.?]$/.test(reason) ? '' : '.';
  return new Error(`${what}: cannot open ${redactUrl(url)}: ${reason}${end} Check ${variable}.`, { cause: error });
}

/** Runs `open`, turning a connection failure into `databaseStartError`'s words. */
export async function openingDatabase<T>(what: string, url: string, variable: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw databaseStartError(error, what, url, variable);
  }
}
