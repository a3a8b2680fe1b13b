/**
 * The fields this subgraph needs from other subgraphs' `Jurisdiction`, fetched through federation
 * (`@external` + `@requires`), never copied. ONE place to change.
 *
 * Staff trained (STAFF_TRAINED) comes from the training subgraph's argument-free
 * `Jurisdiction.trainedStaffTotal: Int` (cumulative, rolled up for prefecture codes). That subgraph is
 * built on another branch; until it is composed with this one, the field cannot be declared here
 * (composition would fail on an @external field nobody provides), and the indicator is reported as
 * NOT_AVAILABLE with a note saying why. After merging the training subgraph, set
 * `TRAINED_STAFF_FROM_TRAINING = true`: that declares `trainedStaffTotal: Int @external` on this
 * subgraph's Jurisdiction (entities/jurisdiction.ts applies it) and adds it to both @requires below;
 * the evaluation code already reads it.
 */
export const TRAINED_STAFF_FROM_TRAINING = false;

/** The directory's argument-free forum coverage (Jurisdiction.forumCoverage). */
const FORUM_COVERAGE = 'forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum }';

/** `@requires` of `Jurisdiction.evaluation(fiscalYear)`. */
export const JURISDICTION_REQUIRES = TRAINED_STAFF_FROM_TRAINING ? `${FORUM_COVERAGE} trainedStaffTotal` : FORUM_COVERAGE;

/** `@requires` of `NationalEvaluation.indicators`: the same fields for each of the 47 prefectures. */
export const NATION_REQUIRES = `prefectures { ${JURISDICTION_REQUIRES} }`;

export const TRAINING_NOT_WIRED_NOTE =
  'Not available yet: staff trained comes from the training subgraph (Jurisdiction.trainedStaffTotal) through federation; ' +
  'it is not composed with this subgraph yet, and the hub does not copy or estimate the figure.';
