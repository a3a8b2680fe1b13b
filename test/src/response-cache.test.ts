import { startTestHub, type TestHub } from './hub';

/**
 * The gateway's opt-in response cache (RESPONSE_CACHE=1) with the subgraphs' cache hints on: an
 * answer is served again from the cache to the principal it was computed for, and never to another.
 */
let hub: TestHub;
const previousMaxAge = process.env.CACHE_MAX_AGE;
beforeAll(async () => {
  process.env.CACHE_MAX_AGE = '60';
  hub = await startTestHub({ responseCache: true });
}, 120_000);
afterAll(async () => {
  await hub.stop();
  if (previousMaxAge === undefined) delete process.env.CACHE_MAX_AGE;
  else process.env.CACHE_MAX_AGE = previousMaxAge;
});

const TOTTORI = '310000';
const HOKKAIDO = '010006';

async function ask(query: string, claims: Record<string, unknown>) {
  const response = await fetch(hub.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.keys.sign(claims)}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  return { body, fetches: response.headers.get('x-nimo-subgraph-fetches'), cacheControl: response.headers.get('cache-control') };
}

describe('response cache, per principal', () => {
  // Same user id, different jurisdictions: different rights, so different principals.
  const tottori = { role: 'prefecture', jurisdictions: [TOTTORI], sub: 'same-user' };
  const hokkaido = { role: 'prefecture', jurisdictions: [HOKKAIDO], sub: 'same-user' };

  it('serves a principal its own cached answer and another principal a different answer of its own', async () => {
    const query = `{ viewer { role jurisdictionCodes } trainingSummary: jurisdiction(code: "${TOTTORI}") { name trainedStaffTotal } }`;
    const first = await ask(query, tottori);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.viewer).toEqual({ role: 'PREFECTURE', jurisdictionCodes: [TOTTORI] });
    expect(first.fetches).not.toBe('');
    expect(first.cacheControl).toMatch(/private/);

    const again = await ask(query, tottori);
    expect(again.body).toEqual(first.body);
    expect(again.fetches).toBe(''); // no subgraph was asked: the answer came from the cache

    const other = await ask(query, hokkaido);
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data?.viewer).toEqual({ role: 'PREFECTURE', jurisdictionCodes: [HOKKAIDO] });
    expect(other.fetches).not.toBe('');
  });

  it('keys even public directory answers by principal', async () => {
    const query = `{ jurisdiction(code: "${HOKKAIDO}") { name nameKana } }`;
    const first = await ask(query, tottori);
    expect(first.fetches).not.toBe('');
    expect((await ask(query, tottori)).fetches).toBe('');
    expect((await ask(query, hokkaido)).fetches).not.toBe('');
  });

  it('verifies the credentials before the cache: an expired token is refused, not answered from the cache', async () => {
    const query = `{ jurisdiction(code: "${TOTTORI}") { name } }`;
    await ask(query, tottori);
    expect((await ask(query, tottori)).fetches).toBe('');
    const expired = await hub.keys.sign(tottori, { expiresIn: '-1m' });
    const response = await fetch(hub.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${expired}` },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('鳥取県');
  });

  it('never caches an answer with errors', async () => {
    // Training figures are for government staff: a vendor gets null with FORBIDDEN.
    const vendor = { role: 'vendor', sub: 'vendor-x' };
    const query = `{ jurisdiction(code: "${TOTTORI}") { name trainedStaffTotal } }`;
    const first = await ask(query, vendor);
    expect(first.body.errors).toBeDefined();
    expect(first.fetches).not.toBe('');
    const again = await ask(query, vendor);
    expect(again.body.errors).toBeDefined();
    expect(again.fetches).not.toBe('');
  });
});
