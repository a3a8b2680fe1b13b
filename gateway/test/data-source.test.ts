import type { FetcherResponse } from '@apollo/utils.fetcher';
import { parse } from 'graphql';
import pino from 'pino';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { breakerFetcher, dedupingFetcher, fetcherWithTimeout, missingFieldErrors, SubgraphDataSource, SubgraphResponse } from '../src/data-source';

function response(status: number, body: unknown): FetcherResponse {
  const text = JSON.stringify(body);
  return {
    ok: status < 300,
    status,
    statusText: 'Bad Request',
    url: 'http://10.1.2.3:4001/graphql',
    headers: new Headers({ 'content-type': 'application/json' }),
    json: async () => JSON.parse(text) as unknown,
    text: async () => text,
  } as unknown as FetcherResponse;
}

describe('SubgraphDataSource', () => {
  const source = new SubgraphDataSource('directory', { url: 'http://10.1.2.3:4001/graphql' });

  it("passes a subgraph's BAD_USER_INPUT through with its own message and nothing else", async () => {
    const error = await source.errorFromResponse(
      response(400, {
        errors: [{ message: 'Invalid LocalGovCode "1": must have 6 digits, got 1 characters.', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at x'] } }],
      }),
    );
    expect(error.message).toMatch(/must have 6 digits/);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it("takes a refused signature (401) for a configuration fault, not the client's", async () => {
    const error = await source.errorFromResponse(
      response(401, { errors: [{ message: 'This service is reached through the Nimo Hub gateway only.', extensions: { code: 'UNAUTHENTICATED' } }] }),
    );
    expect(error.extensions.code).toBe('HOP_REJECTED');
  });

  it('turns any other HTTP failure into an internal error that the gateway masks (no URL in it)', async () => {
    const error = await source.errorFromResponse(
      response(500, { errors: [{ message: 'relation "x" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
    );
    expect(error.extensions.code).toBe('SUBGRAPH_FAILED');
    expect(error.message).not.toMatch(/10\.1\.2\.3/);
  });
});

describe('fetcherWithTimeout', () => {
  let server: http.Server;
  let url: string;
  const bodies: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        if (req.url === '/hang') return; // never answers
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-nimo-shareable', '1');
        res.statusCode = req.url === '/down' ? 503 : 200;
        res.end(JSON.stringify({ data: { echo: body.length } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the request and reads the answer whole: status, headers, a body read as often as asked', async () => {
    const body = JSON.stringify({ query: '{ a }', variables: { x: 'é'.repeat(50_000) } });
    const answer = await fetcherWithTimeout(5000)(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(bodies.at(-1)).toBe(body);
    expect([answer.status, answer.ok, answer.statusText]).toEqual([200, true, 'OK']);
    expect(answer.headers.get('Content-Type')).toBe('application/json');
    expect(answer.headers.get('x-nimo-shareable')).toBe('1');
    const first = (await answer.json()) as { data: { echo: number } };
    expect(first).toEqual({ data: { echo: body.length } });
    // Each reader parses its own copy.
    expect(await answer.clone().json()).not.toBe(first);
    expect(await answer.text()).toBe(JSON.stringify(first));
  });

  it('gives a server error as an answer (the circuit breaker counts it) and gives up at the deadline with a TimeoutError', async () => {
    const down = await fetcherWithTimeout(5000)(`${url}/down`, { method: 'POST', body: '{}' });
    expect([down.status, down.ok]).toEqual([503, false]);
    await expect(fetcherWithTimeout(100)(`${url}/hang`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('shares one answer among identical reads in flight, each caller parsing its own copy', async () => {
    const fetcher = dedupingFetcher(fetcherWithTimeout(5000));
    const body = JSON.stringify({ query: 'query Op { a }', variables: {} });
    const count = bodies.length;
    const init = { method: 'POST', headers: { 'x-nimo-principal': 'signed', 'content-type': 'application/json' }, body };
    const answers = await Promise.all([fetcher(`${url}/graphql`, init), fetcher(`${url}/graphql`, init)]);
    expect(bodies.length - count).toBe(1);
    answers.forEach((a) => expect(a).toBeInstanceOf(SubgraphResponse));
    const [a, b] = await Promise.all(answers.map((x) => x.json() as Promise<unknown>));
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });
});

describe('dedupingFetcher', () => {
  const HOP = { 'x-nimo-principal': 'signed-principal', 'content-type': 'application/json' };
  function counting() {
    const calls: string[] = [];
    const inner = (async (_url: string, init?: { body?: string }) => {
      calls.push(init?.body ?? '');
      await new Promise((resolve) => setTimeout(resolve, 20));
      return new Response('{"data":{"ok":true}}', { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as Parameters<typeof dedupingFetcher>[0];
    return { calls, fetcher: dedupingFetcher(inner) };
  }
  // As Apollo Gateway's RemoteGraphQLDataSource serialises a subgraph request.
  const request = (query: string) => JSON.stringify({ query, variables: { representations: [] }, operationName: 'Op' });
  const send = (fetcher: ReturnType<typeof dedupingFetcher>, body: string) =>
    fetcher('http://subgraph/graphql', { method: 'POST', headers: HOP, body }).then((r) => r.text());

  it('shares one subgraph request among identical reads in flight, each caller getting the answer', async () => {
    const { calls, fetcher } = counting();
    const body = request('query Op($representations:[_Any!]!){_entities(representations:$representations){__typename}}');
    const answers = await Promise.all([send(fetcher, body), send(fetcher, body), send(fetcher, body)]);
    expect(calls).toHaveLength(1);
    expect(answers).toEqual(Array(3).fill('{"data":{"ok":true}}'));
  });

  it('never shares a mutation', async () => {
    const { calls, fetcher } = counting();
    const body = request('mutation Op { closeCase(id: "x") { id } }');
    await Promise.all([send(fetcher, body), send(fetcher, body)]);
    expect(calls).toHaveLength(2);
  });

  it('does not share a body of another shape (the safe side)', async () => {
    const { calls, fetcher } = counting();
    const body = JSON.stringify({ variables: {}, query: '{ a }' });
    await Promise.all([send(fetcher, body), send(fetcher, body)]);
    expect(calls).toHaveLength(2);
  });
});

describe('missing fields of a subgraph that gave no answer', () => {
  const failure = { code: 'SUBGRAPH_UNAVAILABLE', reason: 'training is unavailable' } as const;

  it('names each root field by its response key', () => {
    const errors = missingFieldErrors(
      parse('{ c: courses(first: 1) { totalCount } __typename nationalTrainingSummary(fiscalYear: 2024) { __typename } }'),
      {},
      failure,
      'training',
      false,
    );
    expect(errors.map((e) => e.path)).toEqual([['c'], ['nationalTrainingSummary']]);
    expect(errors[0]).toEqual({
      message: 'training is unavailable; this field is missing from the answer.',
      path: ['c'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'training' },
    });
  });

  it('names each field of each entity, up to 100, then counts the rest', () => {
    const document = parse(
      'query($representations:[_Any!]!){_entities(representations:$representations){...on Jurisdiction{trainedStaffTotal t: trainingSummary(fiscalYear: 2024) { __typename }}}}',
    );
    const errors = missingFieldErrors(document, { representations: Array.from({ length: 60 }, () => ({})) }, failure, 'training', false);
    expect(errors.slice(0, 3).map((e) => e.path)).toEqual([
      ['_entities', 0, 'trainedStaffTotal'],
      ['_entities', 0, 't'],
      ['_entities', 1, 'trainedStaffTotal'],
    ]);
    expect(errors).toHaveLength(101);
    expect(errors[100]).toMatchObject({ message: 'training is unavailable: 20 more fields are missing from the answer.', extensions: { omitted: 20 } });
  });

  it('tells a client whose mutation timed out that it may have been made', () => {
    const [error] = missingFieldErrors(
      parse('mutation { enrol(sessionId: "x") { id } }'),
      {},
      { code: 'SUBGRAPH_TIMEOUT', reason: 'training did not answer in time' },
      'training',
      true,
    );
    expect(error?.message).toMatch(/may or may not have been made.*same idempotencyKey/);
  });
});

describe('circuit breaker per subgraph', () => {
  it('opens after repeated failures, then refuses at once; a trial after the reset time closes it', async () => {
    let up = false;
    let calls = 0;
    const inner = (async () => {
      calls += 1;
      if (!up) throw new TypeError('fetch failed');
      return new Response('{"data":{}}', { status: 200 });
    }) as unknown as Parameters<typeof breakerFetcher>[1];
    const { fetcher, breaker } = breakerFetcher('training', inner, pino({ level: 'silent' }), { resetTimeoutMs: 200 });
    try {
      for (let i = 0; i < 3; i += 1) await expect(fetcher('http://x/graphql', {})).rejects.toThrow('fetch failed');
      expect(breaker.opened).toBe(true);
      await expect(fetcher('http://x/graphql', {})).rejects.toMatchObject({ code: 'EOPENBREAKER' });
      expect(calls).toBe(3);
      up = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await fetcher('http://x/graphql', {})).status).toBe(200);
      expect(breaker.closed).toBe(true);
    } finally {
      breaker.shutdown();
    }
  });

  it('counts a 5xx answer as a failure', async () => {
    const inner = (async () => new Response('boom', { status: 503 })) as unknown as Parameters<typeof breakerFetcher>[1];
    const { fetcher, breaker } = breakerFetcher('training', inner, pino({ level: 'silent' }));
    try {
      await expect(fetcher('http://x/graphql', {})).rejects.toMatchObject({ status: 503 });
    } finally {
      breaker.shutdown();
    }
  });
});
