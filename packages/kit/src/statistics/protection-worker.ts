import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { protectTable } from './protection';
import { PROTECTION_NICE, tableFromMessage, type ProtectionRequest } from './protection-thread';

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
 * The worker thread of {@link protectTableOffThread}: one request, one answer (the ids of the cells to
 * hide), then it ends. Runs the same `protectTable` as the calling thread would, at a lower priority.
 */
lowerPriority();
parentPort?.once('message', (request: ProtectionRequest) => {
  const hidden = protectTable(tableFromMessage(request), request.options);
  parentPort?.postMessage([...hidden]);
});
