import type { AuthUser } from '../auth-user';
import { caseGrants, principalOf, type CasePrincipal } from './case-access';

/**
 * The jurisdiction of district-wide staff (operator, leader, admin) as the case access model gives
 * it ({@link CASE_ACCESS}): the whole district (`streetCode` null) or their street. What they may
 * see and change beyond cases (people, road chiefs, the dispatcher's jobs) follows from it.
 */
export interface StaffJurisdiction {
  /** null: the whole district. */
  streetCode: string | null;
}

/** The staff member's jurisdiction; null for anyone who holds none (chiefs, wardens, citizens). */
export function staffJurisdiction(user: AuthUser): StaffJurisdiction | null {
  return principalJurisdiction(principalOf(user));
}

/** {@link staffJurisdiction} of a principal (a workflow Actor): what an inspection plan by kind covers. */
export function principalJurisdiction(p: CasePrincipal): StaffJurisdiction | null {
  const grants = caseGrants(p, 'staff');
  if (grants.some((g) => g.rule.scope === 'district')) return { streetCode: null };
  const street = grants.find((g) => g.rule.scope === 'street');
  return street && street.condition.kind === 'one-of' ? { streetCode: String(street.condition.values[0]) } : null;
}

/** Whether the user is district-level staff (district-wide data: reference data, the queues). */
export function holdsDistrict(user: AuthUser): boolean {
  return staffJurisdiction(user)?.streetCode === null;
}
