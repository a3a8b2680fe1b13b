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
 * The method is constructive and certifies itself: a hidden cell is protected when there are
 * **moves** — changes +d/−d of hidden cells only that keep every published relation true and every
 * cell within its bounds — that together let it range over at least `PROTECTION_VALUES` values. Each
 * move is built from two municipalities ("leaves") and one or a few columns of one relation (the 2×2
 * cycle of the hypercube method, GHMITER in τ-ARGUS), the change carried up to every ancestor until
 * the two branches meet (or, for the root, one leaf alone). Moves add up: the cell's raised point is
 * the true table plus each chosen move taken as far up as it goes from the point the earlier ones
 * reached, the lowered point likewise down; both points are integer tables that satisfy everything
 * published, so whatever an attacker solves (LP or integer programming), the cell's range holds both.
 * Moves of cells already hidden come first; when they are not enough, the cheapest ones (fewest cells
 * newly hidden, then smallest values) are made by hiding their cells — zeros included — and those
 * cells are protected in turn. Hiding more never narrows any range. Tests check the result with an
 * LP solver (HiGHS), independently of this construction; see docs/architecture.md. The consultation
 * figures use it; on their national table it costs 2-3 s of CPU per fiscal year, so they run it on a
 * worker thread (`protectTableOffThread`) off the request path and serve snapshots.
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
  /** Cell index → change per unit of the move. */
  readonly changes: Map<number, number>;
  readonly up: number;
  readonly down: number;
}

/** The changes of the moves chosen so far for one cell, in the point where it is raised and the one where it is lowered. */
interface Shifts {
  readonly up: Map<number, number>;
  readonly down: Map<number, number>;
}

/** A change of one column of one leaf by a factor; a move is a list of them, carried up each leaf's ancestry. */
type Atom = readonly [leaf: number, column: number, factor: number];

/**
 * The cells to hide: counts 1 to threshold − 1, and the complements that give each hidden cell its
 * protection. Cells are numbered (row × columns + column) so that the search stays cheap on the
 * national table (about 1,800 rows × 23 columns).
 */
export function protectTable(table: CountTable, options: ProtectionOptions = {}): Set<string> {
  const threshold = options.threshold ?? SUPPRESSION_THRESHOLD;
  const needed = (options.protectionValues ?? PROTECTION_VALUES) - 1;
  const rowNames = [...table.parents.keys()];
  const rowOf = new Map(rowNames.map((r, i) => [r, i]));
  const columnOf = new Map(table.columns.map((c, i) => [c, i]));
  const R = rowNames.length;
  const C = table.columns.length;
  const parent = Int32Array.from(rowNames, (r) => {
    const p = table.parents.get(r);
    return p === null || p === undefined ? -1 : (rowOf.get(p) ?? -1);
  });
  const children: number[][] = rowNames.map(() => []);
  parent.forEach((p, r) => {
    if (p >= 0) children[p]?.push(r);
  });
  const ancestry: number[][] = rowNames.map((_, r) => {
    const chain: number[] = [];
    for (let at = r; at >= 0; at = parent[at] ?? -1) chain.push(at);
    return chain;
  });
  const leavesOf: number[][] = [];
  const leaves = (r: number): number[] => {
    const known = leavesOf[r];
    if (known) return known;
    const kids = children[r] ?? [];
    const found = kids.length > 0 ? kids.flatMap(leaves) : [r];
    leavesOf[r] = found;
    return found;
  };
  const rootOf = (r: number): number => ancestry[r]?.at(-1) ?? r;
  const value = new Float64Array(R * C);
  for (let r = 0; r < R; r += 1) for (let c = 0; c < C; c += 1) value[r * C + c] = table.value(rowNames[r] ?? '', table.columns[c] ?? '');
  const at = (cell: number) => value[cell] ?? 0;
  const high = (v: number) => (v < threshold ? threshold - 1 : Number.POSITIVE_INFINITY);

  interface Relation {
    readonly terms: readonly (readonly [column: number, coefficient: number])[];
    readonly equality: boolean;
  }
  const relations: Relation[] = table.relations.map((relation) => ({
    terms: [...relation.coefficients].map(([column, a]): [number, number] => [columnOf.get(column) ?? -1, a]),
    equality: relation.sense === '=',
  }));
  const relationsOf: number[][] = table.columns.map(() => []);
  relations.forEach((relation, i) => {
    for (const [c] of relation.terms) relationsOf[c]?.push(i);
  });
  // Columns that can change together within one equality (with the factor that keeps it true).
  const mates: { column: number; factor: number }[][] = table.columns.map(() => []);
  const inEquality = new Set<number>();
  for (const relation of relations) {
    if (!relation.equality) continue;
    for (const [c, a] of relation.terms) {
      inEquality.add(c);
      for (const [d, b] of relation.terms) if (d !== c) mates[c]?.push({ column: d, factor: -a / b });
    }
  }
  const followers: number[][] = table.columns.map(() => []);
  const followerOf = new Map<number, number>();
  for (const [total, list] of table.followers ?? []) {
    const t = columnOf.get(total) ?? -1;
    for (const f of list) {
      const fc = columnOf.get(f) ?? -1;
      followers[t]?.push(fc);
      followerOf.set(fc, t);
    }
  }

  const hidden = new Uint8Array(R * C);
  const work: number[] = [];
  for (let cell = 0; cell < R * C; cell += 1) {
    const v = at(cell);
    if (v > 0 && v < threshold) {
      hidden[cell] = 1;
      work.push(cell);
    }
  }

  /**
   * The move made of atoms, carried up each leaf's ancestry; null when it breaks an equality. `up` and
   * `down` are how far it can go from the points reached by the moves already chosen for the same cell.
   */
  const evaluate = (atoms: readonly Atom[], shifts: Shifts): Move | null => {
    const changes = new Map<number, number>();
    for (const [leaf, column, factor] of atoms) {
      for (const r of ancestry[leaf] ?? []) {
        const cell = r * C + column;
        const next = (changes.get(cell) ?? 0) + factor;
        if (Math.abs(next) < 1e-12) changes.delete(cell);
        else changes.set(cell, next);
      }
    }
    if (changes.size === 0) return null;
    let up = Number.POSITIVE_INFINITY;
    let down = Number.POSITIVE_INFINITY;
    const touched = new Set<number>();
    for (const [cell, k] of changes) {
      const v = at(cell);
      const hi = high(v);
      const vu = v + (shifts.up.get(cell) ?? 0);
      const vd = v + (shifts.down.get(cell) ?? 0);
      if (k > 0) {
        up = Math.min(up, (hi - vu) / k);
        down = Math.min(down, vd / k);
      } else {
        up = Math.min(up, vu / -k);
        down = Math.min(down, (hi - vd) / -k);
      }
      const r = Math.floor(cell / C);
      for (const i of relationsOf[cell - r * C] ?? []) touched.add(r * relations.length + i);
    }
    for (const key of touched) {
      const r = Math.floor(key / relations.length);
      const relation = relations[key - r * relations.length];
      if (!relation) continue;
      let levelUp = 0;
      let levelDown = 0;
      let delta = 0;
      for (const [c, a] of relation.terms) {
        const cell = r * C + c;
        const v = at(cell);
        levelUp += a * (v + (shifts.up.get(cell) ?? 0));
        levelDown += a * (v + (shifts.down.get(cell) ?? 0));
        delta += a * (changes.get(cell) ?? 0);
      }
      if (relation.equality) {
        if (Math.abs(delta) > 1e-9) return null;
      } else if (delta < 0) up = Math.min(up, levelUp / -delta);
      else if (delta > 0) down = Math.min(down, levelDown / delta);
    }
    return { changes, up: Math.max(0, Math.floor(up + 1e-9)), down: Math.max(0, Math.floor(down + 1e-9)) };
  };

  /** A row's leaves by their count in a column, largest first (they leave the most room); cached. */
  const sortedLeaves = new Map<number, number[]>();
  const candidateLeaves = (r: number, column: number, limit: number): number[] => {
    const key = r * C + column;
    let sorted = sortedLeaves.get(key);
    if (!sorted) {
      sorted = [...leaves(r)].sort((a, b) => at(b * C + column) - at(a * C + column));
      sortedLeaves.set(key, sorted);
    }
    return sorted.slice(0, limit);
  };

  /** Follower sets a total may carry: none, each alone, all. */
  const followerSets = (total: number): number[][] => {
    const list = followers[total] ?? [];
    return list.length === 0 ? [[]] : [[], ...list.map((f) => [f]), [...list]];
  };
  /** The ways one row can change with `column` going up by one, keeping every equality of the row. */
  const directionsOf = new Map<number, (readonly [number, number])[][]>();
  const directions = (column: number): (readonly [number, number])[][] => {
    const known = directionsOf.get(column);
    if (known) return known;
    const out: (readonly [number, number])[][] = [];
    if (!inEquality.has(column)) {
      out.push([[column, 1]]);
      const total = followerOf.get(column);
      if (total !== undefined)
        for (const { column: other, factor } of mates[total] ?? [])
          out.push([
            [column, 1],
            [total, 1],
            [other, factor],
          ]);
    } else {
      for (const { column: other, factor } of mates[column] ?? []) {
        out.push([
          [column, 1],
          [other, factor],
        ]);
        for (const [total, k] of [
          [column, 1],
          [other, factor],
        ] as const) {
          for (const set of followerSets(total)) if (set.length > 0) out.push([[column, 1], [other, factor], ...set.map((f): [number, number] => [f, k])]);
        }
      }
    }
    directionsOf.set(column, out);
    return out;
  };

  /** Candidate moves for a cell, in tiers: partners near it first (siblings), then anywhere, then one leaf alone up to the root. */
  const candidates = (r: number, column: number): (() => Atom[][])[] => {
    const dirs = directions(column);
    const pairsOf = (m: number, m2: number | null): Atom[][] =>
      dirs.map((dir) => {
        const atoms: Atom[] = [];
        for (const [c, k] of dir) {
          atoms.push([m, c, k]);
          if (m2 !== null) atoms.push([m2, c, -k]);
        }
        return atoms;
      });
    const p = parent[r] ?? -1;
    if (p < 0) return [() => candidateLeaves(r, column, 6).flatMap((m) => pairsOf(m, null))];
    const own = candidateLeaves(r, column, 2);
    const siblings = (children[p] ?? []).filter((s) => s !== r);
    // Siblings whose cell is hidden already first (a move of hidden cells costs nothing), then the largest.
    const near = () =>
      siblings
        .map((s) => ({ s, free: hidden[s * C + column] ?? 0, v: at(s * C + column) }))
        .sort((a, b) => b.free - a.free || b.v - a.v)
        .slice(0, 16)
        .flatMap(({ s }) => own.flatMap((m) => candidateLeaves(s, column, 1).flatMap((m2) => pairsOf(m, m2))));
    // A partner anywhere outside this row's subtree (the move then runs through the ancestors up to
    // where the branches meet), the largest counts first, and every sibling leaf; with more of the row's
    // own leaves, since a small count spread over several leaves moves a little in each. Last, a change
    // within one leaf carried all the way up to the root.
    const far = () => {
      const mine = new Set(leaves(r));
      const outside = candidateLeaves(rootOf(r), column, Number.POSITIVE_INFINITY).filter((m) => !mine.has(m));
      const more = candidateLeaves(r, column, 8);
      const siblingLeaves = siblings.flatMap((s) => leaves(s)).sort((a, b) => at(b * C + column) - at(a * C + column));
      return [...outside.slice(0, 24), ...siblingLeaves.slice(0, 24)].flatMap((m2) => more.flatMap((m) => pairsOf(m, m2)));
    };
    return [near, far, () => own.flatMap((m) => pairsOf(m, null))];
  };

  /** Cells of a move that are still shown, and their total (the price of hiding them). */
  const price = (move: Move) => {
    let cost = 0;
    let weight = 0;
    for (const cell of move.changes.keys()) {
      if (!hidden[cell]) {
        cost += 1;
        weight += at(cell);
      }
    }
    return { cost, weight };
  };

  /**
   * Moves that together let the cell take `needed` + 1 values: the raised point is the true table
   * plus each chosen move taken as far up as it still goes, the lowered point each taken down, so both
   * points are feasible and the cell's range holds both. Moves of hidden cells first; then the cheapest
   * (fewest cells to hide, then smallest). Null when even hiding cannot give the range.
   */
  const protect = (r: number, column: number): { moves: Move[]; shifts: Shifts } | null => {
    const target = r * C + column;
    const shifts: Shifts = { up: new Map(), down: new Map() };
    const moves: Move[] = [];
    let range = 0;
    const take = (move: Move) => {
      const k = move.changes.get(target) ?? 0;
      if (k <= 0 || move.up + move.down === 0) return;
      for (const [cell, c] of move.changes) {
        shifts.up.set(cell, (shifts.up.get(cell) ?? 0) + c * move.up);
        shifts.down.set(cell, (shifts.down.get(cell) ?? 0) - c * move.down);
      }
      range += k * (move.up + move.down);
      moves.push(move);
    };
    for (const tier of candidates(r, column)) {
      const costly: { atoms: readonly Atom[]; cost: number; weight: number }[] = [];
      for (const atoms of tier()) {
        const move = evaluate(atoms, shifts);
        if (!move || move.up + move.down === 0 || (move.changes.get(target) ?? 0) <= 0) continue;
        const { cost, weight } = price(move);
        if (cost === 0) take(move);
        else costly.push({ atoms, cost, weight });
        if (range >= needed) return { moves, shifts };
      }
      costly.sort((a, b) => a.cost - b.cost || a.weight - b.weight);
      for (const { atoms } of costly) {
        const move = evaluate(atoms, shifts);
        if (move) take(move);
        if (range >= needed) return { moves, shifts };
      }
    }
    return null;
  };

  const isProtected = new Uint8Array(R * C);
  while (work.length > 0) {
    const cell = work.pop() as number;
    if (isProtected[cell]) continue;
    const r = Math.floor(cell / C);
    const found = protect(r, cell - r * C);
    if (!found) throw new Error(`protectTable: no move can protect cell ${rowNames[r]} ${table.columns[cell - r * C]}`);
    for (const move of found.moves) {
      for (const changed of move.changes.keys()) {
        if (!hidden[changed]) {
          hidden[changed] = 1;
          work.push(changed);
        }
      }
    }
    // Every cell the two points set apart by `needed` or more is protected by them too.
    for (const [changed, raised] of found.shifts.up) if (Math.abs(raised - (found.shifts.down.get(changed) ?? 0)) >= needed) isProtected[changed] = 1;
    isProtected[cell] = 1;
  }
  const out = new Set<string>();
  hidden.forEach((h, cell) => {
    if (h) {
      const r = Math.floor(cell / C);
      out.add(cellId(rowNames[r] ?? '', table.columns[cell - r * C] ?? ''));
    }
  });
  return out;
}
