import type { FetcherResponse } from '@apollo/utils.fetcher';
import { SubgraphDataSource } from '../src/data-source';

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
