import net from 'node:net';
import { startGateway } from '@nimo/gateway';
import { capturingLogger, gql, hangingServer, startTestHub, type TestHub } from './hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 300_000);
afterAll(() => hub.stop());

describe('through the gateway', () => {
  it('answers the README example', async () => {
    const answer = await gql(
      hub.gateway.url,
      `{
  jurisdiction(code: "131016") {
    name
    nameKana
    kind
    prefecture { name }
    region { name isDemo }
    forum { level members { role } }
    organizations(serviceKind: MUNICIPAL_MENTAL_HEALTH_DESK) { name openingHours { days opens closes } }
  }
}`,
    );
    expect(answer.body).toEqual({
      data: {
        jurisdiction: {
          name: '千代田区',
          nameKana: 'ちよだく',
          kind: 'SPECIAL_WARD',
          prefecture: { name: '東京都' },
          region: { name: '東京都第1圏域', isDemo: true },
          forum: {
            level: 'MUNICIPALITY',
            members: [
              { role: 'ADMINISTRATION' },
              { role: 'PSYCHIATRIC_MEDICAL_INSTITUTION' },
              { role: 'COMMUNITY_SUPPORT_PROVIDER' },
              { role: 'PERSON_WITH_LIVED_EXPERIENCE' },
              { role: 'FAMILY' },
              { role: 'PEER_SUPPORTER' },
              { role: 'HOUSING_SUPPORT' },
            ],
          },
          organizations: [
            {
              name: '千代田区障害福祉課 精神保健福祉相談窓口',
              openingHours: [{ days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], opens: '08:30', closes: '17:15' }],
            },
          ],
        },
      },
    });
  });

  it('pages through jurisdictions with totalCount', async () => {
    const answer = await gql<{ jurisdictions: { totalCount: number; nodes: { code: string }[] } }>(
      hub.gateway.url,
      '{ jurisdictions(first: 3, filter: { kinds: [DESIGNATED_CITY] }) { totalCount nodes { code } } }',
    );
    expect(answer.body.data?.jurisdictions).toEqual({ totalCount: 20, nodes: [{ code: '011002' }, { code: '041009' }, { code: '111007' }] });
  });

  it('rejects a bad code with BAD_USER_INPUT, as a literal and as a variable, and leaks nothing', async () => {
    const literal = await gql(hub.gateway.url, '{ jurisdiction(code: "131017") { name } }');
    expect(literal.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/check digit/), extensions: { code: 'BAD_USER_INPUT' } });
    const variable = await gql(hub.gateway.url, 'query ($c: LocalGovCode!) { jurisdiction(code: $c) { name } }', { c: 'abcdef' });
    expect(variable.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const answer of [literal, variable]) {
      expect(answer.text).not.toMatch(/127\.0\.0\.1|localhost|:\d{4,5}\/graphql|"response"|stack/);
    }
  });

  it('answers null for an unknown code', async () => {
    const answer = await gql(hub.gateway.url, '{ jurisdiction(code: "471003") { name } }');
    expect(answer.body).toEqual({ data: { jurisdiction: null } });
  });

  it('rejects a query for a field that does not exist with GRAPHQL_VALIDATION_FAILED', async () => {
    const answer = await gql(hub.gateway.url, '{ jurisdiction(code: "131016") { population } }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('gateway to subgraph', () => {
  it('reuses keep-alive connections instead of opening one per request', async () => {
    let connections = 0;
    const count = () => (connections += 1);
    hub.directory.server.on('connection', count);
    try {
      for (let i = 0; i < 20; i += 1) {
        const answer = await gql(hub.gateway.url, `{ jurisdiction(code: "131016") { name } n${i}: jurisdictions(first: 1) { totalCount } }`);
        expect(answer.body.errors).toBeUndefined();
      }
    } finally {
      hub.directory.server.off('connection', count);
    }
    expect(connections).toBeLessThanOrEqual(2);
  });
});

describe('HTTP front', () => {
  it('serves /health and /ready', async () => {
    const origin = new URL(hub.gateway.url).origin;
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      service: 'gateway',
      checks: { database: 'ok', directory: 'ok', consultation: 'ok', training: 'ok', 'adviser-support': 'ok' },
    });
  });

  it('prevents CSRF: a simple GET or a text/plain POST is refused', async () => {
    const get = await fetch(`${hub.gateway.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    // A form's media type is never read as GraphQL (415, see client-errors.test.ts).
    const post = await fetch(hub.gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    expect(post.status).toBe(415);
    const preflighted = await fetch(`${hub.gateway.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(preflighted.status).toBe(200);
  });

  it('refuses a request body over the size limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(hub.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }${' '.repeat(300 * 1024)}` }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves the explorer from local files only (no CDN)', async () => {
    const origin = new URL(hub.gateway.url).origin;
    const page = await (await fetch(`${origin}/`)).text();
    expect(page).toContain('/explorer/graphiql.js');
    expect(page).not.toMatch(/https?:\/\//);
    const assets = page.match(/(?:src|href)="([^"]+)"/g) ?? [];
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const path = asset.replace(/^(?:src|href)="|"$/g, '');
      expect(path.startsWith('/explorer/')).toBe(true);
      expect((await fetch(`${origin}${path}`)).status).toBe(200);
    }
  });
});

describe('failing subgraphs', () => {
  it('names the fields a subgraph that cannot be reached leaves out, without its address, and logs the detail', async () => {
    const { logger, lines } = capturingLogger();
    // A port nothing listens on (port 9 would not do: fetch refuses it as a "bad port" before connecting).
    const closed = await closedPort();
    const gateway = await startGateway({
      port: 0,
      subgraphUrls: { directory: `http://127.0.0.1:${closed}/graphql` },
      logger,
      explorer: false,
      auth: hub.keys.auth,
      databaseUrl: null,
    });
    try {
      const answer = await gql(gateway.url, '{ jurisdiction(code: "131016") { name } }');
      // A nullable root: a (partial) answer, 200.
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        data: { jurisdiction: null },
        errors: [
          {
            message: 'directory is unavailable; this field is missing from the answer.',
            path: ['jurisdiction'],
            extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'directory' },
          },
        ],
      });
      expect(answer.text).not.toMatch(new RegExp(`127\\.0\\.0\\.1|ECONNREFUSED|:${closed}/`));
      expect(JSON.stringify(lines)).toMatch(/ECONNREFUSED/);
      const ready = await fetch(new URL('/ready', gateway.url));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not ready', checks: { directory: 'unreachable' } });
    } finally {
      await gateway.close();
    }
  });

  it('answers 503 with Retry-After when a part that is down leaves nothing to answer; a partial answer stays 200', async () => {
    const closed = await closedPort();
    const subgraphUrls = {
      ...Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s.url])),
      'adviser-support': `http://127.0.0.1:${closed}/graphql`,
    };
    const gateway = await startGateway({
      port: 0,
      subgraphUrls,
      logger: capturingLogger().logger,
      explorer: false,
      auth: hub.keys.auth,
      databaseUrl: null,
      circuitResetMs: 3000,
    });
    try {
      // A nullable field of the missing subgraph: the directory's data is there, 200.
      const partial = await gql(gateway.url, '{ jurisdiction(code: "131016") { name } practiceCase(id: "00000000-0000-4000-8000-000000000000") { title } }');
      expect(partial.status).toBe(200);
      expect(partial.body.data).toEqual({ jurisdiction: { name: '千代田区' }, practiceCase: null });
      expect(partial.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      // A non-null root (a list) of the missing subgraph nulls the whole answer: nothing to use, 503.
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ jurisdiction(code: "131016") { name } evaluationIndicators { code } }' }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('3');
      expect(await response.json()).toEqual({
        data: null,
        errors: [
          {
            message: 'adviser-support is unavailable; this field is missing from the answer.',
            path: ['evaluationIndicators'],
            extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'adviser-support' },
          },
        ],
      });
      // A mistake of the client's in the same answer is not cured by a retry: 200 as before.
      const mixed = await gql(gateway.url, '{ evaluationIndicators { code } nationalConsultationSummary(fiscalYear: 2024) { fiscalYear } }');
      expect(mixed.body.data ?? null).toBeNull();
      expect(mixed.body.errors?.map((e) => e.extensions?.code).sort()).toEqual(['FORBIDDEN', 'SUBGRAPH_UNAVAILABLE']);
      expect(mixed.status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('gives up on a hung subgraph after the request timeout', async () => {
    const hung = await hangingServer();
    const { logger, lines } = capturingLogger();
    const gateway = await startGateway({
      port: 0,
      subgraphUrls: { directory: hung.url },
      timeoutMs: 500,
      explorer: false,
      auth: hub.keys.auth,
      databaseUrl: null,
      logger,
    });
    try {
      const started = Date.now();
      const answer = await gql(gateway.url, '{ jurisdiction(code: "131016") { name } }');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(answer.body.errors?.[0]).toMatchObject({ path: ['jurisdiction'], extensions: { code: 'SUBGRAPH_TIMEOUT', subgraph: 'directory' } });
      expect(answer.text).not.toMatch(/127\.0\.0\.1|abort/i);
      // The log keeps the real cause (a graphql-armor plugin used to replace it with its own TypeError).
      const logged = JSON.stringify(lines.filter((l) => /gave no answer/.test(String(l.msg))));
      expect(logged).toMatch(/timeout|aborted/i);
      expect(logged).not.toMatch(/Cannot set property/);
    } finally {
      await gateway.close();
      await hung.close();
    }
  });
});

/** A loopback port that was free a moment ago: a connection to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
