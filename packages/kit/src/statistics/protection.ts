import { SUPPRESSION_THRESHOLD } from './suppression';

/**
 * Cell suppression that an attacker cannot undo with linear programming.
 *
 * The threat (issue 13): somebody who knows every count the API publishes for a fiscal year, at every
 * level, every relation among them (a total is the sum of its breakdown, a prefecture the sum of its
 * municipalities, …) and the bounds of each hidden count, solves for the smallest and largest value
 * each hidden count can take. Hiding counts 1–9 and "one more in each group" (the earlier rule) let
 * such an attacker pin dozens of hidden counts to one value.
 *
 * The rule here: every hidden count must keep at least {@link PROTECTION_VALUES} possible values.
 * The method is constructive and certifies itself: a hidden cell is protected when there is a
 * **move** — a change +d/−d of hidden cells only that keeps every published relation true and every
 * cell within its bounds — letting it range over at least `PROTECTION_VALUES` values. Each move is
 * built from two municipalities ("leaves") under sibling units and one or two columns of one
 * relation (the 2×2 cycle of the hypercube method, GHMITER in τ-ARGUS), the change carried up to
 * every ancestor until the two branches meet. Whatever an attacker solves, the move's values are
 * all feasible, so the attacker's range contains the move's. When no move of hidden cells exists,
 * the cheapest one (fewest cells newly hidden, then smallest values) is made by hiding its cells —
 * zeros included — and those cells are protected in turn. Hiding more never narrows any range.
 * Tests check the result with an LP solver (HiGHS), independently of this construction.
 *
 * Not yet what the consultation figures use (they still call `suppressCells`): on the national demo
 * data the move search still finds no move for a few cells (it throws rather than publish them),
 * so switching over waits for a wider search; see docs/architecture.md.
 */


/**
 * A hidden count can never be narrowed to fewer than this many values (5: a protection interval
 * of half the ten values 0–9 that the small-cell rule hides, so that a hidden 1 cannot be told from
 * a 4 or 5; statistical offices set protection levels the same way, as a share of the range).
 */
export const PROTECTION_VALUES = 5;

/** A linear relation among the columns of every row: Σ coefficient × value (= or ≥) 0. */
export interface RowRelation {
  readonly coefficients: ReadonlyMap<string, number>;
  readonly sense: '=' | '>=';
}

/** A table of counts: rows in a hierarchy (children partition their parent in every column), columns, relations within a row. */
export interface CountTable {
  /** Each row's parent; null for the root (the nation). */
  readonly parents: ReadonlyMap<string, string | null>;
  readonly columns: readonly string[];
  readonly relations: readonly RowRelation[];
  /** A cell's true count (0 when there is none). */
  value(row: string, column: string): number;
  /**
   * Columns that count sub-sets of a total column with overlaps (a case's needs: each at most the
   * cases, together at least them), by that total: a move may carry them along with their total.
   */
  readonly followers?: ReadonlyMap<string, readonly string[]>;
}

/** The id of a cell, as {@link protectTable} returns them. */
export const cellId = (row: string, column: string): string => `${row}\u0001${column}`;

export interface ProtectionOptions {
  readonly threshold?: number;
  readonly protectionValues?: number;
}

/** The a-priori bounds an attacker is granted for a hidden cell: [0, threshold − 1] for a small count (zeros hidden too look alike), else [0, ∞). */
export function hiddenBounds(value: number, threshold = SUPPRESSION_THRESHOLD): readonly [number, number] {
  return [0, value < threshold ? threshold - 1 : Number.POSITIVE_INFINITY];
}

interface Move {
  readonly changes: Map<string, number>;
  readonly up: number;
  readonly down: number;
}

/** The cells to hide: counts 1 to threshold − 1, and the complements that give each hidden cell its protection. */
export function protectTable(table: CountTable, options: ProtectionOptions = {}): Set<string> {
  const threshold = options.threshold ?? SUPPRESSION_THRESHOLD;
  const needed = (options.protectionValues ?? PROTECTION_VALUES) - 1;
  const { parents, columns, relations } = table;

  const children = new Map<string, string[]>();
  for (const [row, parent] of parents) if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), row]);
  const leavesUnder = new Map<string, string[]>();
  const leaves = (row: string): string[] => {
    const known = leavesUnder.get(row);
    if (known) return known;
    const kids = children.get(row);
    const found = kids ? kids.flatMap(leaves) : [row];
    leavesUnder.set(row, found);
    return found;
  };
  const ancestry = (row: string): string[] => {
    const chain: string[] = [];
    for (let at: string | null | undefined = row; at !== null && at !== undefined; at = parents.get(at)) chain.push(at);
    return chain;
  };
  const rootOf = (row: string): string => ancestry(row).at(-1) ?? row;
  const split = (id: string): [string, string] => {
    const at = id.indexOf('\u0001');
    return [id.slice(0, at), id.slice(at + 1)];
  };
  const valueOf = (id: string) => {
    const [row, column] = split(id);
    return table.value(row, column);
  };

  // Columns that can change together within one equality (with the factor that keeps it true).
  const mates = new Map<string, { column: string; factor: number }[]>();
  const inEquality = new Set<string>();
  for (const relation of relations) {
    if (relation.sense !== '=') continue;
    for (const [c, a] of relation.coefficients) {
      inEquality.add(c);
      for (const [d, b] of relation.coefficients) if (d !== c) mates.set(c, [...(mates.get(c) ?? []), { column: d, factor: -a / b }]);
    }
  }

  const relationsOf = new Map<string, RowRelation[]>();
  for (const relation of relations) for (const column of relation.coefficients.keys()) relationsOf.set(column, [...(relationsOf.get(column) ?? []), relation]);

  const hidden = new Set<string>();
  for (const row of parents.keys()) {
    for (const column of columns) {
      const v = table.value(row, column);
      if (v > 0 && v < threshold) hidden.add(cellId(row, column));
    }
  }

  /** The move made of atoms (leaf, column, factor), carried up each leaf's ancestry; null when it breaks an equality. */
  const evaluate = (atoms: readonly [string, string, number][]): Move | null => {
    const changes = new Map<string, number>();
    const rows = new Set<string>();
    for (const [leaf, column, factor] of atoms) {
      for (const row of ancestry(leaf)) {
        const id = cellId(row, column);
        const next = (changes.get(id) ?? 0) + factor;
        if (Math.abs(next) < 1e-12) changes.delete(id);
        else changes.set(id, next);
        rows.add(row);
      }
    }
    if (changes.size === 0) return null;
    let up = Number.POSITIVE_INFINITY;
    let down = Number.POSITIVE_INFINITY;
    for (const [id, k] of changes) {
      const v = valueOf(id);
      const [lo, hi] = hiddenBounds(v, threshold);
      if (k > 0) {
        up = Math.min(up, (hi - v) / k);
        down = Math.min(down, (v - lo) / k);
      } else {
        up = Math.min(up, (v - lo) / -k);
        down = Math.min(down, (hi - v) / -k);
      }
    }
    for (const row of rows) {
      const touched = new Set<RowRelation>();
      for (const column of columns) if (changes.has(cellId(row, column))) for (const r of relationsOf.get(column) ?? []) touched.add(r);
      for (const relation of touched) {
        let level = 0;
        let delta = 0;
        for (const [column, a] of relation.coefficients) {
          level += a * table.value(row, column);
          delta += a * (changes.get(cellId(row, column)) ?? 0);
        }
        if (relation.sense === '=') {
          if (Math.abs(delta) > 1e-9) return null;
        } else if (delta < 0) up = Math.min(up, level / -delta);
        else if (delta > 0) down = Math.min(down, level / delta);
      }
    }
    return { changes, up: Math.floor(up + 1e-9), down: Math.floor(down + 1e-9) };
  };

  /** Leaves to try under a row: the largest counts in the column first (they leave the most room). */
  const candidateLeaves = (row: string, column: string, limit: number): string[] =>
    [...leaves(row)].sort((a, b) => table.value(b, column) - table.value(a, column)).slice(0, limit);

  const followerOf = new Map<string, string>();
  for (const [total, list] of table.followers ?? []) for (const f of list) followerOf.set(f, total);
  /** Follower sets a total may carry: none, each alone, all. */
  const followerSets = (total: string): string[][] => {
    const list = table.followers?.get(total) ?? [];
    return list.length === 0 ? [[]] : [[], ...list.map((f) => [f]), [...list]];
  };
  /** The ways one row can change with `column` going up by one, keeping every equality of the row. */
  const directions = (column: string): Map<string, number>[] => {
    const out: Map<string, number>[] = [];
    if (!inEquality.has(column)) {
      out.push(new Map([[column, 1]]));
      const total = followerOf.get(column);
      if (total !== undefined) for (const { column: other, factor } of mates.get(total) ?? []) out.push(new Map([[column, 1], [total, 1], [other, factor]]));
      return out;
    }
    for (const { column: other, factor } of mates.get(column) ?? []) {
      out.push(new Map([[column, 1], [other, factor]]));
      for (const [total, k] of [[column, 1], [other, factor]] as const) {
        for (const set of followerSets(total)) if (set.length > 0) out.push(new Map([[column, 1], [other, factor], ...set.map((f): [string, number] => [f, k])]));
      }
    }
    return out;
  };

  const bestMove = (row: string, column: string): Move | null => {
    const dirs = directions(column);
    const pairsOf = (m: string, m2: string | null) =>
      dirs.map((dir) => {
        const atoms: [string, string, number][] = [];
        for (const [c, k] of dir) {
          atoms.push([m, c, k]);
          if (m2 !== null) atoms.push([m2, c, -k]);
        }
        return atoms;
      });
    const pick = (partners: (readonly [string, string, number][])[]): Move | null => {
      let best: { move: Move; cost: number; weight: number } | null = null;
      for (const atoms of partners) {
        const move = evaluate(atoms);
        if (!move || move.up + move.down < needed) continue;
        let cost = 0;
        let weight = 0;
        for (const id of move.changes.keys()) {
          if (!hidden.has(id)) {
            cost += 1;
            weight += valueOf(id);
          }
        }
        if (cost === 0) return move;
        if (!best || cost < best.cost || (cost === best.cost && weight < best.weight)) best = { move, cost, weight };
      }
      return best?.move ?? null;
    };
    const parent = parents.get(row) ?? null;
    if (parent === null) return pick(candidateLeaves(row, column, 6).flatMap((m) => pairsOf(m, null)));
    const own = candidateLeaves(row, column, 2);
    // Siblings whose cell is hidden already first (a move of hidden cells costs nothing), then the largest.
    const siblings = (children.get(parent) ?? [])
      .filter((s) => s !== row)
      .map((s) => ({ s, free: hidden.has(cellId(s, column)), v: table.value(s, column) }))
      .sort((a, b) => Number(b.free) - Number(a.free) || b.v - a.v)
      .slice(0, 16)
      .map(({ s }) => s);
    const near = pick(siblings.flatMap((s) => own.flatMap((m) => candidateLeaves(s, column, 1).flatMap((m2) => pairsOf(m, m2)))));
    if (near) return near;
    // No sibling leaves room: a partner anywhere outside this row's subtree (the move then runs through
    // the ancestors up to where the branches meet), the largest counts first; then every sibling leaf.
    const mine = new Set(leaves(row));
    const far = [...leaves(rootOf(row))].filter((m) => !mine.has(m)).sort((a, b) => table.value(b, column) - table.value(a, column));
    // Last, a change within one municipality carried all the way up to the nation.
    return pick([
      ...[...far.slice(0, 48), ...(children.get(parent) ?? []).filter((s) => s !== row).flatMap((s) => leaves(s))].flatMap((m2) => own.flatMap((m) => pairsOf(m, m2))),
      ...own.flatMap((m) => pairsOf(m, null)),
    ]);
  };

  const protectedCells = new Set<string>();
  const work = [...hidden];
  while (work.length > 0) {
    const id = work.pop() as string;
    if (protectedCells.has(id)) continue;
    const [row, column] = split(id);
    const move = bestMove(row, column);
    if (!move) throw new Error(`protectTable: no move can protect cell ${row} ${column}`);
    for (const cell of move.changes.keys()) {
      protectedCells.add(cell);
      if (!hidden.has(cell)) {
        hidden.add(cell);
        work.push(cell);
      }
    }
  }
  return hidden;
}
