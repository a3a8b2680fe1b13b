import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Background work on a worker thread of its own, at a lower scheduling priority, ended when it answers:
 * what a subgraph computes between requests (a fiscal year's protected figures: seconds of CPU) must
 * never hold up the thread that answers them, nor share the cores with it.
 *
 * A job is a compiled module (its file) exporting `run(input)`; the worker loads only that module, so
 * it should import only what the job needs (not `@nimo/kit`'s index: most of a second to load; the
 * light `@nimo/kit/statistics` is meant for jobs). Input and output cross as structured clones; typed
 * arrays the job lists in `transfer` are moved, not copied.
 */
export interface OffThreadAnswer<O> {
  readonly output: O;
  /** Buffers of the output to move to the calling thread instead of copying them. */
  readonly transfer?: readonly ArrayBuffer[];
}

/** A job module's shape. */
export type OffThreadJob<I, O> = (input: I) => OffThreadAnswer<O>;

/**
 * How much lower than the process a job's thread runs (a nice value added, Linux): a job is background
 * work that should take the cores requests leave idle, not share them with the requests. At 10 it gets
 * about a tenth of a core that requests keep busy, all of an idle one.
 */
export const OFF_THREAD_NICE = 10;

/**
 * The compiled file of a module next to the calling one: `dir/file` when running compiled, else the same
 * path under `dist/` instead of `src/` (the sources run by ts-jest; tests run after the build).
 */
export function compiledFile(dir: string, file: string): string {
  const here = join(dir, file);
  return existsSync(here) ? here : here.replace(`${sep}src${sep}`, `${sep}dist${sep}`);
}

/**
 * Runs the job module `jobFile` (absolute path; see {@link compiledFile}) on `input` on a new worker
 * thread at a lower priority (off-thread-worker.ts). A worker is started per job: one kept between jobs
 * was tried for the figures and cost the same CPU per snapshot with its heap kept (130 MiB resident).
 */
export function runOffThread<I, O>(jobFile: string, input: I, transfer: readonly ArrayBuffer[] = []): Promise<O> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(compiledFile(__dirname, 'off-thread-worker.js'), { workerData: { jobFile } });
    let answered = false;
    worker.once('message', (message: { output: O } | { error: string }) => {
      answered = true;
      if ('error' in message) reject(new Error(`runOffThread: ${message.error}`));
      else resolve(message.output);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`runOffThread: the worker ended (code ${code}) without an answer`));
    });
    worker.postMessage(input, [...transfer]);
  });
}
