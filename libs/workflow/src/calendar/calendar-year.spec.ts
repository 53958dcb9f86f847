import { describe, expect, it } from 'vitest';
import { checkCalendarYear } from './calendar-year';

const fields = (r: ReturnType<typeof checkCalendarYear>) => ('problems' in r ? r.problems.map((p) => p.field) : []);

describe('checkCalendarYear', () => {
  it('accepts real, unique dates of the year, sorted, nameEn defaulting to the name', () => {
    const r = checkCalendarYear(2027, [
      { date: '2027-02-06', kind: 'holiday', name: '春节', nameEn: 'Spring Festival' },
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-13', kind: 'workday', name: '春节调休' },
    ]);
    expect(r).toEqual({
      entries: [
        { date: '2027-01-01', kind: 'holiday', name: '元旦', nameEn: '元旦' },
        { date: '2027-02-06', kind: 'holiday', name: '春节', nameEn: 'Spring Festival' },
        { date: '2027-02-13', kind: 'workday', name: '春节调休', nameEn: '春节调休' },
      ],
    });
    expect(checkCalendarYear(2027, [])).toEqual({ entries: [] });
  });

  it('names the field of every bad entry', () => {
    const r = checkCalendarYear(2027, [
      { date: '2027-02-30', kind: 'holiday', name: 'x' },
      { date: '2026-12-31', kind: 'holiday', name: 'x' },
      { date: '2027-05-01', kind: 'vacation', name: '' },
      { date: '2027-05-01', kind: 'holiday', name: 'again' },
      { date: '2027-05-02', kind: 'holiday', name: 'x', extra: 1 },
      'nope',
    ]);
    expect(fields(r)).toEqual(['[0].date', '[1].date', '[2].kind', '[2].name', '[3].date', '[4].extra', '[5]']);
  });

  it('refuses a body that is not an array and a year out of range', () => {
    expect(fields(checkCalendarYear(2027, { date: '2027-01-01' }))).toEqual(['body']);
    expect(fields(checkCalendarYear(1999, []))).toEqual(['year']);
    expect(fields(checkCalendarYear(2027.5, []))).toEqual(['year']);
  });
});
