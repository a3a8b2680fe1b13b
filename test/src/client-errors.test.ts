import { createHash } from 'node:crypto';
import http from 'node:http';
import { buildSchema, getNamedType, isObjectType, type GraphQLField } from 'graphql';
import fs from 'node:fs';
import { BASELINE_FILE } from '@nimo/schema';
import { startTestHub, type TestHub } from './hub';

/**
 * Every client mistake is a 4xx with a message that says what is wrong (GraphQL over HTTP), never
 * a 500 or "Internal server error" (issue 14, point 4).
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 300_000);
afterAll(() => hub.stop());

interface Reply {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function send(init: { body?: string; method?: string; contentType?: string | null; search?: string; headers?: Record<string, string> }): Promise<Reply> {
  const headers: Record<string, string> = { ...(init.contentType === null ? {} : { 'content-type': init.contentType ?? 'application/json' }), ...init.headers };
  const response = await fetch(`${hub.gateway.url}${init.search ?? ''}`, {
    method: init.method ?? 'POST',
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

const post = (payload: Record<string, unknown>) => send({ body: JSON.stringify(payload) });

function expectClientError(reply: Reply, status: number, code: string, message: RegExp) {
  expect({ status: reply.status, code: reply.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(reply.body.errors?.[0]?.message).toMatch(message);
  expect(JSON.stringify(reply.body)).not.toMatch(/Internal server error/);
}

describe('GraphQL mistakes', () => {
  it('a syntax error is 400 GRAPHQL_PARSE_FAILED, also under the token limit', async () => {
    expectClientError(
      await post({ query: '{ jurisdiction(code: "131016") { name }' }),
      400,
      'GRAPHQL_PARSE_FAILED',
      /Syntax Error: Expected Name, found <EOF>/,
    );
    expectClientError(await post({ query: 'test' }), 400, 'GRAPHQL_PARSE_FAILED', /Syntax Error/);
  });

  it('too many tokens is 400 and says so', async () => {
    const query = `{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`;
    expectClientError(await post({ query }), 400, 'GRAPHQL_PARSE_FAILED', /more th.t 2000 tokens/);
  });

  it('an unknown operationName, or several operations without one, is 400', async () => {
    expectClientError(await post({ query: 'query A { __typename }', operationName: 'B' }), 400, 'OPERATION_RESOLUTION_FAILURE', /Unknown operation named "B"/);
    expectClientError(await post({ query: 'query A { __typename } query B { __typename }' }), 400, 'OPERATION_RESOLUTION_FAILURE', /operationName/);
  });

  it('a subscription is 400: the hub has none', async () => {
    expectClientError(await post({ query: 'subscription S { __typename }' }), 400, 'GRAPHQL_VALIDATION_FAILED', /subscription/i);
  });

  it('aliases of __typename count against the alias limit', async () => {
    const query = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expectClientError(await post({ query }), 400, 'BAD_USER_INPUT', /Aliases limit of 30 exceeded/i);
  });

  it('gives no "Did you mean" suggestions of fields or enum values', async () => {
    const reply = await post({ query: '{ jurisdictions(filter: { kinds: [DESIGNATED_CIT] }) { totalCount } }' });
    expectClientError(reply, 400, 'GRAPHQL_VALIDATION_FAILED', /DESIGNATED_CIT/);
    expect(JSON.stringify(reply.body)).not.toMatch(/Did you mean|DESIGNATED_CITY/);
    const field = await post({ query: '{ jurisdiction(code: "131016") { nam } }' });
    expect(JSON.stringify(field.body)).not.toMatch(/Did you mean|"name"/);
  });
});

describe('persisted queries', () => {
  it('a version other than the number 1 is 400', async () => {
    const query = '{ __typename }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    for (const version of [2, '1', null]) {
      expectClientError(await post({ query, extensions: { persistedQuery: { version, sha256Hash } } }), 400, 'BAD_REQUEST', /version must be the number 1/);
    }
  });

  it('a hash that does not match its document is 400', async () => {
    expectClientError(
      await post({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
      400,
      'BAD_REQUEST',
      /does not match/,
    );
  });
});

describe('HTTP mistakes', () => {
  it('a media type other than JSON is 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/graphql', null]) {
      expectClientError(await send({ body: '{"query":"{ __typename }"}', contentType }), 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/);
    }
  });

  it('a body that is not JSON, or empty, is 400', async () => {
    expectClientError(await send({ body: '{"query":' }), 400, 'BAD_REQUEST', /not valid JSON/);
    expectClientError(await send({ body: '' }), 400, 'BAD_REQUEST', /empty/);
  });

  it('a GET query longer than the limit is 414, and one over the size of headers 431, each saying to use POST', async () => {
    const get = (query: string) =>
      send({ method: 'GET', contentType: null, search: `?query=${encodeURIComponent(query)}`, headers: { 'apollo-require-preflight': '1' } });
    expectClientError(await get(`{ ${'__typename '.repeat(900)} }`), 414, 'URI_TOO_LONG', /send long queries with POST/);
    expectClientError(await get(`{ ${'__typename '.repeat(2000)} }`), 431, 'REQUEST_HEADER_FIELDS_TOO_LARGE', /send long queries with POST/);
  });

  it('a chunked body over the size limit is 413, not a reset connection', async () => {
    const { hostname, port, pathname } = new URL(hub.gateway.url);
    const reply = await new Promise<Reply>((resolve, reject) => {
      const request = http.request(
        { hostname, port, path: pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Reply['body'] }));
        },
      );
      request.on('error', reject);
      request.write('{"query":"{ __typename }", "padding": "');
      const chunk = 'x'.repeat(16 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 400 * 1024) {
          sent += chunk.length;
          if (!request.write(chunk)) {
            request.once('drain', more);
            return;
          }
        }
        request.end('"}');
      };
      more();
    });
    expectClientError(reply, 413, 'PAYLOAD_TOO_LARGE', /larger than/);
  });

  it('a method other than GET and POST is 405', async () => {
    expectClientError(await send({ method: 'PUT', body: '{}' }), 405, 'METHOD_NOT_ALLOWED', /GET or POST/);
  });
});

describe('pagination cursors', () => {
  // Every list of every subgraph: each field of the supergraph that returns a connection.
  const schema = buildSchema(fs.readFileSync(BASELINE_FILE, 'utf8'));
  const lists: { parent: string; field: GraphQLField<unknown, unknown> }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (getNamedType(field.type).name.endsWith('Connection') && field.args.some((a) => a.name === 'after')) lists.push({ parent: type.name, field });
    }
  }

  // Cursors no list can take: not base64 JSON, values its columns cannot hold (a date, a UUID, a number
  // out of range), the wrong number of values. (A well-formed position, say ["x"] for a list ordered by
  // a text column, is a valid position and answers a page.)
  const handMade = [
    'not-a-cursor',
    Buffer.from('{"after": 1}').toString('base64url'),
    Buffer.from('["2024-13-45", "nope"]').toString('base64url'),
    Buffer.from('["131016", "x", "00000000-0000-0000-0000-00000000000z", 4]').toString('base64url'),
    Buffer.from('[1e400]').toString('base64url'),
    Buffer.from('[null]').toString('base64url'),
  ];

  it('finds the lists', () => {
    expect(lists.length).toBeGreaterThanOrEqual(8);
  });

  it('refuses a hand-made or mistyped cursor on every list with BAD_USER_INPUT', async () => {
    const nation = await hub.keys.sign({ role: 'nation', jurisdictions: [] });
    // The audit trail is the municipality's own.
    const municipality = await hub.keys.sign({ role: 'municipality', jurisdictions: ['131016'] });
    const failures: string[] = [];
    for (const { parent, field } of lists.filter((l) => l.parent === 'Query')) {
      const required = field.args.filter((a) => a.type.toString().endsWith('!'));
      const args = required.map((a) => `${a.name}: ${a.type.toString().startsWith('Int') ? 2024 : '"131016"'}`);
      for (const cursor of handMade) {
        const query = `{ list: ${field.name}(${[...args, `after: "${cursor}"`].join(', ')}) { pageInfo { hasNextPage } } }`;
        const response = await fetch(hub.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${field.name === 'consultationAuditTrail' ? municipality : nation}` },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as Reply['body'];
        const code = body.errors?.[0]?.extensions?.code;
        if (code !== 'BAD_USER_INPUT' || !/cursor/i.test(body.errors?.[0]?.message ?? ''))
          failures.push(`${parent}.${field.name} after ${cursor}: ${JSON.stringify(body.errors?.[0] ?? body.data)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
