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
 * figures use it; on their national table it costs 0.4–0.7 s of CPU per fiscal year at a million
 * cases (about 400,000 candidate moves evaluated), so they run it in a background job off the request
 * path and serve snapshots.
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
  /** The cells the move changes (by cell index), in the order the candidate first reaches them; empty unless built (see `evaluate`). */
  readonly cells: readonly number[];
  /** Each cell's change per unit of the move. */
  readonly factors: readonly number[];
  readonly up: number;
  readonly down: number;
  /** The change the move makes to the cell being protected, per unit. */
  readonly factor: number;
  /** The price of taking it: how many of its cells are still shown, and their total. */
  readonly cost: number;
  readonly weight: number;
}

/** A change of one row in columns (column, factor per unit), keeping every equality of the row. */
type Direction = readonly (readonly [column: number, factor: number])[];

/**
 * A candidate move: `leaf` changes by `direction` and `partner` (another leaf, or −1 for none) by its
 * opposite, each carried up its ancestry.
 */
interface Candidate {
  readonly leaf: number;
  readonly partner: number;
  readonly direction: Direction;
}

/** Offered a candidate move, says whether it has what it needs (stop). */
type Visit = (leaf: number, partner: number, direction: Direction) => boolean;
/** Offers candidate moves until the visitor stops it; whether it did. */
type Tier = (visit: Visit) => boolean;

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
  /** How many rows the two rows' ancestries share (from the row where they meet up to the root). */
  const sharedAncestry = (a: number, b: number): number => {
    const one = ancestry[a] ?? [];
    const two = ancestry[b] ?? [];
    let n = 0;
    while (n < one.length && n < two.length && one[one.length - 1 - n] === two[two.length - 1 - n]) n += 1;
    return n;
  };
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
  // The coefficient of each column in each relation it is in, in the order of `relationsOf`.
  const coefficientsOf: number[][] = table.columns.map(() => []);
  relations.forEach((relation, i) => {
    for (const [c, a] of relation.terms) {
      relationsOf[c]?.push(i);
      coefficientsOf[c]?.push(a);
    }
  });
  const N = relations.length;
  const equality = Uint8Array.from(relations, (relation) => (relation.equality ? 1 : 0));
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

  // The changes of the moves chosen so far for the cell being protected, in the point where it is
  // raised (`shiftUp`) and the one where it is lowered (`shiftDown`), by cell index; `shifted` lists
  // the cells set, to clear them for the next cell. Arrays over the whole table, not maps: `evaluate`
  // reads them for every cell and relation a candidate move touches, hundreds of thousands of times
  // on the national table.
  const shiftUp = new Float64Array(R * C);
  const shiftDown = new Float64Array(R * C);
  const shifted: number[] = [];
  const isShifted = new Uint8Array(R * C);
  // The move `evaluate` is building: its change per cell, and the cells in the order a map keyed by
  // cell would hold them (a cell whose change comes back to zero leaves it, and joins at the end if
  // it changes again): the order moves hide cells in, which decides what is hidden next.
  const change = new Float64Array(R * C);
  const changed: number[] = [];
  // Relations (row × relation) a move touches, each once (marked with the evaluation's number), and
  // the move's change of each (Σ coefficient × change of its cells), gathered as cells are carried.
  const relationMark = new Uint32Array(R * N);
  const relationChange = new Float64Array(R * N);
  const touched: number[] = [];
  let evaluation = 1;
  // Each relation's level (Σ coefficient × value) in the true table, and what the moves chosen so far
  // add to it in the raised and the lowered point: kept as the moves are taken, so that a relation a
  // candidate touches is checked without summing its terms. All are sums of integers, exact.
  const level = new Float64Array(R * N);
  const levelUp = new Float64Array(R * N);
  const levelDown = new Float64Array(R * N);
  relations.forEach((relation, i) => {
    for (let r = 0; r < R; r += 1) {
      let sum = 0;
      for (const [c, a] of relation.terms) sum += a * (value[r * C + c] ?? 0);
      level[r * N + i] = sum;
    }
  });

  /** Clears the move being built, for the next evaluation. */
  const clearChanges = (): void => {
    for (const cell of changed) change[cell] = 0;
    changed.length = 0;
    for (const key of touched) relationChange[key] = 0;
    touched.length = 0;
    evaluation += 1;
  };
  /** A move cannot go one step either way: of no use. */
  const stuck = (up: number, down: number) => up + 1e-9 < 1 && down + 1e-9 < 1;

  /**
   * Adds a change of one column of one leaf by a factor, carried up the leaf's ancestry, to the move
   * being built.
   */
  const carry = (leaf: number, column: number, factor: number, rows: number): void => {
    const inRelations = relationsOf[column] ?? [];
    const coefficients = coefficientsOf[column] ?? [];
    const chain = ancestry[leaf] ?? [];
    for (let at = 0; at < rows; at += 1) {
      const r = chain[at] ?? 0;
      const cell = r * C + column;
      for (let j = 0; j < inRelations.length; j += 1) {
        const key = r * N + (inRelations[j] ?? 0);
        if (relationMark[key] !== evaluation) {
          relationMark[key] = evaluation;
          touched.push(key);
        }
        relationChange[key] = (relationChange[key] ?? 0) + (coefficients[j] ?? 0) * factor;
      }
      const before = change[cell] ?? 0;
      const next = before + factor;
      if (Math.abs(next) < 1e-12) {
        change[cell] = 0;
        if (before !== 0) changed.splice(changed.indexOf(cell), 1);
      } else {
        if (before === 0) changed.push(cell);
        change[cell] = next;
      }
    }
  };

  /**
   * The candidate's move, if it can help protect `target`: null when it breaks an equality, does not
   * raise the target, or cannot go a step either way. `up` and `down` are how far it can go from the
   * points reached by the moves already chosen for the same cell. Its cells are listed only when it
   * costs nothing or `build` asks (most moves evaluated are priced and never taken).
   */
  const evaluate = (leaf: number, partner: number, direction: Direction, target: number, build: boolean): Move | null => {
    // From the row where the two leaves' branches meet up to the root, the partner's change undoes the
    // leaf's after every column of the direction: those cells never stay in the move (nor change a
    // relation), and skipping them leaves the order of the others as it was. Each leaf is carried
    // only below the meeting row.
    const own = ancestry[leaf]?.length ?? 0;
    const shared = partner >= 0 ? sharedAncestry(leaf, partner) : 0;
    for (const [column, factor] of direction) {
      carry(leaf, column, factor, own - shared);
      if (partner >= 0) carry(partner, column, -factor, (ancestry[partner]?.length ?? 0) - shared);
    }
    if (changed.length === 0 || (change[target] ?? 0) <= 0) {
      clearChanges();
      return null;
    }
    let up = Number.POSITIVE_INFINITY;
    let down = Number.POSITIVE_INFINITY;
    let cost = 0;
    let weight = 0;
    for (const cell of changed) {
      const k = change[cell] ?? 0;
      const v = at(cell);
      const hi = high(v);
      const vu = v + (shiftUp[cell] ?? 0);
      const vd = v + (shiftDown[cell] ?? 0);
      if (k > 0) {
        up = Math.min(up, (hi - vu) / k);
        down = Math.min(down, vd / k);
      } else {
        up = Math.min(up, vu / -k);
        down = Math.min(down, (hi - vd) / -k);
      }
      if (!hidden[cell]) {
        cost += 1;
        weight += v;
      }
    }
    if (stuck(up, down)) {
      clearChanges();
      return null;
    }
    for (const key of touched) {
      const delta = relationChange[key] ?? 0;
      if (equality[key % N]) {
        if (Math.abs(delta) > 1e-9) {
          clearChanges();
          return null;
        }
      } else if (delta < -1e-9) up = Math.min(up, ((level[key] ?? 0) + (levelUp[key] ?? 0)) / -delta);
      else if (delta > 1e-9) down = Math.min(down, ((level[key] ?? 0) + (levelDown[key] ?? 0)) / delta);
    }
    const listed = build || cost === 0;
    const move = stuck(up, down)
      ? null
      : {
          cells: listed ? changed.slice() : [],
          factors: listed ? changed.map((cell) => change[cell] ?? 0) : [],
          up: Math.max(0, Math.floor(up + 1e-9)),
          down: Math.max(0, Math.floor(down + 1e-9)),
          factor: change[target] ?? 0,
          cost,
          weight,
        };
    clearChanges();
    return move;
  };

  /** A row's leaves (they leave the most room) or children by their count in a column, largest first; cached. */
  const byCountOf = new Map<number, readonly number[]>();
  const byCount = (what: 'leaves' | 'children', r: number, column: number): readonly number[] => {
    const key = 2 * (r * C + column) + (what === 'leaves' ? 1 : 0);
    let sorted = byCountOf.get(key);
    if (!sorted) {
      sorted = [...(what === 'leaves' ? leaves(r) : (children[r] ?? []))].sort((a, b) => at(b * C + column) - at(a * C + column));
      byCountOf.set(key, sorted);
    }
    return sorted;
  };
  const sortedLeaves = (r: number, column: number) => byCount('leaves', r, column);
  const candidateLeaves = (r: number, column: number, limit: number): readonly number[] => sortedLeaves(r, column).slice(0, limit);
  /** The first `limit` of a sorted list of leaves that are not in `mine`, in order. */
  const firstOutside = (sorted: readonly number[], mine: ReadonlySet<number>, limit: number): number[] => {
    const out: number[] = [];
    for (const m of sorted) {
      if (out.length === limit) break;
      if (!mine.has(m)) out.push(m);
    }
    return out;
  };

  /** Follower sets a total may carry: none, each alone, all. */
  const followerSets = (total: number): number[][] => {
    const list = followers[total] ?? [];
    return list.length === 0 ? [[]] : [[], ...list.map((f) => [f]), [...list]];
  };
  /** The ways one row can change with `column` going up by one, keeping every equality of the row. */
  const directionsOf = new Map<number, Direction[]>();
  const directions = (column: number): Direction[] => {
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

  /**
   * Candidate moves for a cell, in tiers: partners near it first (siblings), then anywhere, then one
   * leaf alone up to the root. Each tier is generated as it is tried, and only until its visitor has
   * what it needs: most cells are protected by the first few moves of the first tier.
   */
  const candidates = (r: number, column: number): Tier[] => {
    const dirs = directions(column);
    const pairsOf = (leaf: number, partner: number, visit: Visit): boolean => {
      for (const direction of dirs) if (visit(leaf, partner, direction)) return true;
      return false;
    };
    const alone =
      (list: readonly number[]): Tier =>
      (visit) => {
        for (const m of list) if (pairsOf(m, -1, visit)) return true;
        return false;
      };
    const p = parent[r] ?? -1;
    if (p < 0) return [alone(candidateLeaves(r, column, 6))];
    const own = candidateLeaves(r, column, 2);
    // Up to 16 siblings, those whose cell is hidden already first (a move of hidden cells costs
    // nothing), each group the largest first.
    const near: Tier = (visit) => {
      const largest = byCount('children', p, column);
      const nearest: number[] = [];
      for (const free of [1, 0]) {
        for (const s of largest) {
          if (nearest.length === 16) break;
          if (s !== r && (hidden[s * C + column] ?? 0) === free) nearest.push(s);
        }
      }
      for (const s of nearest) {
        const largestLeaf = sortedLeaves(s, column)[0];
        if (largestLeaf !== undefined) for (const m of own) if (pairsOf(m, largestLeaf, visit)) return true;
      }
      return false;
    };
    // A partner anywhere outside this row's subtree (the move then runs through the ancestors up to
    // where the branches meet), the largest counts first, and every sibling leaf (the parent's leaves
    // by count, without the row's own: the same order as its siblings' leaves sorted); with more of the
    // row's own leaves, since a small count spread over several leaves moves a little in each. Last, a
    // change within one leaf carried all the way up to the root.
    const far: Tier = (visit) => {
      const mine = new Set(leaves(r));
      const more = candidateLeaves(r, column, 8);
      const partners = [...firstOutside(sortedLeaves(rootOf(r), column), mine, 24), ...firstOutside(sortedLeaves(p, column), mine, 24)];
      for (const m2 of partners) for (const m of more) if (pairsOf(m, m2, visit)) return true;
      return false;
    };
    return [near, far, alone(own)];
  };

  /**
   * Moves that together let the cell take `needed` + 1 values: the raised point is the true table
   * plus each chosen move taken as far up as it still goes, the lowered point each taken down, so both
   * points are feasible and the cell's range holds both. Moves of hidden cells first; then the cheapest
   * (fewest cells to hide, then smallest). Null when even hiding cannot give the range.
   */
  const protect = (r: number, column: number): Move[] | null => {
    const target = r * C + column;
    for (const cell of shifted.splice(0)) {
      shiftUp[cell] = 0;
      shiftDown[cell] = 0;
      isShifted[cell] = 0;
      const row = Math.floor(cell / C);
      for (const i of relationsOf[cell - row * C] ?? []) {
        levelUp[row * N + i] = 0;
        levelDown[row * N + i] = 0;
      }
    }
    const moves: Move[] = [];
    let range = 0;
    const take = (move: Move) => {
      const k = move.factor;
      if (k <= 0 || move.up + move.down === 0) return;
      move.cells.forEach((cell, i) => {
        const c = move.factors[i] ?? 0;
        if (!isShifted[cell]) {
          isShifted[cell] = 1;
          shifted.push(cell);
        }
        shiftUp[cell] = (shiftUp[cell] ?? 0) + c * move.up;
        shiftDown[cell] = (shiftDown[cell] ?? 0) - c * move.down;
        const row = Math.floor(cell / C);
        const column = cell - row * C;
        const coefficients = coefficientsOf[column] ?? [];
        (relationsOf[column] ?? []).forEach((relation, j) => {
          const a = coefficients[j] ?? 0;
          levelUp[row * N + relation] = (levelUp[row * N + relation] ?? 0) + a * c * move.up;
          levelDown[row * N + relation] = (levelDown[row * N + relation] ?? 0) - a * c * move.down;
        });
      });
      range += k * (move.up + move.down);
      moves.push(move);
    };
    for (const tier of candidates(r, column)) {
      const costly: (Candidate & { cost: number; weight: number })[] = [];
      const done = tier((leaf, partner, direction) => {
        const move = evaluate(leaf, partner, direction, target, false);
        if (!move) return false;
        if (move.cost === 0) take(move);
        else costly.push({ leaf, partner, direction, cost: move.cost, weight: move.weight });
        return range >= needed;
      });
      if (done) return moves;
      costly.sort((a, b) => a.cost - b.cost || a.weight - b.weight);
      for (const { leaf, partner, direction } of costly) {
        const move = evaluate(leaf, partner, direction, target, true);
        if (move) take(move);
        if (range >= needed) return moves;
      }
    }
    return null;
  };

  const isProtected = new Uint8Array(R * C);
  while (work.length > 0) {
    const cell = work.pop() as number;
    if (isProtected[cell]) continue;
    const r = Math.floor(cell / C);
    const moves = protect(r, cell - r * C);
    if (!moves) throw new Error(`protectTable: no move can protect cell ${rowNames[r]} ${table.columns[cell - r * C]}`);
    for (const move of moves) {
      for (const other of move.cells) {
        if (!hidden[other]) {
          hidden[other] = 1;
          work.push(other);
        }
      }
    }
    // Every cell the two points set apart by `needed` or more is protected by them too.
    for (const other of shifted) if (Math.abs((shiftUp[other] ?? 0) - (shiftDown[other] ?? 0)) >= needed) isProtected[other] = 1;
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
