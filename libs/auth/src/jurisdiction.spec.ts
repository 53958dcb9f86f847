import { describe, expect, it } from 'vitest';
import type { AuthUser } from './auth-user';
import { coversPlace, jurisdictionOf } from './jurisdiction';

const user = (role: AuthUser['role'], extra: Partial<AuthUser> = {}): AuthUser => ({
  id: 'u', username: 'u', name: 'U', role, streetCode: null, chiefId: null, ...extra,
});
const place = { streetCode: '410104001', cellCode: '410104001001001' };

describe('jurisdiction', () => {
  it('district-wide staff see everything', () => {
    for (const role of ['operator', 'leader', 'admin'] as const) expect(coversPlace(jurisdictionOf(user(role)), place)).toBe(true);
  });

  it('street-level staff see their street only', () => {
    const j = jurisdictionOf(user('operator', { streetCode: '410104002' }));
    expect(coversPlace(j, place)).toBe(false);
    expect(coversPlace(j, { streetCode: '410104002' })).toBe(true);
  });

  it('wardens see the cells they patrol', () => {
    const j = jurisdictionOf(user('warden'), new Set(['410104001001001']));
    expect(coversPlace(j, place)).toBe(true);
    expect(coversPlace(j, { ...place, cellCode: '410104001001002' })).toBe(false);
  });

  it('chiefs and citizens see no place by location', () => {
    expect(jurisdictionOf(user('chief', { chiefId: 4 }))).toEqual({ kind: 'chief', chiefId: 4 });
    expect(coversPlace(jurisdictionOf(user('chief', { chiefId: 4 })), place)).toBe(false);
    expect(coversPlace(jurisdictionOf(user('citizen')), place)).toBe(false);
  });
});
