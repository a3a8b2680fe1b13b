import { atYearEnd } from '@nimo/kit';
import type { ForumCoverage, ForumCoverageCounts, TrainedStaffAtYearEnd } from './entities/external';

/**
 * The fields this subgraph needs from other subgraphs' `Jurisdiction`, fetched through federation
 * (`@external` + `@requires`), never copied. ONE place to change.
 *
 * - Forums: the directory's argument-free `Jurisdiction.forumCoverage`, with its `history` (the
 *   counts at the end of each fiscal year), so a past year counts only the forums set up by its end.
 * - Staff trained (STAFF_TRAINED): the training subgraph's argument-free
 *   `Jurisdiction.trainedStaffHistory` (cumulative at the end of each fiscal year, rolled up for
 *   prefecture codes), so a past year counts only the staff trained by its end.
 */
/** The directory's argument-free forum coverage (Jurisdiction.forumCoverage). */
const FORUM_COVERAGE = 'forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum history { fiscalYear ownForum regionsWithForum municipalitiesWithForum } }';

/** `@requires` of `Jurisdiction.evaluation(fiscalYear)`. */
export const JURISDICTION_REQUIRES = `${FORUM_COVERAGE} trainedStaffHistory { fiscalYear trainedStaff }`;

/** `@requires` of `NationalEvaluation.indicators`: the same fields for each of the 47 prefectures. */
export const NATION_REQUIRES = `prefectures { ${JURISDICTION_REQUIRES} }`;


/** A jurisdiction's forum coverage as it stood at the end of a fiscal year (from its `history`). */
export function forumCoverageAt(coverage: ForumCoverage, fiscalYear: number): ForumCoverageCounts {
  const year = atYearEnd(coverage.history, fiscalYear);
  return {
    ownForum: year?.ownForum ?? false,
    regions: coverage.regions,
    regionsWithForum: year?.regionsWithForum ?? 0,
    municipalities: coverage.municipalities,
    municipalitiesWithForum: year?.municipalitiesWithForum ?? 0,
  };
}

/** Staff trained by the end of a fiscal year (from `trainedStaffHistory`); null when the training subgraph gave none. */
export function trainedStaffAt(history: readonly TrainedStaffAtYearEnd[] | null | undefined, fiscalYear: number): number | null {
  if (!history) return null;
  return atYearEnd(history, fiscalYear)?.trainedStaff ?? 0;
}
