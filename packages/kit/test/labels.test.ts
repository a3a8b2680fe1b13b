import { dateInJapan, fiscalYearLabel, fiscalYearLabels } from '../src';

describe('fiscal year names', () => {
  it('names fiscal years in the era calendar as the government does', () => {
    expect(fiscalYearLabel(2024).label).toBe('令和6年度');
    expect(fiscalYearLabel(2019).label).toBe('令和元年度');
    expect(fiscalYearLabel(2020).label).toBe('令和2年度');
    expect(fiscalYearLabel(2018).label).toBe('平成30年度');
    expect(fiscalYearLabel(2000)).toEqual({ fiscalYear: 2000, label: '平成12年度', era: '平成', eraYear: 12, startsOn: '2000-04-01', endsOn: '2001-03-31' });
  });

  it('lists a range oldest first and refuses a bad one', () => {
    expect(fiscalYearLabels(2022, 2026).map((y) => y.label)).toEqual(['令和4年度', '令和5年度', '令和6年度', '令和7年度', '令和8年度']);
    expect(() => fiscalYearLabels(2026, 2022)).toThrow(/`to` must not be before `from`/);
    expect(() => fiscalYearLabel(1999)).toThrow(/fiscal year between 2000 and 2100/);
  });

  it('takes the day in Japan', () => {
    expect(dateInJapan(new Date('2025-03-31T15:00:00Z'))).toBe('2025-04-01');
    expect(dateInJapan(new Date('2025-03-31T14:59:59Z'))).toBe('2025-03-31');
  });
});
