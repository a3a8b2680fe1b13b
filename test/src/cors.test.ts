import { startGateway } from '@nimo/gateway';
import type { RunningServer } from '@nimo/kit';
import type { Browser } from 'playwright-core';
import { launchChromium, pageServer } from './browser';
import { startTestHub, type TestHub } from './hub';

// No figures are asked for here: a small consultation demo is enough.
process.env.CONSULTATION_DEMO_CASES = '500';

const QUERY = '{ jurisdiction(code: "131016") { name } }';

let hub: TestHub;
let gateway: RunningServer;
let browser: Browser;
let listed: Awaited<ReturnType<typeof pageServer>>;
let unlisted: Awaited<ReturnType<typeof pageServer>>;

/** What a page's script gets from calling the gateway with fetch, with the page's credentials and a bearer token. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>another site</title>
<script>
  window.callHub = async (endpoint, token) => {
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
        body: JSON.stringify({ query: ${JSON.stringify(QUERY)} }),
      });
      return { status: response.status, body: await response.json() };
    } catch (error) {
      return { error: String(error) };
    }
  };
</script>`;

beforeAll(async () => {
  hub = await startTestHub();
  [listed, unlisted] = await Promise.all([pageServer(PAGE), pageServer(PAGE)]);
  gateway = await startGateway({
    port: 0,
    subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s.url])),
    auth: hub.keys.auth,
    databaseUrl: null,
    corsOrigins: [listed?.origin ?? ''],
  });
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await Promise.all([listed?.close(), unlisted?.close()]);
  await hub?.stop();
});

async function fromPage(origin: { url: string }, endpoint: string): Promise<{ status?: number; body?: unknown; error?: string }> {
  const page = await browser.newPage();
  try {
    await page.goto(origin.url);
    const token = await hub.keys.sign({ role: 'nation' });
    return await page.evaluate(
      ([e, t]) => (globalThis as unknown as { callHub(e: string, t: string): Promise<{ status?: number; body?: unknown; error?: string }> }).callHub(e, t),
      [endpoint, token] as const,
    );
  } finally {
    await page.close();
  }
}

describe('CORS in a real browser (headless Chromium)', () => {
  it('lets a page of a listed origin call the gateway with credentials', async () => {
    const answer = await fromPage(listed, gateway.url);
    expect(answer).toEqual(expect.objectContaining({ status: 200, body: { data: { jurisdiction: { name: '千代田区' } } } }));
  });

  it('keeps the answer from a page of any other origin', async () => {
    const answer = await fromPage(unlisted, gateway.url);
    expect(answer.error).toMatch(/Failed to fetch/);
    expect(answer.status).toBeUndefined();
  });

  it('lets no other site call a gateway whose list is empty (production default)', async () => {
    const closed = await startGateway({
      port: 0,
      subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([n, s]) => [n, s.url])),
      auth: hub.keys.auth,
      databaseUrl: null,
      corsOrigins: [],
    });
    try {
      expect((await fromPage(listed, closed.url)).error).toMatch(/Failed to fetch/);
    } finally {
      await closed.close();
    }
  });
});

describe('CORS answers over HTTP', () => {
  const preflight = (origin: string, headers = 'content-type, authorization') =>
    fetch(gateway.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });

  it("answers a listed origin's preflight 204 with its origin, credentials, methods and headers", async () => {
    const response = await preflight(listed.origin, 'content-type, authorization, x-api-key, apollo-require-preflight');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(listed.origin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual(
      expect.arrayContaining(['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight']),
    );
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it("refuses another origin's preflight with 403 and no Access-Control header", async () => {
    const response = await preflight(unlisted.origin);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toMatch(/not in CORS_ORIGINS/);
    expect([...response.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it("adds the headers to a listed origin's answers only, and exposes the limit headers", async () => {
    const ask = (origin: string) =>
      fetch(gateway.url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
    const fromListed = await ask(listed.origin);
    expect(fromListed.status).toBe(200);
    expect(fromListed.headers.get('access-control-allow-origin')).toBe(listed.origin);
    expect(fromListed.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
    const fromOther = await ask(unlisted.origin);
    expect(fromOther.status).toBe(200); // a server-side client is not a browser: CORS does not refuse it
    expect([...fromOther.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('answers OPTIONS without an origin 204 with Allow (it used to be 400)', async () => {
    const response = await fetch(gateway.url, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, POST, OPTIONS');
  });

  it("allows the dashboard's development server by default outside production", async () => {
    const response = await fetch(hub.gateway.url, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});
