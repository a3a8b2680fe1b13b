import { hopHeaders } from '@nimo/kit/testing';
import { startDirectory } from './helpers';

/**
 * The kit's cache hints, on the directory (a PUBLIC subgraph) with CACHE_MAX_AGE set: one
 * Cache-Control per answer, which the gateway's response cache follows.
 */
let hub: Awaited<ReturnType<typeof startDirectory>>;
const previous = process.env.CACHE_MAX_AGE;
beforeAll(async () => {
  process.env.CACHE_MAX_AGE = '60';
  hub = await startDirectory();
});
afterAll(async () => {
  await hub.stop();
  if (previous === undefined) delete process.env.CACHE_MAX_AGE;
  else process.env.CACHE_MAX_AGE = previous;
});

async function cacheControl(query: string): Promise<string | null> {
  const response = await fetch(hub.server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await hopHeaders({ role: 'prefecture', subject: 'p', jurisdictionCodes: ['310000'], organizationId: null })),
    },
    body: JSON.stringify({ query }),
  });
  await response.text();
  return response.headers.get('cache-control');
}

describe('cache hints', () => {
  it('lets a cache share a public answer for CACHE_MAX_AGE seconds', async () => {
    expect(await cacheControl('{ jurisdiction(code: "310000") { name } }')).toBe('max-age=60, public');
  });

  it('keeps an answer that depends on the principal private', async () => {
    expect(await cacheControl('{ viewer { role } jurisdiction(code: "310000") { name } }')).toBe('max-age=60, private');
  });

  it('forbids keeping an answer with errors, data or not', async () => {
    // Refused by a resolver (a malformed id), beside data that resolved.
    expect(await cacheControl('{ jurisdiction(code: "310000") { name } forum(id: "not-a-uuid") { id } }')).toBe('no-store');
    // Refused before execution (the LocalGovCode check digit).
    expect(await cacheControl('{ jurisdiction(code: "310001") { name } }')).toBe('no-store');
  });

  it("does not let one request's private answer make the next one private", async () => {
    await cacheControl('{ viewer { role } }');
    expect(await cacheControl('{ jurisdiction(code: "310000") { kind } }')).toBe('max-age=60, public');
  });
});
