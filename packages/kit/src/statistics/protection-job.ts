import { protectTable } from './protection';
import { tableFromMessage, type ProtectionRequest } from './protection-background';

/** The job of {@link protectTableInBackground}: the ids of the cells to hide. */
export function run(request: ProtectionRequest): string[] {
  return [...protectTable(tableFromMessage(request), request.options)];
}
