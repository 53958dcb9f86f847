import { CASE_ACTIONS, DISTRICT_WIDE_ROLES, ROLES, type CaseAction, type Role } from '@wangge/domain';
import type { AuthUser } from '../auth-user';

/**
 * The one definition of who sees and who may act on which case (domain.md 2, 4.3, 4.5). Every
 * reader of cases asks it: case reads and lists, transitions, map layers and tiles, hotspots, the
 * feed's rooms, replay and stats. One table ({@link CASE_ACCESS}) gives, per role, the scopes a
 * caller holds; each scope is a {@link CaseCondition} that is judged three ways from the same data:
 * in memory ({@link caseVisible}), as SQL ({@link caseScopeSql}) and as socket.io rooms
 * ({@link principalRooms} meets {@link caseRooms}). A new role or scope is one row of the table.
 */

/** Whoever asks, with what the server knows of their jurisdiction (a workflow Actor is one). */
export interface CasePrincipal {
  /** app_user id; null for anonymous citizens and for the system. */
  id: string | null;
  role: Role | 'system';
  /** Street-level staff: their street (null = the whole district). */
  streetCode: string | null;
  /** Chiefs: their road_chief id. */
  chiefId: number | null;
  /** Wardens: the grid cells they patrol. */
  cellCodes: ReadonlySet<string>;
  /** Department members: their department's code (absent or null for everyone else). */
  departmentCode?: string | null;
  /** A department's leader (部门负责人): the department they lead (absent or null for everyone else). */
  ledDepartmentCode?: string | null;
  /** Cases whose tracking token the caller has shown (checked by the server before it is put here). */
  trackedCaseIds?: ReadonlySet<string>;
}

/** The signed-in user as the access model sees them (a warden with the cells they patrol, read by the caller). */
export function principalOf(user: AuthUser, wardenCells: ReadonlySet<string> = new Set()): CasePrincipal {
  return {
    id: user.id,
    role: user.role,
    streetCode: user.streetCode,
    chiefId: user.chiefId,
    cellCodes: user.role === 'warden' ? wardenCells : new Set(),
    ...(user.role === 'department' ? { departmentCode: user.departmentCode ?? null, ledDepartmentCode: user.ledDepartmentCode ?? null } : {}),
  };
}

/** What decides who sees a case: where it is, who holds it, who reported it. */
export interface CaseShape {
  id: string;
  /** null (with the cell) for a case reported by address only and not yet placed: only district-wide staff see it. */
  streetCode: string | null;
  gridCellCode: string | null;
  assigneeChiefId: number | null;
  escalatedTo: readonly number[];
  reporterId: string | null;
  /** The department the case is dispatched to (its members handle it; absent: none). */
  assigneeDepartmentCode?: string | null;
  /** The road chief who coordinates a department's case (sees it, comments; absent: none). */
  coordinatorChiefId?: number | null;
  /**
   * The open check task (核查/核实): the warden it is given to (with `checkAssigned`; null there: no
   * warden may verify). Without `checkAssigned`: no task given to a warden (any warden of the cell checks).
   */
  checkWardenId?: string | null;
  /** Whether a check task is open on the case (then only its warden, or an operator, verifies). */
  checkAssigned?: boolean;
}

/** A field of the case whose value a scope names (`checkCellCode`: the case's cell while no check task is assigned, else none). */
export type CaseKeyField =
  | 'id'
  | 'streetCode'
  | 'gridCellCode'
  | 'assigneeChiefId'
  | 'reporterId'
  | 'checkWardenId'
  | 'checkCellCode'
  | 'assigneeDepartmentCode'
  | 'coordinatorChiefId';

/** What one scope lets through: every case, the cases whose field is one of the values, or whose escalation list holds the value. */
export type CaseCondition =
  | { kind: 'every' }
  | { kind: 'one-of'; field: CaseKeyField; values: readonly (string | number)[] }
  | { kind: 'listed'; field: 'escalatedTo'; value: number };

export type CaseScopeName =
  | 'system'
  | 'district'
  | 'street'
  | 'cells'
  | 'cell-checks'
  | 'check-task'
  | 'own-reports'
  | 'assigned'
  | 'escalated'
  | 'department'
  | 'department-lead'
  | 'coordinating'
  | 'tracking-token';

/**
 * What is done to an appeal (申诉) of a case's overdue mark: made by the chief the case is
 * assigned to, decided by staff whose jurisdiction holds the case (the roles: evaluation's appeals).
 */
export const APPEAL_ACTS = ['appeal', 'decide-appeal'] as const;
export type AppealAct = (typeof APPEAL_ACTS)[number];

/**
 * A leader's orders on a case (domain.md 9): 督办 (supervise) and 批示 (instruct), given by a leader
 * whose jurisdiction holds the case (the role: the workflow's supervision).
 */
export const LEADER_ACTS = ['supervise', 'instruct'] as const;
export type LeaderAct = (typeof LEADER_ACTS)[number];

/**
 * A citizen's follow-up of a case they reported (domain.md 9), with its tracking token: feedback after
 * close (whose "not fixed" may `reopen` it, a CaseAction) and updates with photos.
 */
export const CITIZEN_ACTS = ['feedback', 'add-update'] as const;
export type CitizenAct = (typeof CITIZEN_ACTS)[number];

/** Staff of a jurisdiction approve or reject a citizen's update before the public sees it (the roles: the workflow's citizen updates). */
export const UPDATE_ACTS = ['decide-update'] as const;
export type UpdateAct = (typeof UPDATE_ACTS)[number];

/**
 * Granting a road chief's or department member's request for more time (延期): `extend` by whoever
 * holds this act moves the deadline, by anyone else it asks; `refuse-extension` declines a request.
 * District and street staff hold it over their jurisdiction (the role: the workflow's extend, a
 * leader), a department's leader over their department's cases.
 */
export const EXTENSION_ACTS = ['decide-extension'] as const;
export type ExtensionAct = (typeof EXTENSION_ACTS)[number];

/** Whatever the table allows on a case: a transition or comment, a step of an appeal, a leader's order, a citizen's follow-up and its decision, an extension's decision. */
export type CaseAct = CaseAction | AppealAct | LeaderAct | CitizenAct | UpdateAct | ExtensionAct;

/** Staff see a case in full; `public` is what the reporter and a tracking-token holder see. */
export type CaseView = 'staff' | 'public';

export interface CaseAccessRule {
  scope: CaseScopeName;
  roles: readonly (Role | 'system')[];
  view: CaseView;
  /** The actions the scope allows on the cases it lets through (the role must allow them too: ACTION_ROLES, the appeals' roles). */
  acts: readonly CaseAct[];
  /** The cases the scope lets the principal see; null when the principal holds no such scope. */
  where(p: CasePrincipal): CaseCondition | null;
  /** The scope only allows acts on cases the principal sees through another scope: it adds nothing to what, or in which rooms, they see. */
  actsOnly?: true;
}

const EVERY: CaseCondition = { kind: 'every' };
/** A warden's actions in their cells; `verify` only where no check task is given, or the task is theirs. */
const CELL_ACTIONS: readonly CaseAct[] = CASE_ACTIONS.filter((a) => a !== 'verify');
/** Staff of a jurisdiction (and the system) decide the appeals of its cases and give orders on them. */
const JURISDICTION_ACTS: readonly CaseAct[] = [...CASE_ACTIONS, 'decide-appeal', ...EXTENSION_ACTS, ...LEADER_ACTS, ...UPDATE_ACTS];
/** The holder of a case's tracking token follows it up: feedback (and the reopen it may bring), updates. */
const TOKEN_ACTS: readonly CaseAct[] = [...CITIZEN_ACTS, 'reopen'];

function oneOf(field: CaseKeyField, values: readonly (string | number)[]): CaseCondition | null {
  return values.length > 0 ? { kind: 'one-of', field, values } : null;
}

const ownReports = (p: CasePrincipal) => (p.id === null ? null : oneOf('reporterId', [p.id]));
const chiefHolds = (p: CasePrincipal) => (p.chiefId === null ? null : oneOf('assigneeChiefId', [p.chiefId]));
const departmentHolds = (p: CasePrincipal) => (p.departmentCode ? oneOf('assigneeDepartmentCode', [p.departmentCode]) : null);
const chiefCoordinates = (p: CasePrincipal) => (p.chiefId === null ? null : oneOf('coordinatorChiefId', [p.chiefId]));

/** What a department's members do with the cases of their trade (domain.md 9): the handler's steps, not the command centre's. */
const DEPARTMENT_ACTS: readonly CaseAct[] = ['accept', 'return', 'resolve', 'extend', 'comment', 'appeal'];
/** What a department's leader (部门负责人) decides on their department's cases: its members' appeals and requests for more time. */
const DEPARTMENT_LEAD_ACTS: readonly CaseAct[] = ['decide-appeal', ...EXTENSION_ACTS, 'refuse-extension'];
const departmentLeads = (p: CasePrincipal) => (p.ledDepartmentCode ? oneOf('assigneeDepartmentCode', [p.ledDepartmentCode]) : null);

/**
 * Who sees and acts on what. District-wide staff (operator, leader, admin) see the district, or
 * their street when they are street-level; a warden the cells they patrol and the cases they
 * reported (which they may only comment on); a chief the cases assigned to them (every action, and
 * the appeal of an overdue mark) and those escalated to them (they supervise: comment, resolve);
 * district-wide and street staff decide the appeals of their cases; a department's members the
 * cases dispatched to their department (they handle them: accept, return, resolve, ask for more
 * time, appeal), the department's leader also decides their appeals and requests for more time, and
 * the road chief who coordinates such a case sees it and comments, but does not resolve it
 * (domain.md 9); a citizen what they reported,
 * as the public sees it; anyone who shows a case's tracking token that case, as the public sees it,
 * and may follow it up (feedback after close, updates; a "not fixed" reopens it once).
 */
export const CASE_ACCESS: readonly CaseAccessRule[] = [
  { scope: 'system', roles: ['system'], view: 'staff', acts: JURISDICTION_ACTS, where: () => EVERY },
  { scope: 'district', roles: DISTRICT_WIDE_ROLES, view: 'staff', acts: JURISDICTION_ACTS, where: (p) => (p.streetCode === null ? EVERY : null) },
  { scope: 'street', roles: DISTRICT_WIDE_ROLES, view: 'staff', acts: JURISDICTION_ACTS, where: (p) => (p.streetCode === null ? null : oneOf('streetCode', [p.streetCode])) },
  { scope: 'cells', roles: ['warden'], view: 'staff', acts: CELL_ACTIONS, where: (p) => oneOf('gridCellCode', [...p.cellCodes].sort()) },
  // Checks (核查/核实): once a task is given, only its warden (none on duty: the operators' task, no warden);
  // a warden of the cell only on a case with no task given (its check opened before tasks existed). Issue 22 item 5.
  { scope: 'cell-checks', roles: ['warden'], view: 'staff', acts: ['verify'], actsOnly: true, where: (p) => oneOf('checkCellCode', [...p.cellCodes].sort()) },
  { scope: 'check-task', roles: ['warden'], view: 'staff', acts: ['verify'], actsOnly: true, where: (p) => (p.id === null ? null : oneOf('checkWardenId', [p.id])) },
  { scope: 'own-reports', roles: ['warden'], view: 'staff', acts: ['comment'], where: ownReports },
  { scope: 'own-reports', roles: ['citizen'], view: 'public', acts: [], where: ownReports },
  { scope: 'assigned', roles: ['chief'], view: 'staff', acts: [...CASE_ACTIONS, 'appeal'], where: chiefHolds },
  {
    scope: 'escalated',
    roles: ['chief'],
    view: 'staff',
    acts: ['comment', 'resolve'],
    where: (p) => (p.chiefId === null ? null : { kind: 'listed', field: 'escalatedTo', value: p.chiefId }),
  },
  { scope: 'department', roles: ['department'], view: 'staff', acts: DEPARTMENT_ACTS, where: departmentHolds },
  { scope: 'department-lead', roles: ['department'], view: 'staff', acts: DEPARTMENT_LEAD_ACTS, actsOnly: true, where: departmentLeads },
  { scope: 'coordinating', roles: ['chief'], view: 'staff', acts: ['comment'], where: chiefCoordinates },
  { scope: 'tracking-token', roles: ROLES, view: 'public', acts: TOKEN_ACTS, where: (p) => oneOf('id', [...(p.trackedCaseIds ?? [])].sort()) },
];

/** One scope a principal holds: the rule and what it lets through. */
export interface CaseGrant {
  rule: CaseAccessRule;
  condition: CaseCondition;
}

/** The scopes a principal holds (in table order), optionally only those with one view. */
export function caseGrants(p: CasePrincipal, view?: CaseView): CaseGrant[] {
  const grants: CaseGrant[] = [];
  for (const rule of CASE_ACCESS) {
    if (!rule.roles.includes(p.role) || (view !== undefined && rule.view !== view)) continue;
    const condition = rule.where(p);
    if (condition) grants.push({ rule, condition });
  }
  return grants;
}

// ------------------------------------------------------------------ in memory

export function conditionMatches(condition: CaseCondition, c: CaseShape): boolean {
  switch (condition.kind) {
    case 'every':
      return true;
    case 'one-of': {
      const value = shapeValue(c, condition.field);
      return value !== null && condition.values.includes(value);
    }
    case 'listed':
      return c.escalatedTo.includes(condition.value);
  }
}

function shapeValue(c: CaseShape, field: CaseKeyField): string | number | null {
  if (field === 'checkWardenId') return c.checkAssigned ? (c.checkWardenId ?? null) : null;
  if (field === 'checkCellCode') return c.checkAssigned ? null : c.gridCellCode;
  if (field === 'assigneeDepartmentCode') return c.assigneeDepartmentCode ?? null;
  if (field === 'coordinatorChiefId') return c.coordinatorChiefId ?? null;
  return c[field];
}

/** The scopes that decide what the principal sees (those that only allow acts left out). */
function seeingGrants(p: CasePrincipal, view?: CaseView): CaseGrant[] {
  return caseGrants(p, view).filter((g) => !g.rule.actsOnly);
}

/** Whether the principal sees the case at all (with `view`: in that view). */
export function caseVisible(p: CasePrincipal, c: CaseShape, view?: CaseView): boolean {
  return seeingGrants(p, view).some((g) => conditionMatches(g.condition, c));
}

/** Whether a role sees cases as staff through some scope of the access model (else only as the public does). */
export function roleSeesAsStaff(role: Role | 'system'): boolean {
  return CASE_ACCESS.some((g) => g.view === 'staff' && !g.actsOnly && g.roles.includes(role));
}

/** How the principal sees the case: in full as staff, as the public, or not at all. */
export function caseViewOf(p: CasePrincipal, c: CaseShape): CaseView | null {
  if (caseVisible(p, c, 'staff')) return 'staff';
  return caseVisible(p, c, 'public') ? 'public' : null;
}

/** Whether the principal's jurisdiction allows the action on the case (its role is checked besides). */
export function caseActionAllowed(p: CasePrincipal, c: CaseShape, action: CaseAct): boolean {
  return caseGrants(p).some((g) => g.rule.acts.includes(action) && conditionMatches(g.condition, c));
}

// ------------------------------------------------------------------ SQL

/** SQL expressions for the case fields (a table alias gives case_file's columns). */
export interface CaseColumns {
  id: string;
  streetCode: string;
  gridCellCode: string;
  assigneeChiefId: string;
  reporterId: string;
  /** An int[] expression. */
  escalatedTo: string;
  /** The open check task's warden (absent: no task is read, `NULL`). */
  checkWardenId?: string;
  /** The case's cell while no check task is assigned (absent: the cell). */
  checkCellCode?: string;
  /** The department the case is dispatched to (absent: none, `NULL`). */
  assigneeDepartmentCode?: string;
  /** The road chief coordinating a department's case (absent: none, `NULL`). */
  coordinatorChiefId?: string;
}

const SQL_TYPE: Record<CaseKeyField, string> = {
  id: 'uuid',
  streetCode: 'text',
  gridCellCode: 'text',
  assigneeChiefId: 'int',
  reporterId: 'uuid',
  checkWardenId: 'uuid',
  checkCellCode: 'text',
  assigneeDepartmentCode: 'text',
  coordinatorChiefId: 'int',
};

/** The case_file columns under a table alias. */
export function caseColumns(alias: string): CaseColumns {
  return {
    id: `${alias}.id`,
    streetCode: `${alias}.street_code`,
    gridCellCode: `${alias}.grid_cell_code`,
    assigneeChiefId: `${alias}.assignee_chief_id`,
    reporterId: `${alias}.reporter_id`,
    escalatedTo: `${alias}.escalated_to`,
    checkWardenId: `CASE WHEN ${alias}.check_assigned THEN ${alias}.check_warden_id END`,
    checkCellCode: `CASE WHEN ${alias}.check_assigned THEN NULL ELSE ${alias}.grid_cell_code END`,
    assigneeDepartmentCode: `${alias}.assignee_department_code`,
    coordinatorChiefId: `${alias}.coordinator_chief_id`,
  };
}

/** Adds a bind parameter and returns its placeholder (`$n`). */
export type SqlParam = (value: unknown) => string;

export function conditionSql(condition: CaseCondition, columns: CaseColumns, param: SqlParam): string {
  switch (condition.kind) {
    case 'every':
      return 'true';
    case 'one-of': {
      const type = SQL_TYPE[condition.field];
      const column = columnOf(columns, condition.field);
      return condition.values.length === 1
        ? `${column} = ${param(condition.values[0])}::${type}`
        : `${column} = ANY(${param(condition.values)}::${type}[])`;
    }
    case 'listed':
      // Containment, so the GIN index on case_file.escalated_to can answer it.
      return `${columns.escalatedTo} @> ARRAY[${param(condition.value)}::int]`;
  }
}

function columnOf(columns: CaseColumns, field: CaseKeyField): string {
  if (field === 'checkWardenId') return columns.checkWardenId ?? 'NULL::uuid';
  if (field === 'checkCellCode') return columns.checkCellCode ?? columns.gridCellCode;
  if (field === 'assigneeDepartmentCode') return columns.assigneeDepartmentCode ?? 'NULL::text';
  if (field === 'coordinatorChiefId') return columns.coordinatorChiefId ?? 'NULL::int';
  return columns[field];
}

/**
 * The principal's scope as one parenthesised SQL condition on the case (`alias` of case_file, or
 * other columns): `true` for the district, `false` for a principal who sees nothing. Values are
 * bind parameters, added through `param`.
 */
export function caseScopeSql(p: CasePrincipal, on: string | CaseColumns, param: SqlParam, view?: CaseView): string {
  return grantsSql(seeingGrants(p, view), on, param);
}

/**
 * The cases on which the principal's jurisdiction allows the action (or any of the actions), as SQL
 * (the form of {@link caseActionAllowed}).
 */
export function caseActionSql(p: CasePrincipal, action: CaseAct | readonly CaseAct[], on: string | CaseColumns, param: SqlParam): string {
  const actions: readonly CaseAct[] = typeof action === 'string' ? [action] : action;
  return grantsSql(caseGrants(p).filter((g) => actions.some((a) => g.rule.acts.includes(a))), on, param);
}

function grantsSql(grants: readonly CaseGrant[], on: string | CaseColumns, param: SqlParam): string {
  const columns = typeof on === 'string' ? caseColumns(on) : on;
  if (grants.some((g) => g.condition.kind === 'every')) return 'true';
  if (grants.length === 0) return 'false';
  return `(${grants.map((g) => conditionSql(g.condition, columns, param)).join(' OR ')})`;
}

// ------------------------------------------------------------------ rooms (the live feed)

export const DISTRICT_ROOM = 'district';
const ROOM_PREFIX: Record<CaseKeyField | 'escalatedTo', string> = {
  id: 'case',
  streetCode: 'street',
  gridCellCode: 'cell',
  assigneeChiefId: 'chief',
  escalatedTo: 'chief',
  reporterId: 'reporter',
  checkWardenId: 'checker',
  checkCellCode: 'cell',
  assigneeDepartmentCode: 'department',
  // The coordinator is a chief: the chief's own room carries the cases they coordinate.
  coordinatorChiefId: 'chief',
};

function roomName(field: CaseKeyField | 'escalatedTo', value: string | number, view: CaseView): string {
  return `${view === 'public' ? 'public:' : ''}${ROOM_PREFIX[field]}:${value}`;
}

/** The room of a case's public view (its tracking-token holders). */
export const trackingRoom = (caseId: string): string => roomName('id', caseId, 'public');

function conditionRooms(condition: CaseCondition, view: CaseView): string[] {
  switch (condition.kind) {
    case 'every':
      return [view === 'public' ? `public:${DISTRICT_ROOM}` : DISTRICT_ROOM];
    case 'one-of':
      return condition.values.map((v) => roomName(condition.field, v, view));
    case 'listed':
      return [roomName(condition.field, condition.value, view)];
  }
}

/** The rooms a principal's connection sits in for one view: they meet {@link caseRooms} exactly where it sees the case. */
export function principalRooms(p: CasePrincipal, view: CaseView): string[] {
  return [...new Set(seeingGrants(p, view).flatMap((g) => conditionRooms(g.condition, view)))];
}

/** The rooms an event of the case goes to, for one view. */
export function caseRooms(c: CaseShape, view: CaseView): string[] {
  const rooms = [
    conditionRooms(EVERY, view)[0],
    roomName('id', c.id, view),
    ...(c.streetCode !== null ? [roomName('streetCode', c.streetCode, view)] : []),
    ...(c.gridCellCode !== null ? [roomName('gridCellCode', c.gridCellCode, view)] : []),
    ...(c.assigneeChiefId !== null ? [roomName('assigneeChiefId', c.assigneeChiefId, view)] : []),
    ...c.escalatedTo.map((id) => roomName('escalatedTo', id, view)),
    ...(c.reporterId !== null ? [roomName('reporterId', c.reporterId, view)] : []),
    ...(c.assigneeDepartmentCode ? [roomName('assigneeDepartmentCode', c.assigneeDepartmentCode, view)] : []),
    ...(c.coordinatorChiefId != null ? [roomName('coordinatorChiefId', c.coordinatorChiefId, view)] : []),
  ];
  return [...new Set(rooms)];
}
