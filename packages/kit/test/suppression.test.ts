import { suppressCells } from '../src/statistics/suppression';

describe('small-cell suppression', () => {
  it('suppresses 1–9 but shows zero and 10+', () => {
    const s = suppressCells(new Map([['a', 0], ['b', 9], ['c', 10], ['d', 1]]), []);
    expect([...s].sort()).toEqual(['b', 'd']);
  });

  it('adds a complementary cell when one part of a shown total is hidden, choosing the smallest non-zero part', () => {
    const values = new Map([['total', 60], ['p1', 3], ['p2', 0], ['p3', 12], ['p4', 45]]);
    const s = suppressCells(values, [{ total: 'total', parts: ['p1', 'p2', 'p3', 'p4'] }]);
    expect([...s].sort()).toEqual(['p1', 'p3']);
  });

  it('hides a part when only the total is hidden (the parts would add up to it)', () => {
    const s = suppressCells(new Map([['t', 5], ['p1', 0], ['p2', 5]]), [{ total: 't', parts: ['p1', 'p2'] }]);
    expect(s.has('p2') && s.has('t')).toBe(true);
  });

  it('propagates through linked groups to a fixpoint (a 2-D table: rows and columns)', () => {
    // rows r1, r2 with columns x, y; column totals X, Y; row totals R1, R2; grand total G
    const values = new Map([['r1x', 4], ['r1y', 20], ['r2x', 30], ['r2y', 40], ['R1', 24], ['R2', 70], ['X', 34], ['Y', 60], ['G', 94]]);
    const groups = [
      { total: 'R1', parts: ['r1x', 'r1y'] },
      { total: 'R2', parts: ['r2x', 'r2y'] },
      { total: 'X', parts: ['r1x', 'r2x'] },
      { total: 'Y', parts: ['r1y', 'r2y'] },
      { total: 'G', parts: ['R1', 'R2'] },
      { total: 'G', parts: ['X', 'Y'] },
    ];
    const s = suppressCells(values, groups);
    for (const g of groups) expect([g.total, ...g.parts].filter((m) => s.has(m)).length).not.toBe(1);
    expect(s.has('r1x')).toBe(true);
  });
});
