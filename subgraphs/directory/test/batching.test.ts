import { jurisdictionRows } from '@nimo/kit';
import { post, startDirectory } from './helpers';

let hub: Awaited<ReturnType<typeof startDirectory>>;
beforeAll(async () => {
  hub = await startDirectory();
});
afterAll(() => hub.stop());

// Every list-to-entity field of Jurisdiction, Region, Forum and Organization at once.
const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Jurisdiction {
      code name kind isMunicipality
      prefecture { name }
      parent { code }
      children { code }
      region { id name municipalities { code } forum { id } }
      dailyLifeAreas { id organizations { id } }
      organizations { id jurisdiction { code } serviceAreas { code } dailyLifeAreas { id } }
      forum { id members { role organization { id } } }
      forumCoverage { ownForum regions regionsWithForum municipalities municipalitiesWithForum history { fiscalYear ownForumMet regionsWithForumMet municipalitiesWithForumMet } }
    }
  }
}`;

async function resolve(codes: string[]) {
  const representations = codes.map((code) => ({ __typename: 'Jurisdiction', code }));
  const answer = await post<{ _entities: ({ code: string } | null)[] }>(hub.server.url, ENTITIES, { representations });
  expect(answer.errors).toBeUndefined();
  return answer;
}

describe('batching', () => {
  it('resolves every jurisdiction as an entity reference in a constant number of SQL statements', async () => {
    const all = jurisdictionRows().map((r) => r.code);
    expect(all.length).toBeGreaterThan(1900);
    const sample = all.filter((_, i) => i % 100 === 0); // 20 of every kind and tier
    const few = await resolve(sample);
    const many = await resolve(all);
    expect(many.data?._entities).toHaveLength(all.length);
    expect(many.data?._entities.every((e) => e !== null)).toBe(true);
    // Counted at the driver: all ~1,970 references cost no more statements than 20 do (at most one
    // per loader and nesting level; fewer when a key is already in the request's cache). The forum
    // coverage, children and forums of jurisdictions, reused until the data changes, each read the
    // generation and on a miss wait for writers first (two statements more each).
    expect(few.sql).toBeLessThanOrEqual(21);
    expect(many.sql).toBeLessThanOrEqual(few.sql);
  });

  it('answers null for unknown and malformed references without failing the batch', async () => {
    const answer = await post<{ _entities: ({ code: string } | null)[] }>(
      hub.server.url,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Jurisdiction { code } ... on Organization { id } } }',
      {
        r: [
          { __typename: 'Jurisdiction', code: '131016' },
          { __typename: 'Jurisdiction', code: '471003' },
          { __typename: 'Jurisdiction', code: 'bogus' },
          { __typename: 'Organization', id: 'not-a-uuid' },
          { __typename: 'Organization', id: '00000000-0000-5000-8000-000000000000' },
        ],
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual([{ code: '131016' }, null, null, null, null]);
  });

  it('counts totalCount only when asked for', async () => {
    const nodes = await post(hub.server.url, '{ jurisdictions(first: 5) { nodes { code } } }');
    const counted = await post(hub.server.url, '{ jurisdictions(first: 5) { nodes { code } totalCount } }');
    expect(counted.sql).toBe(nodes.sql + 1);
  });
});
