import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApiKeyStore, SUPERGRAPH_PATH, startGateway, type GatewayOptions } from '@nimo/gateway';
import type { RunningServer } from '@nimo/kit';
import { apiSchemaSdl, dashboardOperations, documentHash, MANIFEST_FILE, normaliseDocument } from '@nimo/schema';
import { gql, startTestHub, type Answer, type TestHub } from './hub';

// No consultation figures are asked for here: a small demo is enough.
process.env.CONSULTATION_DEMO_CASES = '500';

const run = promisify(execFile);
const DOCUMENTS_CLI = require.resolve('@nimo/runner/documents');

let hub: TestHub;
let keys: ApiKeyStore;
const started: RunningServer[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  keys = await ApiKeyStore.open(hub.gatewayDatabaseUrl, { cacheMs: 0 });
}, 300_000);
afterAll(async () => {
  for (const gateway of started) await gateway.close();
  await keys?.close();
  await hub?.stop();
});

/** Another gateway over the hub's subgraphs and gateway database, with its own settings. */
async function gateway(options: Partial<GatewayOptions>): Promise<RunningServer> {
  const g = await startGateway({
    port: 0,
    subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s.url])),
    auth: hub.keys.auth,
    databaseUrl: hub.gatewayDatabaseUrl,
    apiKeyCacheMs: 0,
    rateLimits: { requests: 0, cost: 0 },
    ...options,
  });
  started.push(g);
  return g;
}

async function post<T = Record<string, unknown>>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer<T> & { headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Answer<T>['body'], headers: response.headers };
}

const vendorKey = async (name = 'Vendor') => ({ 'x-api-key': (await keys.create(name)).key });
const codeOf = (answer: Answer<unknown>) => answer.body.errors?.[0]?.extensions?.code;

const MUNICIPAL_VIEW = dashboardOperations().find((o) => o.name === 'MunicipalView');
const CHIYODA = '{ jurisdiction(code: "131016") { name } }';

describe('the contract the gateway serves', () => {
  it('serves the API schema at GET /schema.graphql, with an ETag', async () => {
    const url = new URL('/schema.graphql', hub.gateway.url).toString();
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/graphql; charset=utf-8');
    const sdl = await response.text();
    expect(sdl).toBe(apiSchemaSdl(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')));
    expect(sdl).toMatch(/^scalar LocalGovCode/m);
    expect(sdl).not.toMatch(/join__|@link/);
    const again = await fetch(url, { headers: { 'if-none-match': response.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it("serves the published manifest of trusted documents in Apollo's format, ids the SHA-256 of the bodies", async () => {
    const response = await fetch(new URL('/persisted-query-manifest.json', hub.gateway.url));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toBe(fs.readFileSync(MANIFEST_FILE, 'utf8'));
    const manifest = JSON.parse(text) as { format: string; version: number; operations: { id: string; name: string; type: string; body: string }[] };
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((o) => [o.name, o.type])).toEqual([
      ['AdviserList', 'query'],
      ['AdviserView', 'query'],
      ['Labels', 'query'],
      ['MunicipalTrends', 'query'],
      ['MunicipalView', 'query'],
      ['NationalOverview', 'query'],
      ['NationalTrends', 'query'],
      ['NationalView', 'query'],
      ['PrefectureTrends', 'query'],
      ['PrefectureView', 'query'],
    ]);
    for (const op of manifest.operations) {
      expect(op.id).toBe(documentHash(op.body));
      expect(normaliseDocument(op.body)).toBe(op.body);
    }
  });
});

describe('trusted documents and the safelist', () => {
  let safelisted: RunningServer;
  beforeAll(async () => {
    safelisted = await gateway({ safelistRoles: ['vendor', 'public'], documentCacheMs: 0 });
  });
  const adviserToken = async () => ({ authorization: `Bearer ${await hub.keys.sign({ role: 'adviser' })}` });
  const VARIABLES = { code: '131016', fiscalYear: 2024 };
  /** The document ran: its answer has the municipality (a vendor is refused the cases, field by field). */
  const ran = (answer: Answer<unknown>) => {
    expect(answer.status).toBe(200);
    expect((answer.body.errors ?? []).map((e) => e.extensions?.code)).not.toContainEqual(expect.stringMatching(/^PERSISTED_QUERY/));
    expect((answer.body.data as { jurisdiction?: { name: string } } | undefined)?.jurisdiction?.name).toBe('千代田区');
  };

  it('runs a manifest document by documentId ("sha256:<hex>", as codegen sends it) and by Apollo\'s persistedQuery hash', async () => {
    if (!MUNICIPAL_VIEW) throw new Error('no MunicipalView operation');
    const headers = await vendorKey();
    const byId = await post(safelisted.url, { documentId: `sha256:${MUNICIPAL_VIEW.sha256}`, operationName: 'MunicipalView', variables: VARIABLES }, headers);
    ran(byId);
    const byHash = await post(
      safelisted.url,
      { variables: VARIABLES, extensions: { persistedQuery: { version: 1, sha256Hash: MUNICIPAL_VIEW.sha256 } } },
      headers,
    );
    ran(byHash);
    expect(byHash.body.data).toEqual(byId.body.data);
  });

  it('runs one by GET when the CSRF preflight header is sent, and refuses it without', async () => {
    if (!MUNICIPAL_VIEW) throw new Error('no MunicipalView operation');
    const url = `${safelisted.url}?documentId=sha256:${MUNICIPAL_VIEW.sha256}&variables=${encodeURIComponent(JSON.stringify(VARIABLES))}`;
    const headers = await vendorKey();
    const withHeader = await fetch(url, { headers: { ...headers, 'apollo-require-preflight': 'true' } });
    const text = await withHeader.text();
    ran({ status: withHeader.status, text, body: JSON.parse(text) as Answer<unknown>['body'] });
    const without = await fetch(url, { headers });
    expect(without.status).toBe(400);
    expect(await without.text()).toMatch(/CSRF/);
  });

  it('refuses an ad hoc query from vendor and public callers with PERSISTED_QUERY_NOT_IN_LIST, and lets staff send one', async () => {
    const vendor = await post(safelisted.url, { query: CHIYODA }, await vendorKey());
    expect(vendor.status).toBe(403);
    expect(codeOf(vendor)).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(vendor.body.errors?.[0]?.message).toMatch(/trusted documents only.*documentId.*persisted-query-manifest\.json/);
    expect(vendor.body.data).toBeUndefined();
    const anonymous = await post(safelisted.url, { query: CHIYODA });
    expect([anonymous.status, codeOf(anonymous)]).toEqual([403, 'PERSISTED_QUERY_NOT_IN_LIST']);
    const staff = await post(safelisted.url, { query: CHIYODA }, await adviserToken());
    expect(staff.status).toBe(200);
    expect(staff.body.data).toEqual({ jurisdiction: { name: '千代田区' } });
  });

  it('accepts the text of a trusted document however it is formatted', async () => {
    if (!MUNICIPAL_VIEW) throw new Error('no MunicipalView operation');
    const reformatted = MUNICIPAL_VIEW.document.replace(/ /g, '\n  ');
    expect(reformatted).not.toBe(MUNICIPAL_VIEW.document);
    ran(await post(safelisted.url, { query: reformatted, variables: VARIABLES }, await vendorKey()));
  });

  it('refuses an unknown id with PERSISTED_QUERY_NOT_FOUND and never registers a new hash (automatic persisted queries)', async () => {
    const unknown = await post(safelisted.url, { documentId: `sha256:${'0'.repeat(64)}` }, await vendorKey());
    expect(codeOf(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    const malformed = await post(safelisted.url, { documentId: 'md5:abc' }, await vendorKey());
    expect(codeOf(malformed)).toBe('PERSISTED_QUERY_NOT_FOUND');
    // A staff member's query with its own hash runs, and stays unknown by that hash.
    const hash = documentHash(CHIYODA);
    const registering = await post(safelisted.url, { query: CHIYODA, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, await adviserToken());
    expect(registering.body.data).toEqual({ jurisdiction: { name: '千代田区' } });
    for (const headers of [await adviserToken(), await vendorKey()]) {
      const later = await post(safelisted.url, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, headers);
      expect(codeOf(later)).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
  });

  it('lets anyone send ad hoc queries where no role is safelisted (development default)', async () => {
    const answer = await gql(hub.gateway.url, CHIYODA, undefined, await vendorKey());
    expect(answer.body.data).toEqual({ jurisdiction: { name: '千代田区' } });
  });

  describe('vendor documents (npm run documents)', () => {
    const VENDOR_QUERY = 'query VendorWards($code: LocalGovCode!) {\n  jurisdiction(code: $code) { name children { code name } }\n}';
    let dir: string;
    const cli = (...args: string[]) =>
      run(process.execPath, [DOCUMENTS_CLI, ...args], { env: { ...process.env, GATEWAY_DATABASE_URL: hub.gatewayDatabaseUrl }, cwd: dir }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nimo-vendor-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("submits codegen's persisted documents for review; only approved ones run, and a revoked one stops", async () => {
      // What GraphQL Code Generator's client preset writes (persisted-documents.json): its id is sha256 of the normalised body.
      const body = normaliseDocument(VENDOR_QUERY);
      const id = documentHash(body);
      fs.writeFileSync(path.join(dir, 'persisted-documents.json'), JSON.stringify({ [`sha256:${id}`]: body }));
      const submitted = await cli('submit', '--vendor', 'Vendor X', 'persisted-documents.json');
      expect(submitted.stderr).toMatch(/1 stored for review/);
      expect(submitted.stdout).toMatch(new RegExp(`pending +${id} +VendorWards`));
      expect(submitted.code).toBe(0);

      const headers = await vendorKey('Vendor X');
      const ask = () => post(safelisted.url, { documentId: `sha256:${id}`, variables: { code: '141003' } }, headers);
      expect(codeOf(await ask())).toBe('PERSISTED_QUERY_NOT_FOUND'); // pending: not yet trusted
      expect((await cli('list', '--status', 'pending')).stdout).toMatch(new RegExp(`${id} +VendorWards +query +Vendor X +pending`));

      const approved = await cli('approve', id, '--by', 'operator A');
      expect([approved.code, approved.stdout]).toEqual([0, expect.stringMatching(/^approved /)]);
      const answer = await ask();
      expect(answer.status).toBe(200);
      expect((answer.body.data as { jurisdiction: { name: string; children: unknown[] } }).jurisdiction.name).toBe('横浜市');
      // The same document as text, in the vendor's own formatting, is trusted too.
      expect((await post(safelisted.url, { query: VENDOR_QUERY, variables: { code: '141003' } }, headers)).status).toBe(200);
      // Only for that vendor: another vendor's key and an anonymous caller are refused it, by id and as text.
      const otherVendor = await vendorKey('Vendor Z');
      for (const who of [otherVendor, {}]) {
        const byId = await post(safelisted.url, { documentId: `sha256:${id}`, variables: { code: '141003' } }, who);
        expect([byId.status, codeOf(byId)]).toEqual([403, 'PERSISTED_QUERY_NOT_IN_LIST']);
        const asText = await post(safelisted.url, { query: VENDOR_QUERY, variables: { code: '141003' } }, who);
        expect([asText.status, codeOf(asText)]).toEqual([403, 'PERSISTED_QUERY_NOT_IN_LIST']);
      }

      expect((await cli('revoke', id, '--by', 'operator A', '--note', 'replaced by v2')).code).toBe(0);
      expect(codeOf(await ask())).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await cli('show', id)).stdout).toMatch(/revoked[\s\S]*note: replaced by v2/);
    }, 240_000);

    it('refuses a document that is not valid against the API, or whose id is not its SHA-256, and stores nothing', async () => {
      const bad = 'query Bad { jurisdiction(code: "131016") { nope } }';
      fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ [`sha256:${documentHash(bad)}`]: bad }));
      const invalid = await cli('submit', '--vendor', 'Vendor Y', 'bad.json');
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/is refused: it is not valid against the API: Cannot query field "nope"/);
      fs.writeFileSync(path.join(dir, 'sha1.json'), JSON.stringify({ abc123: CHIYODA.replace('{', 'query Q {') }));
      expect((await cli('submit', '--vendor', 'Vendor Y', 'sha1.json')).stderr).toMatch(/is not a SHA-256 \(set hashAlgorithm/);
      expect((await cli('list')).stdout).not.toMatch(/Vendor Y/);
      expect((await cli('approve', 'f'.repeat(64), '--by', 'x')).code).toBe(1);
      expect((await cli('reject', 'f'.repeat(64), '--by', 'x')).code).toBe(2); // a rejection needs its reason
    }, 240_000);
  });
});

describe('rate limits and quotas', () => {
  const nationToken = async (subject: string) => ({ authorization: `Bearer ${await hub.keys.sign({ role: 'nation', sub: subject })}` });

  it('counts requests per caller and answers 429 with Retry-After over the limit (memory)', async () => {
    const g = await gateway({ rateLimits: { requests: 3, cost: 0, windowSeconds: 60 } });
    const a = await vendorKey('Vendor A');
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const answer = await post(g.url, { query: CHIYODA }, a);
      expect(answer.status).toBe(200);
      remaining.push(answer.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await post(g.url, { query: CHIYODA }, a);
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.message).toMatch(/at most 3 requests per 60 s for this caller\. Retry after \d+ s/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another API key, a token's principal and an anonymous caller each have their own count.
    expect((await post(g.url, { query: CHIYODA }, await vendorKey('Vendor B'))).status).toBe(200);
    expect((await post(g.url, { query: CHIYODA }, await nationToken('user-1'))).status).toBe(200);
    expect((await post(g.url, { query: CHIYODA })).status).toBe(200);
  });

  it("spends each operation's query cost from the caller's quota", async () => {
    const g = await gateway({ rateLimits: { requests: 0, cost: 2000, windowSeconds: 60 } });
    // graphql-armor's cost: (2 + 1.5 × (2 + 1.5 + 1.5)) × 100 = 950 per request.
    const query = '{ jurisdictions(first: 100) { nodes { code name } } }';
    const headers = await nationToken('user-cost');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post(g.url, { query }, headers)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await post(g.url, { query }, headers);
    expect(refused.body.errors?.[0]?.message).toMatch(/at most 2000 query cost points per 60 s/);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    // A cheap query still fits what is left (100 points).
    expect((await post(g.url, { query: '{ jurisdiction(code: "131016") { name } }' }, headers)).status).toBe(200);
  });

  it('shares the counts across gateways through Redis when REDIS_URL is set, and keeps them per gateway without', async () => {
    const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const limits = { requests: 4, cost: 0, windowSeconds: 60, prefix: `nimo-test-${randomUUID()}` };
    const shared = [await gateway({ rateLimits: { ...limits, redisUrl } }), await gateway({ rateLimits: { ...limits, redisUrl } })];
    const own = [await gateway({ rateLimits: { ...limits, redisUrl: null } }), await gateway({ rateLimits: { ...limits, redisUrl: null } })];
    const headers = await vendorKey('Vendor R');
    const statuses = async (gateways: RunningServer[]) => {
      const seen: number[] = [];
      for (let i = 0; i < 6; i += 1) seen.push((await post((gateways[i % 2] as RunningServer).url, { query: CHIYODA }, headers)).status);
      return seen;
    };
    expect(await statuses(shared)).toEqual([200, 200, 200, 200, 429, 429]);
    expect(await statuses(own)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});

describe('the vendor example (examples/vendor)', () => {
  const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'vendor');

  it('generates its types from GET /schema.graphql, registers its documents and calls a safelisted hub with an API key', async () => {
    const safelisted = await gateway({ safelistRoles: ['vendor', 'public'], documentCacheMs: 0 });
    const schemaUrl = new URL('/schema.graphql', safelisted.url).toString();
    // Codegen from the gateway's published schema, then tsc: what `npm run build` does in a vendor's project.
    await run('npm', ['run', 'build'], { cwd: EXAMPLE, env: { ...process.env, NIMO_SCHEMA: schemaUrl } });
    const types = fs.readFileSync(path.join(EXAMPLE, 'src', 'gql', 'graphql.ts'), 'utf8');
    // The custom scalars are mapped (LocalGovCode and LocalTime here), never `any`.
    expect(types).toMatch(/VendorDesksQueryVariables = Exact<\{\s+code: string;/);
    expect(types).toMatch(/opens: string, closes: string/);
    expect(types).not.toMatch(/[A-Za-z_]\??: any\b/);

    const key = (await keys.create('Example vendor')).key;
    const example = () =>
      run(process.execPath, [path.join(EXAMPLE, 'dist', 'main.js'), 'みなと'], { env: { ...process.env, NIMO_URL: safelisted.url, NIMO_API_KEY: key } }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const before = await example();
    expect([before.code, before.stderr]).toEqual([1, expect.stringMatching(/hub: 200 PERSISTED_QUERY_NOT_FOUND/)]);

    const cli = (...args: string[]) =>
      run(process.execPath, [DOCUMENTS_CLI, ...args], { env: { ...process.env, GATEWAY_DATABASE_URL: hub.gatewayDatabaseUrl } });
    const submitted = await cli('submit', '--vendor', 'Example vendor', path.join(EXAMPLE, 'src', 'gql', 'persisted-documents.json'));
    const ids = [...submitted.stdout.matchAll(/^pending +([0-9a-f]{64}) /gm)].map((m) => m[1] ?? '');
    expect(ids).toHaveLength(2);
    for (const id of ids) await cli('approve', id, '--by', 'operator B');

    const after = await example();
    expect(after.stderr).toBe('');
    expect(after.stdout).toMatch(/^「みなと」: \d+ 件$/m);
    expect(after.stdout).toMatch(/^131032 東京都港区（みなとく） SPECIAL_WARD$/m);
    expect(after.stdout).toMatch(/^ {2}.+: MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY \d\d:\d\d–\d\d:\d\d$/m);
  }, 300_000);
});
