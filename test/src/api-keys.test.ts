import { createHash, randomBytes } from 'node:crypto';
import { ApiKeyStore, startGateway } from '@nimo/gateway';
import { gql, startTestHub, type TestHub } from './hub';

// The gateway looks every key up (no cache), so a revocation is seen on the next request.
let hub: TestHub;
let store: ApiKeyStore;
beforeAll(async () => {
  hub = await startTestHub({ apiKeyCacheMs: 0 });
  // Another process's view of the same database, as `npm run apikey` has.
  store = await ApiKeyStore.open(hub.gatewayDatabaseUrl, { cacheMs: 0 });
});
afterAll(async () => {
  await store.close();
  await hub.stop();
});

const VIEWER = '{ viewer { role jurisdictionCodes organizationId } }';
const apiKey = (key: string) => ({ 'x-api-key': key });

async function expectRefused(headers: Record<string, string>, message: RegExp, endpoint = hub.gateway.url): Promise<void> {
  const answer = await gql(endpoint, VIEWER, undefined, headers);
  expect(answer.status).toBe(401);
  expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(answer.body.errors?.[0]?.message).toMatch(message);
  expect(answer.body.data).toBeUndefined();
}

/** The stored rows, read over SQL. */
const rows = async (query: string, params: unknown[] = []) => await store.db.query<Record<string, unknown>[]>(query, params);

describe('vendor API keys at the gateway', () => {
  it('acts as a vendor with a created key: no jurisdictions, no organisation, and reads the directory', async () => {
    const created = await store.create('Vendor X');
    expect(created.key).toMatch(/^nimo_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const viewer = await gql(hub.gateway.url, VIEWER, undefined, apiKey(created.key));
    expect(viewer.status).toBe(200);
    expect(viewer.body.data).toEqual({ viewer: { role: 'VENDOR', jurisdictionCodes: [], organizationId: null } });
    const directory = await gql(hub.gateway.url, '{ jurisdiction(code: "131016") { name } }', undefined, apiKey(created.key));
    expect(directory.body.data).toEqual({ jurisdiction: { name: '千代田区' } });
    const [row] = await rows('SELECT last_used_at FROM api_key WHERE key_id = $1', [created.keyId]);
    expect(row?.last_used_at).toBeInstanceOf(Date);
  });

  it('stores the SHA-256 of the secret, never the key', async () => {
    const created = await store.create('Vendor Y');
    const secret = created.key.slice(`nimo_${created.keyId}_`.length);
    const [row] = await rows('SELECT * FROM api_key WHERE key_id = $1', [created.keyId]);
    expect(row?.secret_sha256).toEqual(createHash('sha256').update(secret).digest());
    expect(row?.name).toBe('Vendor Y');
    const stored = JSON.stringify(row) + JSON.stringify(row?.secret_sha256);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(secret).toString('hex'));
    expect((await store.list()).find((k) => k.keyId === created.keyId)).not.toHaveProperty('key');
  });

  it('refuses a revoked key with 401', async () => {
    const created = await store.create('Vendor Z');
    expect((await gql(hub.gateway.url, VIEWER, undefined, apiKey(created.key))).status).toBe(200);
    expect(await store.revoke(created.keyId)).toEqual(expect.objectContaining({ keyId: created.keyId, revokedAt: expect.any(Date) }));
    await expectRefused(apiKey(created.key), /revoked/);
  });

  it('refuses unknown, wrong and malformed keys with 401, never as public', async () => {
    const created = await store.create('Vendor W');
    const otherSecret = randomBytes(32).toString('base64url');
    await expectRefused(apiKey(`nimo_${'a'.repeat(12)}_${otherSecret}`), /not a key of this hub/);
    await expectRefused(apiKey(`nimo_${created.keyId}_${otherSecret}`), /not a key of this hub/);
    for (const malformed of [
      '',
      'nimo_',
      created.key.slice(0, -1),
      `${created.key}x`,
      created.key.toUpperCase(),
      `Bearer ${created.key}`,
      `${created.key}, ${created.key}`,
    ]) {
      await expectRefused(apiKey(malformed), /not a well-formed Nimo API key/);
    }
  });

  it('refuses a request that carries both a bearer token and an API key', async () => {
    const created = await store.create('Vendor V');
    const token = await hub.keys.sign({ role: 'nation' });
    await expectRefused({ ...apiKey(created.key), authorization: `Bearer ${token}` }, /either an Authorization header or an x-api-key header/);
  });

  it('remembers a verified key for API_KEY_CACHE_MS: a revocation takes effect within that time', async () => {
    const gateway = await startGateway({
      port: 0,
      subgraphUrls: { directory: hub.directory.url },
      explorer: false,
      auth: hub.keys.auth,
      databaseUrl: hub.gatewayDatabaseUrl,
      apiKeyCacheMs: 800,
    });
    try {
      const created = await store.create('Vendor cached');
      expect((await gql(gateway.url, VIEWER, undefined, apiKey(created.key))).status).toBe(200);
      await store.revoke(created.keyId);
      // Within the cache time the gateway has not looked again; a wrong secret is still checked.
      expect((await gql(gateway.url, VIEWER, undefined, apiKey(created.key))).status).toBe(200);
      await expectRefused(apiKey(`nimo_${created.keyId}_${randomBytes(32).toString('base64url')}`), /not a key of this hub/, gateway.url);
      await new Promise((resolve) => setTimeout(resolve, 900));
      await expectRefused(apiKey(created.key), /revoked/, gateway.url);
    } finally {
      await gateway.close();
    }
  });

  it('refuses API keys when the gateway has no database', async () => {
    const gateway = await startGateway({ port: 0, subgraphUrls: { directory: hub.directory.url }, explorer: false, auth: hub.keys.auth, databaseUrl: null });
    try {
      const created = await store.create('Vendor U');
      await expectRefused(apiKey(created.key), /API keys are not enabled/, gateway.url);
      // Bearer tokens and the public still work.
      expect((await gql(gateway.url, VIEWER)).body.data).toEqual({ viewer: { role: 'PUBLIC', jurisdictionCodes: [], organizationId: null } });
    } finally {
      await gateway.close();
    }
  });
});
