import { describe, expect, it } from 'vitest';
import { createNameGenerator } from './person-names';

describe('createNameGenerator', () => {
  it('gives the same unique Chinese names on every run', () => {
    const take = (n: number) => {
      const next = createNameGenerator();
      return Array.from({ length: n }, () => next());
    };
    const names = take(1000);
    expect(names).toEqual(take(1000));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    expect(new Set(names.map((n) => n[0])).size).toBeGreaterThan(50);
  });
});
