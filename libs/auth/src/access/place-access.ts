import { caseGrants, caseRooms, caseScopeSql, conditionMatches, type CaseColumns, type CasePrincipal, type CaseShape, type SqlParam } from './case-access';

/**
 * Who sees which place (点位) and its inspections: the case access model ({@link CASE_ACCESS}),
 * read with a place in the case's stead, so one table still decides. A place is where the cases
 * its inspections open go: district staff see every place, street staff their street's, a warden
 * the places in their cells and those they are responsible for ("own reports": the person the
 * place names), a chief the places routing hands them (their cases' `assignee`). Public views (reporters, tracking tokens) see no place.
 */
export interface PlaceShape {
  id: string;
  streetCode: string;
  gridCellCode: string;
  /** The road chief routing names at the place. */
  chiefId: number | null;
  /** The person the place names as responsible (app_user id). */
  responsibleId: string | null;
}

/** The place as the case access model reads it. */
function asCase(place: PlaceShape): CaseShape {
  return {
    id: place.id,
    streetCode: place.streetCode,
    gridCellCode: place.gridCellCode,
    assigneeChiefId: place.chiefId,
    escalatedTo: [],
    reporterId: place.responsibleId,
    // The chief routing names at a place coordinates its departments' cases there too.
    coordinatorChiefId: place.chiefId,
  };
}

/** Whether the principal sees the place (and its inspections). */
export function placeVisible(p: CasePrincipal, place: PlaceShape): boolean {
  const c = asCase(place);
  return caseGrants(p, 'staff').some((g) => g.rule.scope !== 'tracking-token' && conditionMatches(g.condition, c));
}

/** The place columns under a table alias, in the case access model's terms. */
export function placeColumns(alias: string): CaseColumns {
  return {
    id: `${alias}.id`,
    streetCode: `${alias}.street_code`,
    gridCellCode: `${alias}.grid_cell_code`,
    assigneeChiefId: `${alias}.chief_id`,
    reporterId: `${alias}.responsible_id`,
    escalatedTo: `'{}'::int[]`,
    coordinatorChiefId: `${alias}.chief_id`,
  };
}

/** The principal's places as one SQL condition on `place` (alias), the form of {@link placeVisible}. */
export function placeScopeSql(p: CasePrincipal, alias: string, param: SqlParam): string {
  const staff: CasePrincipal = { ...p, trackedCaseIds: new Set() };
  return caseScopeSql(staff, placeColumns(alias), param, 'staff');
}

/** The feed rooms an inspection of the place goes to (staff rooms only). */
export function placeRooms(place: PlaceShape): string[] {
  return caseRooms(asCase(place), 'staff');
}
