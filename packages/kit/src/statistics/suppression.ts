/**
 * The small-cell rule for published counts (NDB guideline: no published cell below 10; zero may be
 * shown). Counts from 1 to SUPPRESSION_THRESHOLD − 1 are hidden; `protectTable` (protection.ts)
 * hides what else it takes that no hidden count can be narrowed by the published relations. (The
 * earlier `suppressCells`, "no group with exactly one hidden member", was replaced by it: an LP
 * solver pinned hidden counts through it; issue 13.)
 */
export const SUPPRESSION_THRESHOLD = 10;
