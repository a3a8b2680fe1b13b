import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { envPrefix, SUBGRAPHS } from '@nimo/kit';
import { freePort } from '@nimo/kit/dev';
import { createTestDatabase, dropTestDatabase } from '@nimo/kit/testing';

/** One log line of a hub process (pino JSON). */
export type LogLine = Record<string, unknown> & { msg?: string; service?: string; process?: string; pid?: number };

/**
 * `npm start` as a test runs it: the built runner (`dist/start.js`) as a child process in its own
 * process group, on throw-away databases of the test server (no embedded PostgreSQL), free ports and
 * no demo data, with its JSON logs collected.
 */
export interface RunnerProcess {
  readonly child: ChildProcess;
  readonly gateway: string;
  readonly ports: Record<string, number>;
  readonly lines: LogLine[];
  /** Waits for a log line; rejects after `timeoutMs`. */
  waitFor(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** The current process id of a hub process (changes when it is restarted). */
  pidOf(name: string): number;
  /** Resolves with the runner's exit code. */
  readonly exited: Promise<number | null>;
  dispose(): Promise<void>;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startRunner(extraEnv: NodeJS.ProcessEnv = {}): Promise<RunnerProcess> {
  const databases: Record<string, string> = {};
  for (const { name } of SUBGRAPHS) databases[`${envPrefix(name)}_DATABASE_URL`] = await createTestDatabase(`runner_${name.replace(/-/g, '_')}`);
  databases.GATEWAY_DATABASE_URL = await createTestDatabase('runner_gateway');
  const ports: Record<string, number> = { gateway: await freePort() };
  for (const { name } of SUBGRAPHS) ports[name] = await freePort();
  // Only what this test gives: never DATABASE_URL or the ports of a developer's `npm start`.
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/DATABASE_URL$|_PORT$|^PORT$|^HOST$|^NODE_ENV$/.test(name)));
  const env: NodeJS.ProcessEnv = {
    ...base,
    ...databases,
    PORT: String(ports.gateway),
    ...Object.fromEntries(SUBGRAPHS.map((s) => [`${envPrefix(s.name)}_PORT`, String(ports[s.name])])),
    SEED: '0',
    LOG_LEVEL: 'info',
    SUBGRAPH_TIMEOUT_MS: '4000',
    SHUTDOWN_GRACE_MS: '10000',
    ...extraEnv,
  };
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  const take = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as LogLine);
      } catch {
        lines.push({ msg: part });
      }
    }
    for (const wake of waiters) wake();
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (predicate: (line: LogLine) => boolean, timeoutMs = 120_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = lines.find(predicate);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `no such log line within ${timeoutMs} ms; last lines:\n${lines
              .slice(-15)
              .map((l) => JSON.stringify(l))
              .join('\n')}`,
          ),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const pidOf = (name: string): number => {
    const started = lines.filter(
      (l) => l.service === 'hub' && l.process === name && typeof l.pid === 'number' && /is ready|restarted and ready/.test(l.msg ?? ''),
    );
    const pid = started.at(-1)?.pid;
    if (typeof pid !== 'number') throw new Error(`no pid logged for ${name}`);
    return pid;
  };
  return {
    child,
    gateway: `http://127.0.0.1:${ports.gateway}/graphql`,
    ports,
    lines,
    waitFor,
    pidOf,
    exited,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      for (const url of Object.values(databases)) await dropTestDatabase(url).catch(() => undefined);
    },
  };
}

export interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  ms: number;
}

export async function post(endpoint: string, query: string): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as Answer['body'], ms: Date.now() - started };
}
