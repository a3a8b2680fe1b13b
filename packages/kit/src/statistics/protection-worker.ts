import { parentPort } from 'node:worker_threads';
import { protectTable } from './protection';
import { tableFromMessage, type ProtectionRequest } from './protection-thread';

/**
 * The worker thread of {@link protectTableOffThread}: one request, one answer (the ids of the cells to
 * hide), then it ends. Runs the same `protectTable` as the calling thread would.
 */
parentPort?.once('message', (request: ProtectionRequest) => {
  const hidden = protectTable(tableFromMessage(request), request.options);
  parentPort?.postMessage([...hidden]);
});
