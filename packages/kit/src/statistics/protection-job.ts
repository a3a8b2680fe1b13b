import type { OffThreadAnswer } from './off-thread';
import { protectTable } from './protection';
import { tableFromMessage, type ProtectionRequest } from './protection-thread';

/** The job of {@link protectTableOffThread}: the ids of the cells to hide. */
export function run(request: ProtectionRequest): OffThreadAnswer<string[]> {
  return { output: [...protectTable(tableFromMessage(request), request.options)] };
}
