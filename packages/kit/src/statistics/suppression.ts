/**
 * Small-cell suppression for published counts (NDB guideline: no published cell below 10; zero may
 * be shown), with complementary suppression so that no suppressed cell can be recovered by
 * subtracting the other numbers of the same answer.
 *
 * The caller describes every count it may publish together as cells, and every additive relation
 * among them as a group: `total = sum(parts)` (a breakdown that partitions a total, municipalities
 * that partition their prefecture, prefectures that partition the nation). Then:
 * 1. primary: each cell with 1 ≤ value < threshold is suppressed;
 * 2. complementary, to a fixpoint: any group in which exactly one member (a part or its total) is
 *    suppressed gets a second suppressed member — the smallest non-zero part still shown (else the
 *    smallest part, else the total) — so the group's equation has two unknowns.
 * Published groups then never isolate one suppressed value. Callers publish figures for periods
 * that do not overlap (the consultation subgraph: whole fiscal years only), since the difference of
 * two overlapping periods would be a cell of its own that no group protects.
 */
export const SUPPRESSION_THRESHOLD = 10;

export interface Group {
  readonly total: string;
  readonly parts: readonly string[];
}

/** The ids of the cells to suppress. Cells not in `values` count as 0. */
export function suppressCells(values: ReadonlyMap<string, number>, groups: readonly Group[], threshold = SUPPRESSION_THRESHOLD): Set<string> {
  const suppressed = new Set<string>();
  for (const [id, value] of values) if (value > 0 && value < threshold) suppressed.add(id);
  const valueOf = (id: string) => values.get(id) ?? 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      const members = [group.total, ...group.parts];
      if (members.filter((m) => suppressed.has(m)).length !== 1) continue;
      const shownParts = group.parts.filter((p) => !suppressed.has(p)).sort((a, b) => valueOf(a) - valueOf(b) || (a < b ? -1 : 1));
      const next = shownParts.find((p) => valueOf(p) > 0) ?? shownParts[0] ?? group.total;
      if (suppressed.has(next)) continue;
      suppressed.add(next);
      changed = true;
    }
  }
  return suppressed;
}
