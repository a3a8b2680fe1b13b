import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { protectTable } from './protection';
import { PROTECTION_NICE, tableFromMessage, type ProtectionAnswer, type ProtectionJob } from './protection-thread';

/**
 * Lowers this thread's scheduling priority. On Linux a thread has its own nice value, set through its
 * thread id (`/proc/thread-self` names it); elsewhere, or where it is not allowed, the thread keeps the
 * process's priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + PROTECTION_NICE));
  } catch {
    // Not Linux, or not allowed: the same priority as the process.
  }
}

/**
 * The worker thread of {@link protectTableOffThread}: runs the same `protectTable` as the calling
 * thread would, one job after another, and answers each with the ids of the cells to hide.
 */
lowerPriority();
parentPort?.on('message', ({ id, request }: ProtectionJob) => {
  let answer: ProtectionAnswer;
  try {
    answer = { id, hidden: [...protectTable(tableFromMessage(request), request.options)] };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
