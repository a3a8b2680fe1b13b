import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { DirectoryClient, servesJurisdiction, type OrganizationFacts } from '../src/graphql/directory-client';
import { HOP_HEADER, verifyHop } from '../src/auth/hop';
import type { Principal } from '../src/auth/principal';

/**
 * The directory client over real HTTP: what it sends (a signed `_entities` request), what it
 * remembers, and how it refuses when the directory cannot answer. The answers of the real directory
 * are checked end to end (test/src/references.test.ts).
 */
const key = new TextEncoder().encode(randomBytes(32).toString('hex'));
const principal: Principal = { role: 'municipality', subject: 'kit-test', jurisdictionCodes: ['131016'], organizationId: null };
const DESK = randomUUID();

interface Peer {
  url: string;
  requests: { principal: Principal; ids: string[] }[];
  close(): Promise<void>;
}

/** An HTTP peer answering `_entities` for one known organisation, or in the way `mode` says. */
async function peer(mode: 'answer' | 'hang' | 'fail'): Promise<Peer> {
  const requests: Peer['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    if (mode === 'hang') return;
    if (mode === 'fail') {
      res.writeHead(500).end('boom at 10.0.0.7');
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        const hopPrincipal = await verifyHop(req.headers[HOP_HEADER], key);
        const { variables } = JSON.parse(body) as { variables: { representations: { id: string }[] } };
        const ids = variables.representations.map((r) => r.id);
        requests.push({ principal: hopPrincipal, ids });
        const entities = ids.map((id) =>
          id === DESK
            ? {
                id,
                services: ['MUNICIPAL_MENTAL_HEALTH_DESK'],
                jurisdiction: { code: '131016', prefecture: { code: '130001' } },
                serviceAreas: [{ code: '131016' }],
              }
            : null,
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _entities: entities } }));
      })();
    });
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('DirectoryClient', () => {
  it('asks with the writer principal signed as a hop, remembers what it found, and asks again for what it did not', async () => {
    const directory = await peer('answer');
    try {
      const client = new DirectoryClient({ url: directory.url, key, cacheMs: 60_000 });
      const unknown = randomUUID();
      const first = await client.organizations([DESK, unknown], principal, 'input.deskId');
      expect(first.get(DESK)?.services).toEqual(['MUNICIPAL_MENTAL_HEALTH_DESK']);
      expect(first.get(unknown)).toBeNull();
      await client.organizations([DESK, unknown], principal, 'input.deskId');
      expect(directory.requests.map((r) => r.ids)).toEqual([[DESK, unknown], [unknown]]);
      expect(directory.requests[0]?.principal).toMatchObject({ role: 'municipality', subject: 'kit-test', jurisdictionCodes: ['131016'] });
    } finally {
      await directory.close();
    }
  });

  it('refuses what does not exist or does not fit with BAD_USER_INPUT naming the argument', async () => {
    const directory = await peer('answer');
    try {
      const client = new DirectoryClient({ url: directory.url, key });
      const refused = (p: Promise<unknown>) =>
        p.then(
          () => null,
          (e: unknown) => e as GraphQLError,
        );
      const missing = await refused(client.requireOrganization(principal, randomUUID(), { argument: 'input.deskId', what: 'a consultation desk' }));
      expect(missing?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.deskId' });
      const wrongKind = await refused(
        client.requireOrganization(principal, DESK, { argument: 'input.toOrganizationId', what: 'a Hello Work', services: ['HELLO_WORK'] }),
      );
      expect(wrongKind?.message).toMatch(/is not a Hello Work: it provides MUNICIPAL_MENTAL_HEALTH_DESK/);
      const elsewhere = await refused(client.requireOrganization(principal, DESK, { argument: 'input.deskId', what: 'a desk', serves: '131130' }));
      expect(elsewhere?.message).toMatch(/does not serve 131130/);
      await expect(
        client.requireOrganization(principal, DESK, { argument: 'input.deskId', what: 'a desk', services: ['MUNICIPAL_MENTAL_HEALTH_DESK'], serves: '131016' }),
      ).resolves.toMatchObject({ id: DESK });
    } finally {
      await directory.close();
    }
  });

  it.each([
    ['does not answer in time', 'hang' as const, /did not answer in time/],
    ['answers with a server error', 'fail' as const, /answered HTTP 500/],
  ])('refuses with a retriable SUBGRAPH_UNAVAILABLE when the directory %s, without its detail', async (_what, mode, reason) => {
    const directory = await peer(mode);
    try {
      const client = new DirectoryClient({ url: directory.url, key, timeoutMs: 300 });
      const error = await client.organizations([DESK], principal, 'input.deskId').then(
        () => null,
        (e: unknown) => e as GraphQLError,
      );
      expect(error).toBeInstanceOf(GraphQLError);
      expect(error?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'directory' });
      expect(error?.message).toMatch(reason);
      expect(error?.message).not.toMatch(/10\.0\.0\.7|127\.0\.0\.1/);
    } finally {
      await directory.close();
    }
  });

  it('refuses with SUBGRAPH_UNAVAILABLE when nothing listens', async () => {
    const directory = await peer('answer');
    await directory.close();
    const client = new DirectoryClient({ url: directory.url, key });
    await expect(client.organizations([DESK], principal, 'input.deskId')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
  });
});

describe('servesJurisdiction', () => {
  const facts = (jurisdictionCode: string, serviceAreaCodes: string[]): OrganizationFacts => ({
    id: DESK,
    services: [],
    jurisdictionCode,
    prefectureCode: '130001',
    serviceAreaCodes,
  });
  it('holds where it is located, where it serves, and under a jurisdiction it serves whole', () => {
    expect(servesJurisdiction(facts('131016', []), '131016')).toBe(true);
    expect(servesJurisdiction(facts('130001', ['131016', '131024']), '131024')).toBe(true);
    // A prefecture-wide body serves every municipality of the prefecture; a designated city's body its wards.
    expect(servesJurisdiction(facts('130001', ['130001']), '131130')).toBe(true);
    expect(servesJurisdiction(facts('141003', ['141003']), '141011')).toBe(true);
    expect(servesJurisdiction(facts('131016', ['131016']), '131130')).toBe(false);
    // Located in the prefecture is not serving all of it.
    expect(servesJurisdiction(facts('130001', []), '131130')).toBe(false);
  });
});
