import { describe, expect, it } from 'vitest';
import { categoryCode } from '@wangge/domain';
import { STANDARD_CATALOGUE } from '@wangge/catalogue';
import { planDemoDepartments } from './department-plan';

describe('the demo departments', () => {
  const plan = planDemoDepartments();

  it('are the gas company, the municipal, environment and enforcement bureaus; the gas company handles gas leaks (E0403)', () => {
    expect(plan.map((d) => [d.code, d.name])).toEqual([
      ['GAS', '燃气公司'],
      ['MUNI', '市政局'],
      ['ENV', '环保局'],
      ['LAW', '执法局'],
    ]);
    expect(plan.find((d) => d.code === 'GAS')?.categoryCodes).toContain('E0403');
  });

  it('handle categories of the standard catalogue, none handled by two departments, over every street', () => {
    const known = new Set(STANDARD_CATALOGUE.map((c) => categoryCode(c.kind, c.majorCode, c.minorCode)));
    const all = plan.flatMap((d) => d.categoryCodes);
    expect(all.filter((c) => !known.has(c))).toEqual([]);
    expect(new Set(all).size).toBe(all.length);
    for (const d of plan) expect(d.streetCodes).toEqual([]);
  });

  it('each have one leader and one or two members more at most, with valid, distinct dept-… logins', () => {
    for (const d of plan) {
      expect(d.members.filter((m) => m.leader)).toHaveLength(1);
      expect(d.members[0].leader).toBe(true);
      expect(d.members.length).toBeGreaterThanOrEqual(1);
      expect(d.members.length).toBeLessThanOrEqual(3);
    }
    const usernames = plan.flatMap((d) => d.members.map((m) => m.username));
    expect(usernames).toContain('dept-gas1');
    expect(new Set(usernames).size).toBe(usernames.length);
    for (const u of usernames) expect(u).toMatch(/^dept-[a-z]+\d$/);
  });
});
