import { describe, expect, it } from 'vitest';
import type { AuthUser } from '../auth-user';
import { peopleJurisdiction, personChangeRefusal, personVisible } from './people-access';

const user = (role: AuthUser['role'], streetCode: string | null): AuthUser => ({ id: 'u', username: 'u', name: 'u', role, streetCode, chiefId: null });
const district = { streetCode: null };
const street = { streetCode: '410104001' };

describe('people access', () => {
  it('gives admins the district or their street, and nobody else any people', () => {
    expect(peopleJurisdiction(user('admin', null))).toEqual(district);
    expect(peopleJurisdiction(user('admin', '410104001'))).toEqual(street);
    for (const role of ['operator', 'leader', 'warden', 'chief', 'citizen'] as const) expect(peopleJurisdiction(user(role, null))).toBeNull();
  });

  it('shows a street admin the people of their street only', () => {
    expect(personVisible(street, { streetCode: '410104001' })).toBe(true);
    expect(personVisible(street, { streetCode: '410104002' })).toBe(false);
    expect(personVisible(street, { streetCode: null })).toBe(false);
    expect(personVisible(district, { streetCode: null })).toBe(true);
  });

  it('lets a district admin make anyone anything', () => {
    expect(personChangeRefusal(district, { role: 'admin', streetCode: null, chiefId: 3 })).toBeNull();
    expect(personChangeRefusal(district, { role: 'warden', streetCode: '410104001', cellStreets: new Map([['410104002001001', '410104002']]) })).toBeNull();
  });

  it('refuses a street admin district-wide staff, other streets, cells outside and chief posts, naming the field', () => {
    expect(personChangeRefusal(street, { role: 'warden', streetCode: '410104001', cellStreets: new Map([['410104001001001', '410104001']]) })).toBeNull();
    expect(personChangeRefusal(street, { role: 'admin', streetCode: '410104001' })).toBeNull();
    expect(personChangeRefusal(street, { role: 'operator', streetCode: null })).toMatchObject({ field: 'streetCode', reason: expect.stringMatching(/district-wide/) });
    expect(personChangeRefusal(street, { role: 'admin', streetCode: '410104002' })).toMatchObject({ field: 'streetCode', reason: expect.stringMatching(/not of 410104002/) });
    expect(
      personChangeRefusal(street, { role: 'warden', streetCode: '410104001', cellStreets: new Map([['410104002001001', '410104002']]) }),
    ).toMatchObject({ field: 'cells', reason: expect.stringMatching(/cell 410104002001001 lies outside your street/) });
    expect(personChangeRefusal(street, { role: 'chief', streetCode: '410104001', chiefId: 7 })).toMatchObject({ field: 'chiefId' });
  });
});
