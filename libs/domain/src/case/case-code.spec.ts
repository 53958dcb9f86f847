import { describe, expect, it } from 'vitest';
import { CASE_CODE_PATTERN, formatCaseCode } from './case-code';

describe('formatCaseCode', () => {
  it('joins district, local date and a zero-padded daily sequence', () => {
    expect(formatCaseCode('410104', '2026-11-29', 42)).toBe('410104-20261129-000042');
    expect(CASE_CODE_PATTERN.test(formatCaseCode('410104', '2026-01-01', 999_999))).toBe(true);
  });
  it.each([0, -1, 1_000_000, 1.5])('refuses sequence %s', (n) => {
    expect(() => formatCaseCode('410104', '2026-11-29', n)).toThrow(/out of/);
  });
  it('refuses a bad district or date', () => {
    expect(() => formatCaseCode('41010', '2026-11-29', 1)).toThrow();
    expect(() => formatCaseCode('410104', '20261129', 1)).toThrow();
  });
});
