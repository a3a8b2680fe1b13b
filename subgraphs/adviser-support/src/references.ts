import { isLocalGovCode, requireFiscalYear } from '@nimo/kit';
import type { Jurisdiction } from './entities/external';
import type { NationalEvaluation } from './resolvers/figures';

/**
 * `__resolveReference` of the entities this subgraph resolves. A Jurisdiction is the directory's: the
 * representation carries the key and, for `evaluation`, the fields it @requires (forum coverage, and
 * the training subgraph's trainedStaffHistory); they are passed through as they came. No SQL
 * here: every field below a reference goes through the request's loaders.
 */
export const referenceResolvers = {
  Jurisdiction: {
    __resolveReference: (ref: Jurisdiction): Jurisdiction | null => (isLocalGovCode(ref.code) ? ref : null),
  },
  NationalEvaluation: {
    __resolveReference: (ref: NationalEvaluation): NationalEvaluation => ({ ...ref, fiscalYear: requireFiscalYear(ref.fiscalYear) }),
  },
};
