import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from './errors';

const WEIGHTS = [6, 5, 4, 3, 2] as const;

/** Check digit of a 5-digit local government code (全国地方公共団体コード): weights 6..2, mod 11. */
export function checkDigit(firstFive: string): number {
  let sum = 0;
  for (let i = 0; i < 5; i += 1) sum += Number(firstFive[i]) * (WEIGHTS[i] ?? 0);
  return (11 - (sum % 11)) % 10;
}

/** Why a value is not a valid 6-digit local government code, or null when it is. */
export function localGovCodeProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string of 6 digits';
  if (value.length !== 6) return `must have 6 digits, got ${value.length} characters`;
  if (!/^\d{6}$/.test(value)) return 'must contain digits only';
  const expected = checkDigit(value.slice(0, 5));
  if (Number(value[5]) !== expected) return `has a wrong check digit (expected ${expected})`;
  if (value.startsWith('00') || Number(value.slice(0, 2)) > 47) return 'has no such prefecture (01 to 47)';
  return null;
}

export function isLocalGovCode(value: unknown): value is string {
  return localGovCodeProblem(value) === null;
}

function parse(value: unknown): string {
  const problem = localGovCodeProblem(value);
  if (problem) {
    throw badUserInput(`Invalid LocalGovCode ${JSON.stringify(value)}: ${problem}.`, { argumentType: 'LocalGovCode' });
  }
  return value as string;
}

export const LocalGovCodeScalar = new GraphQLScalarType<string, string>({
  name: 'LocalGovCode',
  description:
    'A 6-digit Japanese local government code (全国地方公共団体コード): 2 prefecture digits, 3 municipality ' +
    'digits and a check digit (e.g. "130001" 東京都, "131016" 千代田区). Input is checked for length, digits ' +
    'and the check digit; an invalid code is rejected with BAD_USER_INPUT.',
  serialize: (value) => String(value),
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw badUserInput('Invalid LocalGovCode: must be given as a string, e.g. "131016".', { argumentType: 'LocalGovCode' });
    }
    return parse(ast.value);
  },
});
