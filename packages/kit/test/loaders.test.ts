import { groupLoader, loadPresent, rowLoader } from '../src/graphql/loaders';

describe('DataLoader helpers', () => {
  it('turns many loads in one tick into one fetch, in key order, null for unknown keys', async () => {
    const calls: string[][] = [];
    const loader = rowLoader(
      async (keys: readonly string[]) => {
        calls.push([...keys]);
        return keys
          .filter((k) => k !== 'x')
          .map((k) => ({ id: k, name: k.toUpperCase() }))
          .reverse();
      },
      (row) => row.id,
    );
    const results = await Promise.all(['a', 'b', 'x', 'c'].map((k) => loader.load(k)));
    expect(results.map((r) => r?.name ?? null)).toEqual(['A', 'B', null, 'C']);
    expect(calls).toHaveLength(1);
    expect(await loadPresent(loader, ['c', 'x', 'a'])).toEqual([
      { id: 'c', name: 'C' },
      { id: 'a', name: 'A' },
    ]);
    expect(calls).toHaveLength(1); // served from the request's cache
  });

  it('groups rows per key, with an empty list for keys without rows', async () => {
    let fetches = 0;
    const loader = groupLoader(
      async (keys: readonly number[]) => {
        fetches += 1;
        return [
          { parent: 1, n: 'a' },
          { parent: 2, n: 'b' },
          { parent: 1, n: 'c' },
        ].filter((r) => keys.includes(r.parent));
      },
      (row) => row.parent,
    );
    const [one, two, three] = await Promise.all([loader.load(1), loader.load(2), loader.load(3)]);
    expect(one.map((r) => r.n)).toEqual(['a', 'c']);
    expect(two.map((r) => r.n)).toEqual(['b']);
    expect(three).toEqual([]);
    expect(fetches).toBe(1);
  });
});
