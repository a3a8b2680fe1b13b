import { ROLES } from '@nimo/kit';
import { gql, startTestHub, type TestHub } from './hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const VIEWER = '{ viewer { role jurisdictionCodes organizationId } }';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const ORG = '00000000-0000-5000-8000-000000000001';

const CLAIMS: Record<(typeof ROLES)[number], Record<string, unknown>> = {
  nation: { role: 'nation' },
  adviser: { role: 'adviser' },
  prefecture: { role: 'prefecture', jurisdictions: ['130001'] },
  health_centre: { role: 'health_centre', jurisdictions: ['130001'], org: ORG },
  mhw_centre: { role: 'mhw_centre', jurisdictions: ['130001'], org: ORG },
  municipality: { role: 'municipality', jurisdictions: ['131016'] },
  provider: { role: 'provider', org: ORG },
  vendor: { role: 'vendor' },
};

describe('authentication at the gateway', () => {
  it('treats a request without credentials as the public principal', async () => {
    const answer = await gql(hub.gateway.url, VIEWER);
    expect(answer.body.data).toEqual({ viewer: { role: 'PUBLIC', jurisdictionCodes: [], organizationId: null } });
  });

  it('maps a verified token (ES256 or RS256) to its principal and forwards it to the subgraph', async () => {
    for (const key of ['es', 'rs'] as const) {
      const token = await hub.keys.sign({ role: 'municipality', jurisdictions: ['131016'] }, { key });
      const answer = await gql(hub.gateway.url, VIEWER, undefined, bearer(token));
      expect(answer.body.data).toEqual({ viewer: { role: 'MUNICIPALITY', jurisdictionCodes: ['131016'], organizationId: null } });
    }
  });

  const refusals: [string, () => Promise<Record<string, string>>, RegExp][] = [
    ['an expired token', async () => bearer(await hub.keys.sign({ role: 'nation' }, { expiresIn: '-1m' })), /expired/],
    ['a token not yet valid', async () => bearer(await hub.keys.sign({ role: 'nation' }, { notBefore: '10m' })), /nbf/],
    ['a token for another audience', async () => bearer(await hub.keys.sign({ role: 'nation' }, { audience: 'someone-else' })), /aud/],
    ['a token from another issuer', async () => bearer(await hub.keys.sign({ role: 'nation' }, { issuer: 'https://evil.example' })), /iss/],
    ['a token signed by an unknown key', async () => bearer(await hub.keys.sign({ role: 'nation' }, { key: 'unknown' })), /unknown key/],
    [
      'a tampered token',
      async () => {
        const [header, , signature] = (await hub.keys.sign({ role: 'vendor' })).split('.');
        const payload = Buffer.from(JSON.stringify({ role: 'nation', iss: 'https://idp.test.nimo', aud: 'nimo-hub', exp: 9999999999 })).toString('base64url');
        return bearer(`${header}.${payload}.${signature}`);
      },
      /signature/,
    ],
    [
      'an unsigned token (alg none)',
      async () => bearer(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"role":"nation"}').toString('base64url')}.`),
      /.+/,
    ],
    ['a token without a role', async () => bearer(await hub.keys.sign({})), /role/],
    ['a municipality token without its jurisdiction', async () => bearer(await hub.keys.sign({ role: 'municipality' })), /jurisdiction/],
    [
      'a token with a bad jurisdiction code',
      async () => bearer(await hub.keys.sign({ role: 'municipality', jurisdictions: ['131017'] })),
      /local government codes/,
    ],
    ['a malformed Authorization header', async () => ({ authorization: 'Basic dXNlcjpwYXNz' }), /Bearer/],
    // Claims that do not fit the role (issue 13): each role names only the kinds of jurisdiction it acts for.
    [
      'a municipality token naming a prefecture',
      async () => bearer(await hub.keys.sign({ role: 'municipality', jurisdictions: ['130001'] })),
      /130001 \(東京都, PREFECTURE\).*municipality names municipalities and special wards/,
    ],
    [
      'a municipality token naming an administrative ward',
      async () => bearer(await hub.keys.sign({ role: 'municipality', jurisdictions: ['141011'] })),
      /141011 .*ADMINISTRATIVE_WARD/,
    ],
    [
      'a prefecture token naming a special ward',
      async () => bearer(await hub.keys.sign({ role: 'prefecture', jurisdictions: ['131016'] })),
      /131016 .*prefecture names prefectures and designated cities/,
    ],
    [
      'a health centre token naming a town',
      async () => bearer(await hub.keys.sign({ role: 'health_centre', jurisdictions: ['133035'] })),
      /133035 .*run a public health centre/,
    ],
    [
      'a mental health and welfare centre token naming a core city',
      async () => bearer(await hub.keys.sign({ role: 'mhw_centre', jurisdictions: ['132012'] })),
      /132012 .*CORE_CITY/,
    ],
    [
      'a nation token naming a jurisdiction',
      async () => bearer(await hub.keys.sign({ role: 'nation', jurisdictions: ['131016'] })),
      /nation names no jurisdictions/,
    ],
  ];
  it.each([
    ['a prefecture naming a designated city', { role: 'prefecture', jurisdictions: ['141003'] }],
    ['a municipality naming a designated city', { role: 'municipality', jurisdictions: ['141003'] }],
    ['a municipality naming a town', { role: 'municipality', jurisdictions: ['133035'] }],
    ['a health centre naming a core city and a special ward', { role: 'health_centre', jurisdictions: ['132012', '131016'] }],
    ['a mental health and welfare centre naming a designated city', { role: 'mhw_centre', jurisdictions: ['141003'] }],
  ] as [string, Record<string, unknown>][])('accepts %s', async (_name, claims) => {
    const answer = await gql(hub.gateway.url, VIEWER, undefined, bearer(await hub.keys.sign(claims)));
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ viewer: { jurisdictionCodes: claims.jurisdictions } });
  });

  it.each(refusals)('refuses %s with 401 UNAUTHENTICATED and never falls back to public', async (_name, headers, message) => {
    const answer = await gql(hub.gateway.url, VIEWER, undefined, await headers());
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answer.body.errors?.[0]?.message).toMatch(message);
    expect(answer.body.data).toBeUndefined();
  });
});

describe('directory operations for every role', () => {
  // The directory is public data: the domain page opens it to everyone, vendors included.
  const OPERATIONS: [string, string, (data: Record<string, unknown>) => void][] = [
    ['jurisdiction', '{ jurisdiction(code: "131016") { name } }', (d) => expect(d).toEqual({ jurisdiction: { name: '千代田区' } })],
    ['jurisdictions', '{ jurisdictions(filter: { kinds: [PREFECTURE] }) { totalCount } }', (d) => expect(d).toEqual({ jurisdictions: { totalCount: 47 } })],
    ['regions', '{ regions(prefectureCode: "310000") { id } }', (d) => expect((d.regions as unknown[]).length).toBeGreaterThan(0)],
    [
      'organizations',
      '{ organizations(first: 1, filter: { locatedIn: "131016" }) { nodes { name contact { phone } } } }',
      (d) => expect(d.organizations).toBeTruthy(),
    ],
    ['forums', '{ forums(first: 1, filter: { level: PREFECTURE }) { nodes { name members { role } } } }', (d) => expect(d.forums).toBeTruthy()],
  ];
  const principals = ['public', ...ROLES] as const;
  for (const role of principals) {
    it.each(OPERATIONS)(`${role} may read %s`, async (_name, query, check) => {
      const headers = role === 'public' ? {} : bearer(await hub.keys.sign(CLAIMS[role]));
      const answer = await gql(hub.gateway.url, query, undefined, headers);
      expect(answer.body.errors).toBeUndefined();
      check(answer.body.data as Record<string, unknown>);
    });
  }
});

describe('operation limits', () => {
  const deep = `{ jurisdiction(code: "131016") { ${'prefecture { '.repeat(14)}name${' }'.repeat(14)} } }`;
  const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`;
  const tokens = `{ viewer { ${'role '.repeat(3100)}} }`;
  // Within the depth, alias and token limits, but four full pages of organisations, each with its
  // jurisdiction's municipalities and all their organisations (graphql-armor cost 145,563).
  const costly = `{ ${Array.from({ length: 4 }, (_, i) => `o${i}: organizations(first: 500) { nodes { id name services jurisdiction { code name children { code name organizations { id name services } } } } }`).join(' ')} }`;
  it.each([
    ['depth', deep, /depth/i],
    ['aliases', aliases, /aliases/i],
    ['tokens', tokens, /token/i],
    ['cost', costly, /cost/i],
  ])('refuses an operation over the %s limit with a clear error and a code', async (_name, query, message) => {
    const answer = await gql(hub.gateway.url, query);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.message).toMatch(message);
    // The token limit is graphql-js's own, applied while parsing (a parse error); the others are validation rules.
    expect(answer.body.errors?.[0]?.extensions?.code).toMatch(/^(GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED|BAD_USER_INPUT)$/);
    expect(answer.status).toBe(400);
  });

  it('lets the largest legitimate page through: 500 organisations with contact, hours and jurisdiction', async () => {
    const page =
      '{ organizations(first: 500) { totalCount nodes { id name services contact { phone email address postalCode } openingHours { days opens closes } jurisdiction { code name } } } }';
    const answer = await gql<{ organizations: { nodes: unknown[] } }>(hub.gateway.url, page);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.organizations.nodes).toHaveLength(500);
  });

  it('hides field suggestions, which would leak the schema', async () => {
    const answer = await gql(hub.gateway.url, '{ viewr { role } }');
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors?.[0]?.message).toMatch(/viewr/);
    expect(answer.text).not.toMatch(/Did you mean|viewer/);
  });

  it('refuses HTTP batching', async () => {
    const response = await fetch(hub.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ viewer { role } }' }, { query: '{ viewer { role } }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('opens introspection to staff only when NODE_ENV=production', async () => {
    const introspect = '{ __schema { queryType { name } } }';
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const anonymous = await gql(hub.gateway.url, introspect);
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const vendor = await gql(hub.gateway.url, introspect, undefined, bearer(await hub.keys.sign(CLAIMS.vendor)));
      expect(vendor.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const staff = await gql(hub.gateway.url, introspect, undefined, bearer(await hub.keys.sign(CLAIMS.prefecture)));
      expect(staff.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      process.env.NODE_ENV = previous;
    }
    expect((await gql(hub.gateway.url, introspect)).body.data).toBeTruthy();
  });
});
