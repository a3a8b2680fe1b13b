import { spawn, type ChildProcess } from 'node:child_process';
import {
  databaseUrlFor,
  envPrefix,
  GATEWAY_DATABASE,
  GATEWAY_PORT,
  gatewayDatabaseUrl,
  intFromEnv,
  SUBGRAPHS,
  withDatabase,
  type Logger,
  type RunnerMessage,
} from '@nimo/kit';
import { ensureDevHopSecret, portTaken } from '@nimo/kit/dev';
import { embeddedDataDir, embeddedPort, startHubEmbedded } from './databases';
import { supervisePostgres, type SupervisedPostgres } from './postgres';
import { prettyLogs, showPretty } from './pretty';
import { restartDelay, STABLE_MS } from './restart';

export { restartDelay } from './restart';

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
  /**
   * How long each process may take to become ready on its first start (ms; default
   * `readyTimeoutFromEnv()`). The benchmark gives more: seeding a million consultation cases on a busy
   * machine takes longer.
   */
  readonly readyTimeoutMs?: number;
}

/**
 * How long a process may take to become ready on its first start: READY_TIMEOUT_MS, else 120 s, or
 * longer when the first start seeds many demo cases (CONSULTATION_DEMO_CASES: 1 s per thousand, so a
 * million cases may take 17 minutes; the seeding logs its progress meanwhile).
 */
export function readyTimeoutFromEnv(): number {
  const cases = intFromEnv('CONSULTATION_DEMO_CASES', 0);
  return intFromEnv('READY_TIMEOUT_MS', Math.max(120_000, cases));
}

export interface RunningHub {
  readonly gatewayUrl: string;
  readonly subgraphUrls: Record<string, string>;
  /** The hub's processes (each subgraph, then the gateway) with their current process ids (they change on a restart). */
  readonly processes: readonly { readonly name: string; readonly pid: number }[];
  /** The embedded PostgreSQL server's process id, when the hub started one. */
  readonly postgresPid: number | undefined;
  /** Stops the gateway (requests in flight finish), then the subgraphs, then PostgreSQL; true when every process stopped by itself with exit 0. */
  stop(): Promise<boolean>;
}

/**
 * V8 flags for every subgraph (also the subgraph images' NODE_OPTIONS, docker/Dockerfile). A larger
 * young generation (64 MB semi-spaces, so up to about three times that per process): an answer of the
 * national overview allocates tens of MB of short-lived objects (rows, resolver results, JSON), which
 * with V8's default 16 MB semi-space were copied by several scavenges per request; GC took about a
 * third of a subgraph's CPU (CPU profiles). 16, 32 and 64 MB compared with `NODE_OPTIONS=--max-semi-space-size=N
 * npm run bench -- --only=NationalOverview --cache=off`: 64 uses the least CPU per answer (README).
 */
export const NODE_TUNING = '--max-semi-space-size=64';

/**
 * V8 flags for the gateway (and each of its workers; also the gateway image's NODE_OPTIONS):
 * - V8's default 16 MB semi-spaces. On the national overview with eight clients (docs/performance.md,
 *   December) 16 MB cost the gateway no more CPU per answer than 64 MB (within the noise: 111–132
 *   against 110–135 ms) and lowered its peak memory by 40–140 MiB. A subgraph's answer is built from
 *   short-lived rows and resolver results; the gateway's holds subgraph answers, merged data and the
 *   shaped answer for the whole request, which a larger young generation only copies more of.
 * - An old generation of at most 256 MB: without a limit V8 let a worker grow to 340–460 MiB under
 *   eight clients of the national overview (the heap grows ahead of its live data), more than two
 *   workers and the primary fit in the gateway pod's 1 GiB. With it a worker peaked at 224–248 MiB
 *   at the same throughput when the eight share answers (the benchmark's case: one set of rights),
 *   and at 221–341 MiB, never failing, with 8–32 clients of different rights; those pay for it in
 *   garbage collection: 126–151 against 95 ms of gateway CPU per answer (docs/performance.md).
 */
export const GATEWAY_NODE_TUNING = '--max-semi-space-size=16 --max-old-space-size=256';

/** Which kind of hub process a process is: its V8 tuning differs. */
export type ProcessKind = 'subgraph' | 'gateway';

/** A V8 flag's name as NODE_OPTIONS may spell it (V8 takes `-` and `_` alike). */
const flagPattern = (flag: string) => new RegExp(`--${flag.replace(/^--/, '').replace(/[-_]/g, '[-_]')}(?=[=\\s]|$)`);

/** NODE_OPTIONS with the hub's tuning for `kind` added: each of its flags that they do not set already. */
export function withTuning(nodeOptions: string | undefined, kind: ProcessKind = 'subgraph'): string {
  const tuning = (kind === 'gateway' ? GATEWAY_NODE_TUNING : NODE_TUNING).split(' ');
  const added = tuning.filter((flag) => !(nodeOptions && flagPattern(flag.split('=')[0]!).test(nodeOptions)));
  return [nodeOptions, ...added].filter(Boolean).join(' ');
}

/** Waits until `url` answers 2xx; throws if the child exits first or the time runs out. */
export async function waitReady(url: string, child: ChildProcess, name: string, timeoutMs = 120_000, failure?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      // Give the child's last message (its reason) a moment to arrive.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const reason = failure?.();
      throw new Error(reason ? `${name} failed to start: ${reason}` : `${name} exited with ${child.exitCode ?? child.signalCode} while starting`);
    }
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

/** How a child asked to stop ended: its exit code (or signal), and whether it had to be killed. */
export type ChildStop = { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly killed: boolean };

/** SIGTERM, then SIGKILL after `killAfterMs`; resolves when the child has exited, saying how. */
export function stopChild(child: ChildProcess, killAfterMs = 15_000): Promise<ChildStop> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode, killed: false });
  return new Promise((resolve) => {
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, killed });
    });
    child.kill('SIGTERM');
  });
}

/** Ports a hub needs, checked before anything starts so that a taken one is named with what to do. */
async function checkPorts(wanted: { name: string; port: number; variable: string }[], host: string): Promise<void> {
  for (const { name, port, variable } of wanted) {
    if (port !== 0 && (await portTaken(port, host))) {
      throw new Error(
        `port ${port} (${name}) is already taken: another Nimo Hub or another program is listening on it. Stop it, or choose ` +
          `another port with ${variable}=<port>.`,
      );
    }
  }
}

/** One supervised hub process: started, restarted when it dies, stopped when asked. */
class Supervised {
  child: ChildProcess | undefined;
  private failures = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private lastFailure: string | undefined;
  /** Restarts happen only once the process has been ready once (a failed first start fails the hub's start). */
  private supervising = false;

  constructor(
    readonly name: string,
    private readonly script: string,
    readonly port: number,
    private readonly readyPath: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger,
    private readonly readyTimeoutMs = 120_000,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and waits until it is ready. */
  async start(): Promise<void> {
    const child = this.spawn();
    await waitReady(`http://127.0.0.1:${this.port}${this.readyPath}`, child, this.name, this.readyTimeoutMs, () => this.lastFailure);
    this.supervising = true;
    this.logger.info({ process: this.name, pid: child.pid, port: this.port }, `${this.name} is ready`);
  }

  private spawn(restart = false): ChildProcess {
    // Its own process group: Ctrl-C in a terminal reaches only the runner, which stops the processes
    // in order (gateway, subgraphs, PostgreSQL). The IPC channel tells the child when the runner dies.
    // A restart loads no demo data: the first start did, and it comes back sooner.
    const env = restart ? { ...this.env, SEED: '0' } : this.env;
    // Under `npm start` in a terminal the JSON lines are shown through pino-pretty (see pretty.ts).
    const pretty = prettyLogs();
    const output = pretty ? 'pipe' : 'inherit';
    const child = spawn(process.execPath, [this.script], { stdio: ['ignore', output, output, 'ipc'], detached: true, env });
    if (pretty) {
      showPretty(child.stdout, process.stdout);
      showPretty(child.stderr, process.stderr);
    }
    child.channel?.unref();
    child.on('message', (message: RunnerMessage) => {
      if (message.type === 'start-failed') this.lastFailure = message.reason;
    });
    this.child = child;
    this.startedAt = Date.now();
    child.once('exit', (code, signal) => this.exited(child, code, signal));
    return child;
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || !this.supervising || child !== this.child) return;
    if (Date.now() - this.startedAt > STABLE_MS) this.failures = 0;
    this.failures += 1;
    const delayMs = restartDelay(this.failures);
    this.logger.error(
      {
        process: this.name,
        pid: child.pid,
        code,
        signal,
        restartInMs: delayMs,
        failuresInARow: this.failures,
        ...(this.lastFailure ? { reason: this.lastFailure } : {}),
      },
      `${this.name} stopped unexpectedly; restarting it in ${delayMs} ms${this.name === 'gateway' ? '' : ' (the gateway answers without it meanwhile)'}`,
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopping) return;
      const next = this.spawn(true);
      waitReady(`http://127.0.0.1:${this.port}${this.readyPath}`, next, this.name, 120_000, () => this.lastFailure).then(
        () => this.logger.info({ process: this.name, pid: next.pid, downMs: Date.now() - this.startedAt + delayMs }, `${this.name} restarted and ready`),
        (error: unknown) => this.logger.warn({ process: this.name, err: error }, `${this.name} did not become ready after a restart`),
      );
    }, delayMs);
  }

  /** Stops the process; false when it did not stop cleanly (killed after the deadline, or a failing exit code). */
  async stop(): Promise<boolean> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.child) return true;
    const killAfterMs = intFromEnv('SHUTDOWN_GRACE_MS', 10_000) + 10_000;
    const ended = await stopChild(this.child, killAfterMs);
    if (ended.killed) this.logger.error({ process: this.name, killAfterMs }, `${this.name} did not stop within ${killAfterMs} ms of SIGTERM; killed it`);
    else if (ended.code !== 0)
      this.logger.error({ process: this.name, code: ended.code, signal: ended.signal }, `${this.name} stopped with ${ended.code ?? ended.signal}`);
    return !ended.killed && ended.code === 0;
  }
}

/**
 * Starts the whole hub as separate processes, as in production: PostgreSQL (embedded unless a
 * database URL is configured), each subgraph (which migrates its own database and, with SEED, loads
 * demo data), then the gateway.
 *
 * The runner supervises: a process that dies is restarted with back-off (logged) while the others
 * keep serving; an embedded PostgreSQL that dies is restarted the same way. `stop` (SIGINT/SIGTERM
 * in `npm start`) stops the gateway first (it stops accepting and lets requests in flight finish),
 * then the subgraphs, then PostgreSQL.
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { logger } = options;
  const supervised: Supervised[] = [];
  let embedded: SupervisedPostgres | undefined;
  // However this process ends, no subgraph or gateway is left running (they also stop by themselves
  // when the runner's IPC channel closes).
  process.once('exit', () => {
    for (const s of supervised) if (s.child && s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
  });

  // One stop however often it is asked for: a second call gets the first one's outcome.
  let stopped: Promise<boolean> | undefined;
  const stop = (): Promise<boolean> => (stopped ??= stopAll());
  const stopAll = async (): Promise<boolean> => {
    // PostgreSQL stops last, but is not restarted while the others stop.
    embedded?.endRestarts();
    const gateway = supervised.filter((s) => s.name === 'gateway');
    const subgraphs = supervised.filter((s) => s.name !== 'gateway');
    logger.info('stopping the gateway (requests in flight finish first)');
    const clean = await Promise.all(gateway.map((s) => s.stop()));
    logger.info('stopping the subgraphs');
    clean.push(...(await Promise.all(subgraphs.map((s) => s.stop()))));
    if (embedded) {
      logger.info('stopping PostgreSQL');
      await embedded.stop().catch((error: unknown) => {
        clean.push(false);
        logger.warn({ err: error }, 'embedded PostgreSQL stop');
      });
    }
    const stoppedCleanly = clean.every(Boolean);
    if (stoppedCleanly) logger.info('the hub has stopped');
    else logger.error('the hub has stopped, but not every process stopped cleanly (see above)');
    return stoppedCleanly;
  };

  try {
    const host = process.env.HOST || '127.0.0.1';
    const port = options.port ?? intFromEnv('PORT', GATEWAY_PORT);
    const subgraphPort = (name: string, fallback: number) => options.subgraphPorts?.[name] ?? intFromEnv(`${envPrefix(name)}_PORT`, fallback);
    await checkPorts(
      [
        ...SUBGRAPHS.map((s) => ({ name: `the ${s.name} subgraph`, port: subgraphPort(s.name, s.port), variable: `${envPrefix(s.name)}_PORT` })),
        { name: 'the gateway', port, variable: 'PORT' },
      ],
      '127.0.0.1',
    );

    let serverUrl = options.databaseUrl ?? process.env.DATABASE_URL;
    // The gateway has its own database too (vendor API keys).
    const allOwn = SUBGRAPHS.every((s) => process.env[`${envPrefix(s.name)}_DATABASE_URL`]) && !!process.env.GATEWAY_DATABASE_URL;
    if (!serverUrl && !allOwn) {
      const dir = options.dataDir ?? embeddedDataDir();
      logger.info({ dir, port: embeddedPort() }, 'starting embedded PostgreSQL (set DATABASE_URL to use your own server)');
      embedded = await supervisePostgres(() => startHubEmbedded(logger, dir), logger);
      serverUrl = embedded.server.url;
    }

    // The gateway and the subgraphs share the hop secret; a development hub keeps one in .data/.
    const hopSecret = process.env.HUB_INTERNAL_SECRET ?? ensureDevHopSecret();
    const envOf = (processPort: number, env: NodeJS.ProcessEnv, kind: ProcessKind = 'subgraph'): NodeJS.ProcessEnv => ({
      ...process.env,
      ...options.env,
      PORT: String(processPort),
      HUB_INTERNAL_SECRET: hopSecret,
      ...env,
      NODE_OPTIONS: withTuning(options.env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS, kind),
    });
    const subgraphUrls: Record<string, string> = {};
    const gatewayDatabase =
      (options.databaseUrl && withDatabase(options.databaseUrl, GATEWAY_DATABASE)) || gatewayDatabaseUrl() || withDatabase(serverUrl ?? '', GATEWAY_DATABASE);
    for (const info of SUBGRAPHS) {
      const subgraphPortNumber = subgraphPort(info.name, info.port);
      const databaseUrl =
        (options.databaseUrl && withDatabase(options.databaseUrl, info.database)) || databaseUrlFor(info.name) || withDatabase(serverUrl ?? '', info.database);
      const s = new Supervised(
        info.name,
        require.resolve(`@nimo/${info.name}/main`),
        subgraphPortNumber,
        '/ready',
        envOf(subgraphPortNumber, {
          [`${envPrefix(info.name)}_DATABASE_URL`]: databaseUrl,
          SEED: options.seed === false ? '0' : (process.env.SEED ?? '1'),
          // Audit checkpoints go outside the subgraph's database: the gateway's, unless configured.
          AUDIT_CHECKPOINT_DATABASE_URL: process.env.AUDIT_CHECKPOINT_DATABASE_URL || gatewayDatabase,
          // Only the gateway (and writes checking references with their owner) reaches a subgraph: it listens on the loopback interface.
          HOST: '127.0.0.1',
          // The subgraphs started before it (the directory first): writes check what they name with its owner.
          ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [`${envPrefix(name)}_URL`, url])),
        }),
        logger,
        options.readyTimeoutMs ?? readyTimeoutFromEnv(),
      );
      supervised.push(s);
      await s.start();
      subgraphUrls[info.name] = `http://127.0.0.1:${subgraphPortNumber}/graphql`;
    }

    const gateway = new Supervised(
      'gateway',
      require.resolve('@nimo/gateway/main'),
      port,
      '/health',
      envOf(
        port,
        {
          ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [`${envPrefix(name)}_URL`, url])),
          GATEWAY_DATABASE_URL: gatewayDatabase,
          HOST: host,
        },
        'gateway',
      ),
      logger,
      options.readyTimeoutMs ?? readyTimeoutFromEnv(),
    );
    supervised.push(gateway);
    await gateway.start();

    const shownHost = host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host;
    return {
      gatewayUrl: `http://${shownHost}:${port}/graphql`,
      subgraphUrls,
      get processes() {
        return supervised.map((s) => ({ name: s.name, pid: s.pid ?? 0 }));
      },
      get postgresPid() {
        return embedded?.server.pid;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
