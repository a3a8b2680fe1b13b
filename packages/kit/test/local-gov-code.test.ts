import { graphql, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { checkDigit, isLocalGovCode, LocalGovCodeScalar, localGovCodeProblem } from '../src/graphql/local-gov-code';

describe('local government code', () => {
  it('computes the check digit of known codes', () => {
    // Facts from the domain page: 北海道 010006, 鳥取県 310000, 岡山県 330001, 東京都 130001, 千代田区 131016.
    expect(checkDigit('01000')).toBe(6);
    expect(checkDigit('31000')).toBe(0);
    expect(checkDigit('33000')).toBe(1);
    expect(checkDigit('13000')).toBe(1);
    expect(checkDigit('13101')).toBe(6);
  });

  it('accepts valid codes and says what is wrong with bad ones', () => {
    expect(isLocalGovCode('131016')).toBe(true);
    expect(localGovCodeProblem('13101')).toMatch(/6 digits/);
    expect(localGovCodeProblem('1310160')).toMatch(/6 digits/);
    expect(localGovCodeProblem('13101a')).toMatch(/digits only/);
    expect(localGovCodeProblem('131017')).toMatch(/check digit \(expected 6\)/);
    expect(localGovCodeProblem(131016)).toMatch(/string/);
    expect(localGovCodeProblem('990001')).toMatch(/prefecture/);
  });

  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        echo: { type: GraphQLString, args: { code: { type: LocalGovCodeScalar } }, resolve: (_root, args: { code: string }) => args.code },
      },
    }),
  });

  it('rejects a bad literal with BAD_USER_INPUT', async () => {
    const result = await graphql({ schema, source: '{ echo(code: "131017") }' });
    expect(result.errors?.[0]?.message).toMatch(/check digit/);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a non-string literal and a bad variable', async () => {
    const literal = await graphql({ schema, source: '{ echo(code: 131016) }' });
    expect(literal.errors?.[0]?.message).toMatch(/as a string/);
    const variable = await graphql({ schema, source: 'query ($c: LocalGovCode) { echo(code: $c) }', variableValues: { c: '12' } });
    expect(variable.errors?.[0]?.message).toMatch(/6 digits/);
    const good = await graphql({ schema, source: 'query ($c: LocalGovCode) { echo(code: $c) }', variableValues: { c: '131016' } });
    expect(good.data).toEqual({ echo: '131016' });
  });
});
