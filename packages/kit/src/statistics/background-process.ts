import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { BACKGROUND_NICE, type BackgroundAnswer, type BackgroundJob, type BackgroundRequest } from './background';

/**
 * Lowers the scheduling priority of every thread of this process: the main one, libuv's and V8's
 * platform threads (garbage collection, optimising compiler). On Linux each thread has its own nice
 * value, set through its thread id; threads started later inherit their starter's. Elsewhere, or where
 * it is not allowed, the process keeps its priority.
 */
function lowerPriority(): void {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return; // not Linux
  }
  for (const task of tasks) {
    try {
      const tid = Number(task);
      setPriority(tid, Math.min(19, getPriority(tid) + BACKGROUND_NICE));
    } catch {
      // A thread that ended meanwhile, or not allowed: that thread keeps its priority.
    }
  }
}

/**
 * The background process of {@link runInBackground}: at a lower priority, runs the jobs it is sent one
 * after the other (each job module loaded once) and answers each; a job that throws answers with its
 * error. It ends when its parent disconnects (idle, or the parent ended).
 */
lowerPriority();
process.on('message', ({ id, jobFile, input }: BackgroundRequest) => {
  // Sent with a callback, so that a parent gone meanwhile (stopped mid-job) is no 'error' event:
  // this process then ends on 'disconnect'.
  const answer = (answer: BackgroundAnswer) => {
    if (process.connected) process.send?.(answer, undefined, undefined, () => undefined);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the job module is named at run time
    const { run } = require(jobFile) as { run: BackgroundJob<unknown, unknown> };
    answer({ id, output: run(input) });
  } catch (error) {
    // The job threw, or its output cannot be sent (a function in it, say).
    answer({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.once('disconnect', () => process.exit(0));
