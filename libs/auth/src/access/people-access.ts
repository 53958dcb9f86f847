import type { Role } from '@wangge/domain';
import type { AuthUser } from '../auth-user';
import { staffJurisdiction, type StaffJurisdiction } from './staff-jurisdiction';

/**
 * Who may see and change which person (domain.md section 7). People are managed by admins, within
 * the jurisdiction the case access model gives them ({@link CASE_ACCESS}): the district, or their
 * street for a street-level admin. A street admin sees and changes the people of their street only,
 * may not make district-wide staff or people of another street, nor give cells or road-chief posts
 * outside their street. One rule, used by every people endpoint.
 */
export type PeopleJurisdiction = StaffJurisdiction;

/** What a change would make of a person: their role and street, the streets of the cells they get, a chief post. */
export interface PersonShape {
  role: Role;
  streetCode: string | null;
  /** The street of each cell given to them: code → street code. */
  cellStreets?: ReadonlyMap<string, string>;
  /** A road-chief post given to them. */
  chiefId?: number | null;
}

export interface PeopleRefusal {
  field: string;
  reason: string;
}

/** The admin's jurisdiction over people; null for anyone who may not manage people. */
export function peopleJurisdiction(user: AuthUser): PeopleJurisdiction | null {
  return user.role === 'admin' ? staffJurisdiction(user) : null;
}

/** Whether the admin sees (and may change) this person as they are now. */
export function personVisible(j: PeopleJurisdiction, person: { streetCode: string | null }): boolean {
  return j.streetCode === null || person.streetCode === j.streetCode;
}

/** Why the admin may not make the person this (403), or null when they may. */
export function personChangeRefusal(j: PeopleJurisdiction, next: PersonShape): PeopleRefusal | null {
  if (j.streetCode === null) return null;
  const street = j.streetCode;
  if (next.streetCode === null) {
    return {
      field: 'streetCode',
      reason: `an admin of street ${street} may not create or make district-wide staff (no street): ask a district admin / 街道管理员不能设置全区人员，请联系区级管理员`,
    };
  }
  if (next.streetCode !== street) {
    return {
      field: 'streetCode',
      reason: `an admin of street ${street} manages the people of that street only, not of ${next.streetCode} / 街道管理员只能管理本街道 (${street}) 的人员`,
    };
  }
  for (const [cell, cellStreet] of next.cellStreets ?? []) {
    if (cellStreet !== street) {
      return { field: 'cells', reason: `cell ${cell} lies outside your street ${street} (in ${cellStreet}) / 网格 ${cell} 不在本街道内` };
    }
  }
  if (next.chiefId !== undefined && next.chiefId !== null) {
    return { field: 'chiefId', reason: 'road-chief posts are assigned by a district admin / 路长岗位由区级管理员指定' };
  }
  return null;
}
