import { isUuid } from '@nimo/kit';
import type { Context } from './context';

/**
 * `__resolveReference` of the entities this subgraph extends. Jurisdiction and Organization are the
 * directory's: this subgraph holds only their keys and adds fields. Nothing personal is reachable
 * by key: cases are not entities, and every case field applies the policy.
 */
export const referenceResolvers = {
  Jurisdiction: {
    __resolveReference: (ref: { code: string }) => ({ code: ref.code }),
  },
  Organization: {
    __resolveReference: (ref: { id: string }, _ctx: Context) => (isUuid(ref.id) ? { id: ref.id.toLowerCase() } : null),
  },
};
