import { describe, expect, it } from 'vitest';
import { CATEGORY_CODE_PATTERN, categoryCode, isClockType } from '@wangge/domain';
import { CATALOGUE, MAJOR_CLASSES } from './catalogue.data';
import { HOLIDAY_PERIODS, holidayRows } from './holidays.data';

describe('the catalogue data', () => {
  const codes = CATALOGUE.map((c) => categoryCode(c.kind, c.majorCode, c.minorCode));

  it('has about 60 unique categories over component classes 01-05 and event classes 01-06', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(55);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(CATEGORY_CODE_PATTERN);
    expect(new Set(CATALOGUE.filter((c) => c.kind === 'component').map((c) => c.majorCode))).toEqual(new Set(['01', '02', '03', '04', '05']));
    expect(new Set(CATALOGUE.filter((c) => c.kind === 'event').map((c) => c.majorCode))).toEqual(new Set(['01', '02', '03', '04', '05', '06']));
    for (const c of CATALOGUE) expect(MAJOR_CLASSES[c.kind][c.majorCode]).toBeDefined();
    expect(CATALOGUE.find((c) => c.kind === 'component' && c.majorCode === '01' && c.minorCode === '01')?.name).toBe('上水井盖');
    expect(CATALOGUE.find((c) => c.kind === 'event' && c.majorCode === '01' && c.minorCode === '02')?.name).toBe('暴露垃圾');
  });

  it('gives every category 1-3 conditions with a positive limit on a known clock, in both languages', () => {
    for (const c of CATALOGUE) {
      expect(c.conditions.length).toBeGreaterThanOrEqual(1);
      expect(c.conditions.length).toBeLessThanOrEqual(3);
      expect(c.name).toMatch(/[\u4e00-\u9fff]/);
      expect(c.nameEn).toMatch(/^[A-Z]/);
      for (const k of c.conditions) {
        expect(k.limit).toBeGreaterThan(0);
        expect(isClockType(k.clock)).toBe(true);
        for (const text of [k.zh, k.closeZh]) expect(text).toMatch(/[\u4e00-\u9fff]/);
        for (const text of [k.en, k.closeEn]) expect(text).toMatch(/^[\x20-\x7e]+$/);
      }
    }
  });

  it('treats a missing manhole cover as urgent and leaves a few categories to the operator', () => {
    const cover = CATALOGUE.find((c) => c.kind === 'component' && c.majorCode === '01' && c.minorCode === '02');
    expect(cover?.conditions[0]).toMatchObject({ clock: 'urgent_hours', limit: 2 });
    const manual = CATALOGUE.filter((c) => !c.autoRegister);
    expect(manual.length).toBeGreaterThan(0);
    expect(manual.length).toBeLessThan(CATALOGUE.length / 5);
    expect(manual.map((c) => c.name)).toContain('私搭乱建');
  });
});

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
