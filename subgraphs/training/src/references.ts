import { isLocalGovCode, isUuid } from '@nimo/kit';
import type { Context } from './context';

/**
 * `__resolveReference` of each entity. Jurisdiction and Organization belong to the directory: a
 * reference is its key, and the training fields resolve from it (batched by their loaders).
 */
export const referenceResolvers = {
  Jurisdiction: {
    __resolveReference: (ref: { code: string }, _ctx: Context) => (isLocalGovCode(ref.code) ? { code: ref.code } : null),
  },
  Organization: {
    __resolveReference: (ref: { id: string }, _ctx: Context) => (isUuid(ref.id) ? { id: ref.id.toLowerCase() } : null),
  },
};
