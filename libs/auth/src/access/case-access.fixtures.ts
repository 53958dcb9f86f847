import { CASE_ACTIONS, type CaseAction } from '@wangge/domain';
import type { CasePrincipal, CaseShape, CaseView } from './case-access';

/**
 * Generated principals and case shapes for the access table's tests (the unit test in memory, the
 * integration test on PostgreSQL), and the expected answer written out from domain.md, apart from
 * the table it checks. Ids are UUIDs and codes have the real lengths, so the same shapes can be
 * stored in case_file.
 */

export const STREETS = ['410104001', '410104002'] as const;
export const CELLS = ['410104001001001', '410104001001002', '410104002001001'] as const;
export const CHIEFS = [5, 6] as const;
export const USER = {
  warden: '00000000-0000-4000-8000-0000000000a1',
  citizen: '00000000-0000-4000-8000-0000000000c1',
  other: '00000000-0000-4000-8000-0000000000d1',
} as const;

const street = (cell: string) => cell.slice(0, 9);

/** Every combination of place, assignee, escalation and reporter (144 shapes). */
export function generatedCases(): CaseShape[] {
  const out: CaseShape[] = [];
  const escalations: number[][] = [[], [5], [6], [6, 5]];
  for (const gridCellCode of CELLS) {
    for (const assigneeChiefId of [null, 5, 6]) {
      for (const escalatedTo of escalations) {
        for (const reporterId of [null, USER.warden, USER.citizen, USER.other]) {
          const n = out.length + 1;
          out.push({ id: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`, streetCode: street(gridCellCode), gridCellCode, assigneeChiefId, escalatedTo, reporterId });
        }
      }
    }
  }
  return out;
}

const none: ReadonlySet<string> = new Set();

/** Every role in every scope it can hold (and some that hold none), each also with a tracked case. */
export function generatedPrincipals(tracked: string): { name: string; p: CasePrincipal }[] {
  const base = (role: CasePrincipal['role'], extra: Partial<CasePrincipal> = {}): CasePrincipal => ({
    id: role === 'system' ? null : USER.other,
    role,
    streetCode: null,
    chiefId: null,
    cellCodes: none,
    ...extra,
  });
  const list: { name: string; p: CasePrincipal }[] = [{ name: 'system', p: base('system') }];
  for (const role of ['operator', 'leader', 'admin'] as const) {
    list.push({ name: `${role} (district)`, p: base(role) });
    list.push({ name: `${role} (street ${STREETS[1]})`, p: base(role, { streetCode: STREETS[1] }) });
  }
  list.push({ name: 'warden (two cells)', p: base('warden', { id: USER.warden, cellCodes: new Set([CELLS[0], CELLS[2]]) }) });
  list.push({ name: 'warden (no cells)', p: base('warden', { id: USER.warden }) });
  list.push({ name: 'chief 5', p: base('chief', { chiefId: 5 }) });
  list.push({ name: 'chief 6', p: base('chief', { chiefId: 6 }) });
  list.push({ name: 'chief without a chief record', p: base('chief') });
  list.push({ name: 'citizen (signed in)', p: base('citizen', { id: USER.citizen }) });
  list.push({ name: 'citizen (anonymous)', p: base('citizen', { id: null }) });
  const withTracked = list.filter((x) => x.p.role !== 'system').map((x) => ({ name: `${x.name} tracking one case`, p: { ...x.p, trackedCaseIds: new Set([tracked]) } }));
  return [...list, ...withTracked];
}

/** How domain.md says the principal sees the case (2, 4.3, 4.5), written out case by case. */
export function expectedView(p: CasePrincipal, c: CaseShape): CaseView | null {
  let staff = false;
  let reporter = false;
  switch (p.role) {
    case 'system':
      staff = true;
      break;
    case 'operator':
    case 'leader':
    case 'admin':
      staff = p.streetCode === null || p.streetCode === c.streetCode;
      break;
    case 'warden':
      staff = p.cellCodes.has(c.gridCellCode) || (p.id !== null && c.reporterId === p.id);
      break;
    case 'chief':
      staff = p.chiefId !== null && (c.assigneeChiefId === p.chiefId || c.escalatedTo.includes(p.chiefId));
      break;
    case 'citizen':
      reporter = p.id !== null && c.reporterId === p.id;
      break;
  }
  if (staff) return 'staff';
  return reporter || (p.trackedCaseIds?.has(c.id) ?? false) ? 'public' : null;
}

/** Whether the principal's jurisdiction lets it take the action on the case (role aside). */
export function expectedAction(p: CasePrincipal, c: CaseShape, action: CaseAction): boolean {
  switch (p.role) {
    case 'system':
      return true;
    case 'operator':
    case 'leader':
    case 'admin':
      return p.streetCode === null || p.streetCode === c.streetCode;
    case 'warden':
      return p.cellCodes.has(c.gridCellCode) || (action === 'comment' && p.id !== null && c.reporterId === p.id);
    case 'chief': {
      if (p.chiefId === null) return false;
      if (c.assigneeChiefId === p.chiefId) return true;
      return (action === 'comment' || action === 'resolve') && c.escalatedTo.includes(p.chiefId);
    }
    case 'citizen':
      return false;
  }
}

export const ACTIONS: readonly CaseAction[] = CASE_ACTIONS;
