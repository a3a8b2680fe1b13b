import { isLocalGovCode, isUuid } from '@nimo/kit';
import type { Context } from './context';

/**
 * `__resolveReference` of each entity: other subgraphs hold only the key, the gateway asks here for
 * the rest. Every one goes through a DataLoader, so N references cost one statement. A malformed key
 * resolves to null like an unknown one.
 */
export const referenceResolvers = {
  Jurisdiction: {
    __resolveReference: (ref: { code: string }, ctx: Context) => (isLocalGovCode(ref.code) ? ctx.loaders.jurisdiction.load(ref.code) : null),
  },
  Organization: {
    __resolveReference: (ref: { id: string }, ctx: Context) => (isUuid(ref.id) ? ctx.loaders.organization.load(ref.id.toLowerCase()) : null),
  },
  Region: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.region.load(ref.id),
  },
  Forum: {
    __resolveReference: (ref: { id: string }, ctx: Context) => (isUuid(ref.id) ? ctx.loaders.forum.load(ref.id.toLowerCase()) : null),
  },
};
