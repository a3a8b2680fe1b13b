import { HOP_HEADER, signHop, PUBLIC_PRINCIPAL } from '@nimo/kit';
import { hopHeaders } from '@nimo/kit/testing';
import { startDirectory } from './helpers';

let hub: Awaited<ReturnType<typeof startDirectory>>;
beforeAll(async () => {
  hub = await startDirectory();
});
afterAll(() => hub.stop());

async function call(query: string, headers: Record<string, string>) {
  const response = await fetch(hub.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

const ENTITIES = '{ _entities(representations: [{ __typename: "Jurisdiction", code: "131016" }]) { ... on Jurisdiction { name } } }';
const SERVICE = '{ _service { sdl } }';

describe('the trusted hop: a subgraph answers the gateway only', () => {
  it.each([
    ['a query', '{ jurisdiction(code: "131016") { name } }'],
    ['an entity fetch by key', ENTITIES],
    ['the SDL', SERVICE],
  ])("refuses %s without the gateway's signature with 401 UNAUTHENTICATED", async (_name, query) => {
    const answer = await call(query, {});
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answer.body.data).toBeUndefined();
  });

  it('refuses a forged signature, a token from another key and garbage', async () => {
    const forged = await signHop({ ...PUBLIC_PRINCIPAL, role: 'nation' }, new TextEncoder().encode('x'.repeat(32)));
    for (const value of [forged, 'not-a-token', `${(await hopHeaders())[HOP_HEADER]}x`]) {
      const answer = await call(ENTITIES, { [HOP_HEADER]: value });
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers a request the gateway signed, with the principal it carries', async () => {
    const headers = await hopHeaders({ role: 'municipality', subject: 't', jurisdictionCodes: ['131016'], organizationId: null });
    const answer = await call(`{ viewer { role jurisdictionCodes } ${ENTITIES.slice(1, -1)} }`, headers);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ viewer: { role: 'MUNICIPALITY', jurisdictionCodes: ['131016'] }, _entities: [{ name: '千代田区' }] });
  });
});
