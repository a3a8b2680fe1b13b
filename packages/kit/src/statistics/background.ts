import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * Background work in a process of its own whose every thread runs at a lower scheduling priority: what a
 * subgraph computes between requests (a fiscal year's protected figures: seconds of CPU) must never hold
 * up the thread that answers them, nor share the cores with it. A process rather than a worker thread:
 * a worker's isolate has its garbage collection and optimising compiler done by V8's platform threads,
 * which the process shares and which run at the process's priority (a quarter of a snapshot's CPU was
 * theirs, measured); a process of its own has its own, and all of them are lowered.
 *
 * A job is a compiled module (its file) exporting `run(input)`; the process loads only the modules of
 * the jobs it runs, so a job should import only what it needs (not `@nimo/kit`'s index: most of a second
 * to load; the light `@nimo/kit/statistics` is meant for jobs). Input and output cross as structured
 * clones (typed arrays, maps and sets included). Jobs run one after the other; the process is started on
 * the first job, kept while jobs come (its start-up and compiled code are paid once) and ended after
 * {@link BACKGROUND_IDLE_MS} without one, or when this process ends.
 */
export type BackgroundJob<I, O> = (input: I) => O;

/**
 * How much lower than this process the background process's threads run (a nice value added, Linux): a
 * job is background work that should take the cores requests leave idle, not share them with the
 * requests. At 10 it gets about a tenth of a core that requests keep busy, all of an idle one.
 */
export const BACKGROUND_NICE = 10;

/** How long the background process is kept without a job (its heap, about 100 MiB resident, is then freed). */
export const BACKGROUND_IDLE_MS = 60_000;

/**
 * The compiled file of a module next to the calling one: `dir/file` when running compiled, else the same
 * path under `dist/` instead of `src/` (the sources run by ts-jest; tests run after the build).
 */
export function compiledFile(dir: string, file: string): string {
  const here = join(dir, file);
  return existsSync(here) ? here : here.replace(`${sep}src${sep}`, `${sep}dist${sep}`);
}

/** What the background process is sent, and what it answers (background-process.ts). */
export interface BackgroundRequest {
  readonly id: number;
  readonly jobFile: string;
  readonly input: unknown;
}
export type BackgroundAnswer = { readonly id: number; readonly output: unknown } | { readonly id: number; readonly error: string };

interface Waiting {
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** The background process while it runs: the jobs it was sent and not yet answered, and when it is idle, the timer that ends it. */
interface Running {
  readonly child: ChildProcess;
  readonly waiting: Map<number, Waiting>;
  idle?: NodeJS.Timeout;
}

/** The one background process of this process, while it runs. */
let current: Running | undefined;
let nextId = 1;

function backgroundProcess(): Running {
  // One that is disconnected (ended for idleness, and not yet gone) takes no more jobs: a new one does.
  if (current?.child.connected) return current;
  const child = fork(compiledFile(__dirname, 'background-process.js'), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const started: Running = { child, waiting: new Map() };
  const end = (why: string) => {
    if (current === started) current = undefined;
    if (started.idle) clearTimeout(started.idle);
    for (const { reject } of started.waiting.values()) reject(new Error(`runInBackground: the background process ${why} before answering`));
    started.waiting.clear();
  };
  child.on('message', (answer: BackgroundAnswer) => {
    const waiting = started.waiting.get(answer.id);
    if (!waiting) return;
    started.waiting.delete(answer.id);
    if ('error' in answer) waiting.reject(new Error(`runInBackground: ${answer.error}`));
    else waiting.resolve(answer.output);
    if (started.waiting.size === 0) idle(started);
  });
  child.once('exit', (code, signal) => end(`ended (${signal ?? `code ${code}`})`));
  child.once('error', (error) => {
    end(`failed (${error.message})`);
    child.kill();
  });
  current = started;
  return started;
}

/** No job waiting: this process may end without waiting for the background one, which ends when idle long enough. */
function idle(started: Running): void {
  started.child.unref();
  started.child.channel?.unref();
  started.idle = setTimeout(() => started.child.disconnect(), BACKGROUND_IDLE_MS).unref();
}

/** The process id of the background process while it runs (for tests and diagnostics). */
export function backgroundPid(): number | undefined {
  return current?.child.pid;
}

/**
 * Runs the job module `jobFile` (absolute path; see {@link compiledFile}) on `input` in the background
 * process, at a lower priority (background-process.ts), and answers with its output. A job that throws
 * rejects with its message; if the process ends before answering (killed, out of memory), the jobs
 * waiting reject and the next job starts a new one.
 */
export function runInBackground<I, O>(jobFile: string, input: I): Promise<O> {
  const started = backgroundProcess();
  if (started.idle) clearTimeout(started.idle);
  started.idle = undefined;
  started.child.ref();
  started.child.channel?.ref();
  const id = nextId++;
  return new Promise<O>((resolve, reject) => {
    started.waiting.set(id, { resolve: (output) => resolve(output as O), reject });
    const request: BackgroundRequest = { id, jobFile, input };
    started.child.send(request, (error) => {
      if (!error || !started.waiting.delete(id)) return;
      reject(new Error(`runInBackground: the job could not be sent: ${error.message}`));
      if (started.waiting.size === 0) idle(started);
    });
  });
}
