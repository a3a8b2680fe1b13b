import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { OFF_THREAD_NICE, type OffThreadJob } from './off-thread';

/**
 * Lowers this thread's scheduling priority. On Linux a thread has its own nice value, set through its
 * thread id (`/proc/thread-self` names it); elsewhere, or where it is not allowed, the thread keeps the
 * process's priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + OFF_THREAD_NICE));
  } catch {
    // Not Linux, or not allowed: the same priority as the process.
  }
}

/**
 * The worker thread of {@link runOffThread}: at a lower priority, loads the job module, runs it on the
 * one input it is sent, answers, and is ended. A job that throws answers with its message (the caller
 * rejects with it).
 */
lowerPriority();
const { jobFile } = workerData as { jobFile: string };
parentPort?.once('message', (input: unknown) => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the job module is named at run time
    const { run } = require(jobFile) as { run: OffThreadJob<unknown, unknown> };
    const answer = run(input);
    parentPort?.postMessage({ output: answer.output }, [...(answer.transfer ?? [])]);
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
