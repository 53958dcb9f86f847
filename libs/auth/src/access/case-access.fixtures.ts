import { CASE_ACTIONS } from '@wangge/domain';
import { APPEAL_ACTS, CITIZEN_ACTS, EXTENSION_ACTS, LEADER_ACTS, UPDATE_ACTS, type CaseAct, type CasePrincipal, type CaseShape, type CaseView } from './case-access';

/**
 * Generated principals and case shapes for the access table's tests (the unit test in memory, the
 * integration test on PostgreSQL), and the expected answer written out from domain.md, apart from
 * the table it checks. Ids are UUIDs and codes have the real lengths, so the same shapes can be
 * stored in case_file.
 */

/** The places, chiefs and users the generated shapes use (the integration test takes real ones from the demo district). */
export interface AccessWorld {
  /** Three grid cells: the first two in one street, the third in another. */
  cells: readonly [string, string, string];
  chiefs: readonly [number, number];
  /** Two departments (the integration test stores them). */
  departments: readonly [string, string];
  users: { warden: string; citizen: string; other: string };
}

export const UNIT_WORLD: AccessWorld = {
  cells: ['410104001001001', '410104001001002', '410104002001001'],
  chiefs: [5, 6],
  departments: ['GAS', 'PARKS'],
  users: {
    warden: '00000000-0000-4000-8000-0000000000a1',
    citizen: '00000000-0000-4000-8000-0000000000c1',
    other: '00000000-0000-4000-8000-0000000000d1',
  },
};

/** A cell's street: its first 9 digits. */
export const streetOf = (cell: string): string => cell.slice(0, 9);

/**
 * Every combination of place, assignee, escalation and reporter (144 shapes), an unplaced case
 * (reported by address only) per reporter (4), and a department's case per place, department and
 * coordinating chief (12).
 */
export function generatedCases(world: AccessWorld = UNIT_WORLD): CaseShape[] {
  const out: CaseShape[] = [];
  const [a, b] = world.chiefs;
  const escalations: number[][] = [[], [a], [b], [b, a]];
  for (const gridCellCode of world.cells) {
    for (const assigneeChiefId of [null, a, b]) {
      for (const escalatedTo of escalations) {
        for (const reporterId of [null, world.users.warden, world.users.citizen, world.users.other]) {
          const n = out.length + 1;
          out.push({ id: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`, streetCode: streetOf(gridCellCode), gridCellCode, assigneeChiefId, escalatedTo, reporterId });
        }
      }
    }
  }
  for (const reporterId of [null, world.users.warden, world.users.citizen, world.users.other]) {
    const n = out.length + 1;
    out.push({ id: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`, streetCode: null, gridCellCode: null, assigneeChiefId: null, escalatedTo: [], reporterId });
  }
  for (const gridCellCode of world.cells) {
    for (const assigneeDepartmentCode of world.departments) {
      for (const coordinatorChiefId of [a, b]) {
        const n = out.length + 1;
        out.push({
          id: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
          streetCode: streetOf(gridCellCode),
          gridCellCode,
          assigneeChiefId: null,
          escalatedTo: [],
          reporterId: null,
          assigneeDepartmentCode,
          coordinatorChiefId,
        });
      }
    }
  }
  return out;
}

const none: ReadonlySet<string> = new Set();

/** Every role in every scope it can hold (and some that hold none), each also with a tracked case. */
export function generatedPrincipals(tracked: string, world: AccessWorld = UNIT_WORLD): { name: string; p: CasePrincipal }[] {
  const { users, cells, chiefs, departments } = world;
  const base = (role: CasePrincipal['role'], extra: Partial<CasePrincipal> = {}): CasePrincipal => ({
    id: role === 'system' ? null : users.other,
    role,
    streetCode: null,
    chiefId: null,
    cellCodes: none,
    ...extra,
  });
  const otherStreet = streetOf(cells[2]);
  const list: { name: string; p: CasePrincipal }[] = [{ name: 'system', p: base('system') }];
  for (const role of ['operator', 'leader', 'admin'] as const) {
    list.push({ name: `${role} (district)`, p: base(role) });
    list.push({ name: `${role} (street ${otherStreet})`, p: base(role, { streetCode: otherStreet }) });
  }
  list.push({ name: 'warden (two cells)', p: base('warden', { id: users.warden, cellCodes: new Set([cells[0], cells[2]]) }) });
  list.push({ name: 'warden (no cells)', p: base('warden', { id: users.warden }) });
  list.push({ name: 'chief A', p: base('chief', { chiefId: chiefs[0] }) });
  list.push({ name: 'chief B', p: base('chief', { chiefId: chiefs[1] }) });
  list.push({ name: 'chief without a chief record', p: base('chief') });
  list.push({ name: `department ${departments[0]} member`, p: base('department', { departmentCode: departments[0] }) });
  list.push({ name: `department ${departments[1]} member`, p: base('department', { departmentCode: departments[1] }) });
  list.push({ name: 'department member without a department', p: base('department') });
  list.push({ name: `department ${departments[0]} leader`, p: base('department', { departmentCode: departments[0], ledDepartmentCode: departments[0] }) });
  list.push({ name: 'citizen (signed in)', p: base('citizen', { id: users.citizen }) });
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
      staff = (c.gridCellCode !== null && p.cellCodes.has(c.gridCellCode)) || (p.id !== null && c.reporterId === p.id);
      break;
    case 'chief':
      staff = p.chiefId !== null && (c.assigneeChiefId === p.chiefId || c.escalatedTo.includes(p.chiefId) || c.coordinatorChiefId === p.chiefId);
      break;
    case 'department':
      staff = !!p.departmentCode && c.assigneeDepartmentCode === p.departmentCode;
      break;
    case 'citizen':
      reporter = p.id !== null && c.reporterId === p.id;
      break;
  }
  if (staff) return 'staff';
  return reporter || (p.trackedCaseIds?.has(c.id) ?? false) ? 'public' : null;
}

/** Whether the principal's jurisdiction lets it take the action on the case (role aside). */
export function expectedAction(p: CasePrincipal, c: CaseShape, action: CaseAct): boolean {
  // A reporter's follow-up (feedback, updates, the reopen a "not fixed" brings) goes with the case's tracking token, whoever shows it.
  const followUp = action === 'feedback' || action === 'add-update';
  if ((followUp || action === 'reopen') && (p.trackedCaseIds?.has(c.id) ?? false)) return true;
  if (followUp) return false;
  // Staff of the case's jurisdiction decide a reporter's update; no warden or chief does.
  if (action === 'decide-update' && (p.role === 'warden' || p.role === 'chief')) return false;
  switch (p.role) {
    case 'system':
      return action !== 'appeal';
    case 'operator':
    case 'leader':
    case 'admin':
      return action !== 'appeal' && (p.streetCode === null || p.streetCode === c.streetCode);
    case 'warden':
      if (action === 'appeal' || action === 'decide-appeal' || action === 'decide-extension' || action === 'supervise' || action === 'instruct') return false;
      return (c.gridCellCode !== null && p.cellCodes.has(c.gridCellCode)) || (action === 'comment' && p.id !== null && c.reporterId === p.id);
    case 'chief': {
      if (p.chiefId === null || action === 'decide-appeal' || action === 'decide-extension' || action === 'supervise' || action === 'instruct') return false;
      if (c.assigneeChiefId === p.chiefId) return true;
      if (action === 'comment' && c.coordinatorChiefId === p.chiefId) return true;
      return (action === 'comment' || action === 'resolve') && c.escalatedTo.includes(p.chiefId);
    }
    case 'department': {
      if (!p.departmentCode || c.assigneeDepartmentCode !== p.departmentCode) return false;
      // Its members handle it; its leader also decides their appeals and requests for more time.
      if (['accept', 'return', 'resolve', 'extend', 'comment', 'appeal'].includes(action)) return true;
      return p.ledDepartmentCode === p.departmentCode && ['decide-appeal', 'decide-extension', 'refuse-extension'].includes(action);
    }
    case 'citizen':
      return false;
  }
}

/** Every act of the table: the case actions, the steps of an appeal, a leader's orders, a reporter's follow-up and its decision. */
export const ACTIONS: readonly CaseAct[] = [...CASE_ACTIONS, ...APPEAL_ACTS, ...LEADER_ACTS, ...CITIZEN_ACTS, ...UPDATE_ACTS, ...EXTENSION_ACTS];
