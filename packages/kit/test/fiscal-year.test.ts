import { GraphQLError } from 'graphql';
import { atYearEnd, MAX_FISCAL_YEAR_SPAN, requireFiscalYearRange } from '../src';

describe('requireFiscalYearRange', () => {
  it('lists the years of a range, oldest first, up to the maximum span', () => {
    expect(requireFiscalYearRange(2022, 2026)).toEqual([2022, 2023, 2024, 2025, 2026]);
    expect(requireFiscalYearRange(2024, 2024)).toEqual([2024]);
    expect(requireFiscalYearRange(2015, 2015 + MAX_FISCAL_YEAR_SPAN - 1)).toHaveLength(MAX_FISCAL_YEAR_SPAN);
  });

  it.each([
    [2015, 2015 + MAX_FISCAL_YEAR_SPAN, /at most 10 fiscal years/],
    [2026, 2022, /must not be before/],
    [1999, 2001, /fromFiscalYear must be a fiscal year/],
    [2024, 2024.5, /toFiscalYear must be a fiscal year/],
  ])('refuses %s–%s with BAD_USER_INPUT', (from, to, message) => {
    let error: unknown;
    try {
      requireFiscalYearRange(from, to);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    expect((error as GraphQLError).message).toMatch(message);
  });
});

describe('atYearEnd', () => {
  const history = [
    { fiscalYear: 2021, n: 1 },
    { fiscalYear: 2023, n: 4 },
  ];
  it('gives the latest entry at or before the year, nothing before the first', () => {
    expect([2020, 2021, 2022, 2023, 2030].map((y) => atYearEnd(history, y)?.n)).toEqual([undefined, 1, 1, 4, 4]);
  });
});
