import { ApolloServer, HeaderMap } from '@apollo/server';
import { parse } from 'graphql';
import { findInvalidLiteral, findInvalidText, invalidTextReason, requireValidText, validTextPlugin } from '../src/graphql/text';

describe('valid text', () => {
  it('accepts ordinary text, Japanese and characters outside the BMP (a surrogate pair)', () => {
    for (const text of ['', 'abc', '千代田区 精神保健福祉相談窓口', '𠮷野家', '👍 done', 'tab\tand\nnewline']) expect(invalidTextReason(text)).toBeNull();
  });

  it('names a null character and a lone surrogate, high or low, wherever it is', () => {
    expect(invalidTextReason('a\u0000b')).toMatch(/null character \(U\+0000\)/);
    expect(invalidTextReason('\ud800')).toMatch(/lone UTF-16 surrogate \(U\+D800\) at index 0/);
    expect(invalidTextReason('ab\udc00')).toMatch(/lone UTF-16 surrogate \(U\+DC00\) at index 2/);
    expect(invalidTextReason('\udc00\ud800')).toMatch(/U\+DC00/);
    expect(invalidTextReason('x\ud842')).toMatch(/U\+D842/);
    expect(() => requireValidText('name', 'a\u0000')).toThrow(/`name` is not valid text/);
  });

  it('finds the first invalid string of a JSON value with its path', () => {
    expect(findInvalidText({ a: [1, 'ok', { b: 'x\u0000' }] }, 'input')).toEqual({ path: 'input.a[2].b', reason: expect.stringMatching(/null/) as unknown });
    expect(findInvalidText({ 'k\ud800': 1 }, 'input')).toEqual({ path: 'input.<key>', reason: expect.stringMatching(/surrogate/) as unknown });
    expect(findInvalidText({ a: ['ok', 2, null, true] }, 'input')).toBeNull();
    // A subgraph's entity representations: many valid strings, the path built for the one found.
    const representations = Array.from({ length: 2000 }, (_, i) => ({ __typename: 'Jurisdiction', code: String(100000 + i) }));
    expect(findInvalidText(representations, 'representations')).toBeNull();
    representations[1234] = { __typename: 'Jurisdiction', code: '13\udc00' };
    expect(findInvalidText(representations, 'representations')).toEqual({
      path: 'representations[1234].code',
      reason: expect.stringMatching(/U\+DC00\) at index 2/) as unknown,
    });
    expect(
      findInvalidText(
        {
          a: [
            ['𠮷', 'ok'],
            ['x', '\ud842'],
          ],
        },
        'v',
      )?.path,
    ).toBe('v.a[1][1]');
  });

  it('finds an invalid string literal in a document, named by field, argument and input field', () => {
    expect(findInvalidLiteral(parse('mutation { createCourse(input: { title: "a\\u0000b" }) { id } }'))?.path).toBe('createCourse.input.title');
    expect(findInvalidLiteral(parse('{ a(s: "fine") }'))).toBeNull();
  });

  it('refuses such a request before any resolver runs, with BAD_USER_INPUT naming the field', async () => {
    let ran = 0;
    const server = new ApolloServer({
      typeDefs: 'input In { name: String } type Query { echo(input: In, s: String): String }',
      resolvers: {
        Query: {
          echo: (_r: unknown, a: { input?: { name?: string }; s?: string }) => {
            ran += 1;
            return a.input?.name ?? a.s ?? null;
          },
        },
      },
      plugins: [validTextPlugin()],
    });
    await server.start();
    try {
      const bad = [
        [{ query: 'query($input: In) { echo(input: $input) }', variables: { input: { name: 'a\u0000b' } } }, 'input.name'],
        [{ query: 'query($input: In) { echo(input: $input) }', variables: { input: { name: 'a\ud800' } } }, 'input.name'],
        [{ query: '{ echo(s: "a\\u0000b") }' }, 'echo.s'],
      ] as const;
      for (const [request, argument] of bad) {
        const response = await server.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: request },
          context: async () => ({}),
        });
        expect(response.status).toBe(400);
        const body = JSON.parse(response.body.kind === 'complete' ? response.body.string : '{}') as {
          errors: { message: string; extensions: { code: string; argument: string } }[];
        };
        expect(body.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
        expect(body.errors[0]?.message).toContain(`\`${argument}\` is not valid text`);
      }
      expect(ran).toBe(0);
      const ok = await server.executeOperation({ query: 'query($input: In) { echo(input: $input) }', variables: { input: { name: '𠮷 ok' } } });
      expect(ok.body.kind === 'single' && ok.body.singleResult.data).toEqual({ echo: '𠮷 ok' });
    } finally {
      await server.stop();
    }
  });
});
