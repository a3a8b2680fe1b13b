/* eslint-disable no-console -- the runner's command-line tools print their results and errors */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ApiKeyStore } from '@nimo/gateway/api-keys';
import { findHubDatabases } from './databases';

/**
 * What the runner's commands on the hub's databases (`npm run apikey`, `npm run documents`,
 * `npm run audit:verify`) share: arguments with `--help`, exit codes, tables, and the gateway's
 * database found the way `npm start` finds it.
 */

/** A mistake in the command line: the command prints it with its usage and exits 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
type HelpOption = { help: { type: 'boolean'; short: 'h' } };
/** The parsed command line of a command whose options are `O` (positionals allowed; `--help` added). */
export type CliArgs<O extends Options> = ReturnType<typeof parseArgs<{ options: O & HelpOption; allowPositionals: true }>>;

export interface Command<O extends Options> {
  /** The name errors are prefixed with, e.g. `apikey`. */
  readonly name: string;
  /** Printed for `--help` (stdout, exit 0) and after a usage error (stderr, exit 2). */
  readonly usage: string;
  readonly options: O;
  /** The command itself: its exit code (0 done, 1 failed). */
  run(args: CliArgs<O>): Promise<number>;
}

/**
 * Runs a command and exits: its own exit code; 2 for a usage error (printed with the usage); 1 for
 * any other error (its message, prefixed with the command's name).
 */
export function runCommand<O extends Options>(command: Command<O>): void {
  const main = async (): Promise<number> => {
    let args: CliArgs<O>;
    try {
      const help: HelpOption = { help: { type: 'boolean', short: 'h' } };
      args = parseArgs({ options: { ...command.options, ...help }, allowPositionals: true });
    } catch (error) {
      // parseArgs refuses unknown options and missing option values: a usage error.
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    // Inside this generic function TypeScript cannot resolve the parsed values' type; `help` is there.
    const { help } = args.values as { help?: boolean };
    if (help) {
      console.log(command.usage);
      return 0;
    }
    return command.run(args);
  };
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${command.name}: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof UsageError) console.error(command.usage);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}

/** A timestamp to the second, UTC; `—` for none. */
export const when = (date: Date | null): string => (date ? date.toISOString().replace(/\.\d+Z$/, 'Z') : '—');

/** Rows under a header, in columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Opens the gateway's database (GATEWAY_DATABASE_URL, DATABASE_URL, or the embedded server of
 * `npm start` in .data/postgres, started here if it is not running and stopped afterwards) and gives
 * its API key store to `use`; closes both however `use` ends.
 */
export async function withGatewayStore<T>(command: string, use: (store: ApiKeyStore, url: string) => Promise<T>): Promise<T> {
  const databases = await findHubDatabases(
    { gateway: true },
    {
      onStart: (dir, port) =>
        console.error(`${command}: starting the embedded PostgreSQL of npm start (${dir}, port ${port}); it stops when this command ends`),
    },
  );
  let store: ApiKeyStore | undefined;
  try {
    store = await ApiKeyStore.open(databases.gateway());
    return await use(store, databases.gateway());
  } finally {
    await store?.close();
    await databases.close();
  }
}
