import { cellId, hiddenBounds, type CountTable } from '../statistics/protection';
import { SUPPRESSION_THRESHOLD } from '../statistics/suppression';

/**
 * The attacker of issue 13, with a linear-programming solver (HiGHS compiled to WebAssembly, the
 * `highs` npm package): knowing every published count of a table, every relation among them and
 * the bounds of each hidden count, what is the smallest and largest value each hidden count can
 * take? Independent of the construction in `protectTable`: it sees only the table, its relations
 * and which cells are hidden.
 */
export interface FeasibleRange {
  readonly cell: string;
  readonly min: number;
  readonly max: number;
  /** How many integer values the range holds (Infinity when unbounded). */
  readonly values: number;
}

interface Highs {
  solve(lp: string, options?: Record<string, unknown>): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal: number }> };
}

let solver: Promise<Highs> | undefined;
async function highs(): Promise<Highs> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- highs ships CommonJS without types
  solver ??= (require('highs') as (options?: unknown) => Promise<Highs>)();
  return solver;
}

interface Constraint {
  readonly terms: Map<string, number>;
  readonly sense: '=' | '>=';
  /** Right-hand side: Σ terms (sense) rhs. */
  readonly rhs: number;
}

/** Every published relation of the table, with the shown cells moved to the right-hand side; only those that involve a hidden cell. */
function constraintsOf(table: CountTable, hidden: ReadonlySet<string>): Constraint[] {
  const out: Constraint[] = [];
  const add = (cells: [string, string, number][], sense: '=' | '>=') => {
    const terms = new Map<string, number>();
    let rhs = 0;
    for (const [row, column, a] of cells) {
      const id = cellId(row, column);
      if (hidden.has(id)) terms.set(id, (terms.get(id) ?? 0) + a);
      else rhs -= a * table.value(row, column);
    }
    if (terms.size > 0) out.push({ terms, sense, rhs });
  };
  const children = new Map<string, string[]>();
  for (const [row, parent] of table.parents) if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), row]);
  for (const [parent, kids] of children) {
    for (const column of table.columns) add([[parent, column, 1], ...kids.map((k): [string, string, number] => [k, column, -1])], '=');
  }
  for (const row of table.parents.keys()) {
    for (const relation of table.relations)
      add(
        [...relation.coefficients].map(([column, a]): [string, string, number] => [row, column, a]),
        relation.sense,
      );
  }
  return out;
}

/** Connected groups of hidden cells (cells that share a constraint), so that each LP stays small. */
function components(hidden: readonly string[], constraints: readonly Constraint[]): { cells: string[]; constraints: Constraint[] }[] {
  const parent = new Map(hidden.map((h) => [h, h]));
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  for (const c of constraints) {
    const [first, ...rest] = [...c.terms.keys()];
    if (first === undefined) continue;
    for (const other of rest) parent.set(find(other), find(first));
  }
  const groups = new Map<string, { cells: string[]; constraints: Constraint[] }>();
  for (const h of hidden) {
    const root = find(h);
    const group = groups.get(root) ?? { cells: [], constraints: [] };
    group.cells.push(h);
    groups.set(root, group);
  }
  for (const c of constraints) {
    const first = c.terms.keys().next().value;
    if (first !== undefined) groups.get(find(first))?.constraints.push(c);
  }
  return [...groups.values()];
}

/** A small deterministic generator (the same objectives every run). */
function lcg(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(9));

/**
 * The feasible range of every hidden cell in the components that contain a cell of `rows` (all
 * rows when not given): minimise and maximise each cell. With `enough`, a cell is done as soon as the
 * solutions found so far (each a point every published relation and bound allows) set it apart by
 * `enough` values: its `min` and `max` are then values it can take, not its extremes. This proves the
 * same ("at least `enough` values") with far fewer LPs on the national table.
 */
export async function attackTable(
  table: CountTable,
  hidden: ReadonlySet<string>,
  options: { threshold?: number; rows?: ReadonlySet<string>; enough?: number } = {},
): Promise<FeasibleRange[]> {
  const threshold = options.threshold ?? SUPPRESSION_THRESHOLD;
  const solverInstance = await highs();
  const constraints = constraintsOf(table, hidden);
  const results: FeasibleRange[] = [];
  const rowOf = (id: string) => id.slice(0, id.indexOf('\u0001'));
  const valueOf = (id: string) => table.value(rowOf(id), id.slice(id.indexOf('\u0001') + 1));
  const count = (min: number, max: number) => (Number.isFinite(max) ? Math.floor(max + 1e-6) - Math.ceil(min - 1e-6) + 1 : Number.POSITIVE_INFINITY);
  for (const group of components([...hidden], constraints)) {
    if (options.rows && !group.cells.some((c) => options.rows?.has(rowOf(c)))) continue;
    const name = new Map(group.cells.map((c, i) => [c, `x${i}`]));
    const rowsText = group.constraints.map((c, i) => {
      const lhs = [...c.terms].map(([id, a]) => `${a >= 0 ? '+' : '-'} ${num(Math.abs(a))} ${name.get(id)}`).join(' ');
      return ` c${i}: ${lhs} ${c.sense} ${num(c.rhs)}`;
    });
    const bounds = group.cells.map((c) => {
      const [lo, hi] = hiddenBounds(valueOf(c), threshold);
      return Number.isFinite(hi) ? ` ${lo} <= ${name.get(c)} <= ${hi}` : ` ${name.get(c)} >= ${lo}`;
    });
    const body = `Subject To\n${rowsText.join('\n')}\nBounds\n${bounds.join('\n')}\nEnd`;
    // The true table is one feasible point; every solution found is another.
    const low = new Map(group.cells.map((c) => [c, valueOf(c)]));
    const high = new Map(low);
    const seen = (solution: Record<string, { Primal: number }>) => {
      for (const c of group.cells) {
        const x = solution[name.get(c) ?? '']?.Primal;
        if (x === undefined) continue;
        if (x < (low.get(c) ?? x)) low.set(c, x);
        if (x > (high.get(c) ?? x)) high.set(c, x);
      }
    };
    // First, points that push every cell still undecided up, and all of them down, together: on a
    // large component most cells are decided by a few such solutions.
    // Then points that push a random half of them up and the other half down (and the reverse): each
    // such pair of solutions settles cells the first rounds left at one end, until few are left.
    if (options.enough !== undefined) {
      const enough = options.enough;
      const random = lcg(group.cells.length);
      for (let round = 0; round < 40; round += 1) {
        const open = group.cells.filter((c) => count(low.get(c) ?? 0, high.get(c) ?? 0) < enough);
        if (open.length <= 1) break;
        const objective = open.map((c) => `${round < 4 || random() < 0.5 ? '+' : '-'} 1 ${name.get(c)}`).join(' ');
        for (const sense of ['Maximize', 'Minimize'] as const) {
          const answer = solverInstance.solve(`${sense}\n obj: ${objective}\n${body}`, { output_flag: false });
          if (answer.Status === 'Optimal') seen(answer.Columns);
        }
        const left = group.cells.filter((c) => count(low.get(c) ?? 0, high.get(c) ?? 0) < enough).length;
        if (round >= 4 && left > open.length * 0.9) break; // the random rounds no longer pay
      }
    }
    for (const cell of group.cells) {
      const solve = (sense: 'Minimize' | 'Maximize') => {
        if (options.enough !== undefined && count(low.get(cell) ?? 0, high.get(cell) ?? 0) >= options.enough) return;
        const answer = solverInstance.solve(`${sense}\n obj: + 1 ${name.get(cell)}\n${body}`, { output_flag: false });
        if (answer.Status === 'Unbounded') {
          if (sense === 'Maximize') high.set(cell, Number.POSITIVE_INFINITY);
          return;
        }
        if (answer.Status !== 'Optimal') throw new Error(`LP for ${cell}: ${answer.Status} (the true values should be feasible)`);
        seen(answer.Columns);
        if (sense === 'Minimize') low.set(cell, answer.ObjectiveValue);
        else high.set(cell, answer.ObjectiveValue);
      };
      solve('Maximize');
      solve('Minimize');
      const min = low.get(cell) ?? 0;
      const max = high.get(cell) ?? 0;
      results.push({ cell, min, max, values: count(min, max) });
    }
  }
  return results;
}
