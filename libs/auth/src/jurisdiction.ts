import { DISTRICT_WIDE_ROLES } from '@wangge/domain';
import type { AuthUser } from './auth-user';

/** Where a thing is, as far as jurisdiction goes. */
export interface Place {
  streetCode: string;
  cellCode?: string;
}

/**
 * What a caller may see, decided on the server from role and jurisdiction:
 * district-wide staff everything; street-level staff their street; wardens their cells;
 * chiefs what is assigned or escalated to them (resolved by the workflow, not by place).
 */
export type Jurisdiction =
  | { kind: 'district' }
  | { kind: 'street'; streetCode: string }
  | { kind: 'cells'; cellCodes: ReadonlySet<string> }
  | { kind: 'chief'; chiefId: number }
  | { kind: 'none' };

export function jurisdictionOf(user: AuthUser, wardenCells: ReadonlySet<string> = new Set()): Jurisdiction {
  if (DISTRICT_WIDE_ROLES.includes(user.role)) {
    return user.streetCode ? { kind: 'street', streetCode: user.streetCode } : { kind: 'district' };
  }
  if (user.role === 'warden') return { kind: 'cells', cellCodes: wardenCells };
  if (user.role === 'chief' && user.chiefId !== null) return { kind: 'chief', chiefId: user.chiefId };
  return { kind: 'none' };
}

/** Whether a place lies inside the jurisdiction (chiefs are judged by assignment elsewhere). */
export function coversPlace(jurisdiction: Jurisdiction, place: Place): boolean {
  switch (jurisdiction.kind) {
    case 'district':
      return true;
    case 'street':
      return place.streetCode === jurisdiction.streetCode;
    case 'cells':
      return place.cellCode !== undefined && jurisdiction.cellCodes.has(place.cellCode);
    case 'chief':
    case 'none':
      return false;
  }
}
