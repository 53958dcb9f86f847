import { describe, expect, it } from 'vitest';
import { CATEGORY_CODE_PATTERN, categoryCode, isClockType } from '@wangge/domain';
import { CATALOGUE, MAJOR_CLASSES } from './standard-catalogue.data';

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
