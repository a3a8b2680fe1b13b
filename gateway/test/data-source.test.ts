import type { FetcherResponse } from '@apollo/utils.fetcher';
import { dedupingFetcher, SubgraphDataSource } from '../src/data-source';

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

  it('passes a subgraph\'s BAD_USER_INPUT through with its own message and nothing else', async () => {
    const error = await source.errorFromResponse(
      response(400, { errors: [{ message: 'Invalid LocalGovCode "1": must have 6 digits, got 1 characters.', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at x'] } }] }),
    );
    expect(error.message).toMatch(/must have 6 digits/);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('turns any other HTTP failure into an internal error that the gateway masks (no URL in it)', async () => {
    const error = await source.errorFromResponse(response(500, { errors: [{ message: 'relation "x" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    expect(error.extensions.code).toBe('SUBGRAPH_FAILED');
    expect(error.message).not.toMatch(/10\.1\.2\.3/);
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
    fetcher('http://subgraph/graphql', { method: 'POST', headers: HOP, body } as Parameters<typeof fetcher>[1]).then((r) => r.text());

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
