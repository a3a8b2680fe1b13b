import { atYearEnd } from '@nimo/kit';
import type { ForumCoverage, ForumCoverageCounts, TrainedStaffAtYearEnd } from './entities/external';

/**
 * The fields this subgraph needs from other subgraphs' `Jurisdiction`, fetched through federation
 * (`@external` + `@requires`), never copied. ONE place to change.
 *
 * - Forums: the directory's argument-free `Jurisdiction.forumCoverage`, with its `history` (per
 *   fiscal year, the forums set up by its end and, from the meeting records, those of them that met
 *   in it), so a year counts only the forums set up by its end that held a meeting in it.
 * - Staff trained (STAFF_TRAINED): the training subgraph's argument-free
 *   `Jurisdiction.trainedStaffHistory` (cumulative at the end of each fiscal year, rolled up for
 *   prefecture codes), so a past year counts only the staff trained by its end.
 */
/** The directory's argument-free forum coverage (Jurisdiction.forumCoverage). */
const FORUM_COVERAGE =
  'forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum history { fiscalYear ownForum regionsWithForum municipalitiesWithForum ownForumMet regionsWithForumMet municipalitiesWithForumMet } }';

/** `@requires` of `Jurisdiction.evaluation(fiscalYear)`. */
export const JURISDICTION_REQUIRES = `${FORUM_COVERAGE} trainedStaffHistory { fiscalYear trainedStaff }`;

/** `@requires` of `NationalEvaluation.indicators`: the same fields for each of the 47 prefectures. */
export const NATION_REQUIRES = `prefectures { ${JURISDICTION_REQUIRES} }`;

/**
 * A jurisdiction's forum coverage for a fiscal year (from its `history`): the forums set up by the
 * year's end (a year after the last listed keeps its counts), and those of them that met in the year
 * (none in a year the directory does not list: no meeting is recorded before the first or after today).
 */
export function forumCoverageAt(coverage: ForumCoverage, fiscalYear: number): ForumCoverageCounts {
  const year = atYearEnd(coverage.history, fiscalYear);
  const same = year?.fiscalYear === fiscalYear ? year : undefined;
  return {
    ownForum: year?.ownForum ?? false,
    regions: coverage.regions,
    regionsWithForum: year?.regionsWithForum ?? 0,
    municipalities: coverage.municipalities,
    municipalitiesWithForum: year?.municipalitiesWithForum ?? 0,
    ownForumMet: same?.ownForumMet ?? false,
    regionsWithForumMet: same?.regionsWithForumMet ?? 0,
    municipalitiesWithForumMet: same?.municipalitiesWithForumMet ?? 0,
  };
}

/** Staff trained by the end of a fiscal year (from `trainedStaffHistory`); null when the training subgraph gave none. */
export function trainedStaffAt(history: readonly TrainedStaffAtYearEnd[] | null | undefined, fiscalYear: number): number | null {
  if (!history) return null;
  return atYearEnd(history, fiscalYear)?.trainedStaff ?? 0;
}
