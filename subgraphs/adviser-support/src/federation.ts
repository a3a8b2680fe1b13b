/**
 * The fields this subgraph needs from other subgraphs' `Jurisdiction`, fetched through federation
 * (`@external` + `@requires`), never copied. ONE place to change.
 *
 * - Forums: the directory's argument-free `Jurisdiction.forumCoverage`.
 * - Staff trained (STAFF_TRAINED): the training subgraph's argument-free
 *   `Jurisdiction.trainedStaffTotal: Int` (cumulative, rolled up for prefecture codes).
 */
/** The directory's argument-free forum coverage (Jurisdiction.forumCoverage). */
const FORUM_COVERAGE = 'forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum }';

/** `@requires` of `Jurisdiction.evaluation(fiscalYear)`. */
export const JURISDICTION_REQUIRES = `${FORUM_COVERAGE} trainedStaffTotal`;

/** `@requires` of `NationalEvaluation.indicators`: the same fields for each of the 47 prefectures. */
export const NATION_REQUIRES = `prefectures { ${JURISDICTION_REQUIRES} }`;

