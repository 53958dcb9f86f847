import { describe, expect, it } from 'vitest';
import { HOLIDAY_PERIODS, holidayRows } from './holiday-calendar.data';

describe('the holiday calendar', () => {
  const rows = holidayRows();
  const byDate = new Map(rows.map((r) => [r.date, r]));
  const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

  it('has one row per date, sorted', () => {
    expect(new Set(rows.map((r) => r.date)).size).toBe(rows.length);
    expect([...rows].sort((a, b) => a.date.localeCompare(b.date))).toEqual(rows);
  });

  it('follows the 2026 State Council notice', () => {
    const days = (kind: string) => rows.filter((r) => r.date.startsWith('2026') && r.kind === kind).map((r) => r.date);
    expect(days('holiday')).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(days('workday')).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(byDate.get('2026-10-01')).toMatchObject({ kind: 'holiday', name: '国庆节', nameEn: 'National Day' });
    expect(byDate.get('2026-10-10')).toMatchObject({ kind: 'workday' });
    expect(byDate.get('2026-02-17')).toMatchObject({ kind: 'holiday', name: '春节' });
    expect(byDate.has('2026-10-08')).toBe(false);
  });

  it('puts make-up work days on weekends only', () => {
    for (const r of rows.filter((x) => x.kind === 'workday')) expect([0, 6]).toContain(weekday(r.date));
  });

  it('has the 2027 statutory days (provisional) with no guessed make-up days', () => {
    expect(HOLIDAY_PERIODS[2027]).toHaveLength(7);
    expect(rows.filter((r) => r.date.startsWith('2027') && r.kind === 'workday')).toEqual([]);
    for (const date of ['2027-01-01', '2027-02-05', '2027-02-08', '2027-04-05', '2027-05-01', '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-03']) {
      expect(byDate.get(date)?.kind).toBe('holiday');
    }
  });
});
