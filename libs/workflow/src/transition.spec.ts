import { CASE_ACTIONS, CASE_STATUSES, ROLES, type CaseAction, type CaseStatus, type Role } from '@wangge/domain';
import { JobName } from '@wangge/jobs';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, type Actor } from './actor';
import { CaseError, type CaseErrorCode } from './case-error';
import {
  ACTION_FROM,
  ACTION_ROLES,
  transition,
  type ActionInput,
  type CasePatch,
  type CaseState,
  type EventDraft,
  type TransitionContext,
  type TransitionResult,
} from './transition';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

type ActorRole = Role | 'system';

const HOUR = 3_600_000;
const STREET = '410104001';
const OTHER_STREET = '410104002';
const CELL = '410104001001001';
const OTHER_CELL = '410104002001001';
const NOW = new Date('2025-03-03T02:00:00.000Z');
/** The deadline the case has now. */
const DEADLINE = new Date('2025-03-04T02:00:00.000Z');
/** The deadline a dispatch at NOW gets on the case's standard. */
const NEW_DEADLINE = new Date('2025-03-05T10:00:00.000Z');
const plusHours = (d: Date, h: number) => new Date(d.getTime() + h * HOUR);
/** The date an operator asks a suspension to last until. */
const SUSPEND_UNTIL = new Date('2025-03-10T02:00:00.000Z');
/** The verification limit of a resolve at `start` in the default ctx (2 hours, for the tests). */
const verifyBy = (start: Date) => plusHours(start, 2);
/** The verification deadline a resolve at NOW gets. */
const VERIFY_DEADLINE = verifyBy(NOW);

/** The clock check the dispatcher runs at `at` for case-1. */
const checkAt = (at: Date) => ({ name: JobName.CheckDeadline, data: { caseId: 'case-1', dueAt: at.toISOString() }, deliverAfter: at });

/** The chief cases are assigned to by default (actor('chief') is this chief). */
const CHIEF_7 = { id: 7, name: 'Zhang San', level: 3 as const, available: true };
/** Another chief: the one dispatches go to by default. */
const CHIEF_8 = { id: 8, name: 'Li Si', level: 2 as const, available: true };
const ROUTING = { en: 'segment chief of Jinshui Road', zh: '金水路路段长' };

const ALL_ROLES: readonly ActorRole[] = [...ROLES, 'system'];

function state(overrides: Partial<CaseState> = {}): CaseState {
  return {
    id: 'case-1',
    status: 'reported',
    streetCode: STREET,
    gridCellCode: CELL,
    reporterId: 'u-citizen',
    assigneeChiefId: CHIEF_7.id,
    escalatedTo: [],
    // The role table's department member (actor('department')) handles the case too.
    assigneeDepartmentCode: 'GAS',
    checkRequested: false,
    extensionCount: 0,
    extensionRequestedHours: null,
    reworkCount: 0,
    deadlineAt: DEADLINE,
    overdue: false,
    lastEvent: null,
    ...overrides,
  };
}

/** A district-wide, in-jurisdiction actor of the role (the chief is chief 7, the warden patrols CELL). */
function actor(role: ActorRole, overrides: Partial<Actor> = {}): Actor {
  if (role === 'system') return { ...SYSTEM_ACTOR, ...overrides };
  return {
    id: `u-${role}`,
    role,
    name: `${role} user`,
    chiefId: role === 'chief' ? CHIEF_7.id : null,
    cellCodes: new Set(role === 'warden' ? [CELL] : []),
    streetCode: null,
    // A citizen acts with the case's tracking token (checked before: the follow-up's services).
    ...(role === 'citizen' ? { trackedCaseIds: new Set(['case-1']) } : {}),
    departmentCode: role === 'department' ? 'GAS' : null,
    ...overrides,
  };
}

/**
 * The role's in-jurisdiction actor for an action of the tables: a department's refusal of an extension
 * is its leader's (the access model's department-lead scope), every other action its member's.
 */
function tableActor(role: ActorRole, action: CaseAction): Actor {
  return role === 'department' && action === 'refuse-extension' ? actor(role, { ledDepartmentCode: 'GAS' }) : actor(role);
}

function ctx(overrides: Partial<TransitionContext> = {}): TransitionContext {
  return {
    now: NOW,
    assignee: CHIEF_8,
    routingReason: ROUTING,
    deadlineFrom: () => NEW_DEADLINE,
    extend: (deadline, hours) => plusHours(deadline, hours),
    verifyDeadlineFrom: verifyBy,
    target: state({ id: 'case-2', status: 'registered' }),
    suspensionClock: { clockType: 'urgent_hours', msBetween: (from, to) => Math.max(0, to.getTime() - from.getTime()), after: (start, ms) => new Date(start.getTime() + ms) },
    placement: PLACEMENT,
    reopen: REOPEN_OPEN,
    ...overrides,
  };
}

/** Runs the action and returns the CaseError it throws (fails the test when it does not throw one). */
function refused(run: () => unknown): CaseError {
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    if (error instanceof CaseError) return error;
    throw error;
  }
  throw new Error(`expected a CaseError, got ${JSON.stringify(result)}`);
}

function applied(result: TransitionResult) {
  if (result.kind !== 'applied') throw new Error('expected the action to be applied, but it was taken as a repeat');
  return result;
}

/** The state after a result was stored: the patch applied and the event as the case's last event. */
function after(before: CaseState, result: TransitionResult, by: Actor): CaseState {
  const { patch, event } = applied(result);
  // The chiefs who held the case before the event, as the event store records them.
  const formerChiefs = [...new Set([...(before.assigneeChiefId !== null ? [before.assigneeChiefId] : []), ...before.escalatedTo])];
  return { ...before, ...patch, lastEvent: { type: event.type, actorId: by.id, reason: event.reason, note: event.note, evidence: event.evidence, formerChiefs } } as CaseState;
}

// ---------------------------------------------------------------------------------------------
// The closed loop as the spec (domain.md section 2) states it
// ---------------------------------------------------------------------------------------------

const OPEN: readonly CaseStatus[] = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved'];

const LEGAL_FROM: Record<CaseAction, readonly CaseStatus[]> = {
  register: ['reported'],
  reject: ['reported'],
  'verify-request': ['reported'],
  dispatch: ['registered', 'dispatched'],
  accept: ['dispatched'],
  return: ['dispatched', 'in_progress'],
  resolve: ['in_progress'],
  verify: ['reported', 'resolved'],
  cancel: OPEN,
  extend: ['in_progress'],
  'refuse-extension': ['in_progress'],
  merge: ['reported', 'registered'],
  comment: CASE_STATUSES,
  suspend: ['dispatched', 'in_progress'],
  resume: ['dispatched', 'in_progress'],
  place: ['reported'],
  reopen: ['closed'],
};

/** What a case needs besides its state for an action to apply (a refusal needs an extension asked for). */
const NEEDS: Partial<Record<CaseAction, Partial<CaseState>>> = { 'refuse-extension': { extensionRequestedHours: 24 } };

const ALLOWED_ROLES: Record<CaseAction, readonly ActorRole[]> = {
  register: ['operator', 'system'],
  reject: ['operator'],
  'verify-request': ['operator'],
  dispatch: ['operator', 'system'],
  accept: ['chief', 'department'],
  return: ['chief', 'department'],
  resolve: ['chief', 'department'],
  verify: ['warden', 'operator'],
  cancel: ['operator'],
  extend: ['chief', 'department', 'leader'],
  'refuse-extension': ['leader', 'department'],
  merge: ['operator'],
  comment: ['warden', 'chief', 'operator', 'leader', 'admin', 'department'],
  suspend: ['operator', 'leader'],
  resume: ['operator', 'leader', 'system'],
  place: ['operator'],
  reopen: ['citizen'],
};

/** Valid input for each action (in jurisdiction of the default actors, against the default ctx). */
const VALID_INPUT: Record<CaseAction, ActionInput> = {
  register: { note: 'registered: road maintenance' },
  reject: { reason: 'private property, not a municipal matter' },
  'verify-request': {},
  dispatch: { assigneeId: CHIEF_8.id },
  accept: {},
  return: { reason: 'not my road', reasonType: 'not_ours' },
  resolve: { note: 'pothole filled' },
  verify: { passed: true, note: 'checked on site' },
  cancel: { reason: 'filed twice by the hotline' },
  extend: { hours: 24, reason: 'waiting for asphalt' },
  'refuse-extension': { reason: 'the asphalt is in stock' },
  merge: { targetId: 'case-2', reason: 'same pothole' },
  comment: { note: 'photo of the site attached' },
  suspend: { reason: 'waiting for the land dispute to be settled', until: SUSPEND_UNTIL.toISOString() },
  resume: {},
  place: { location: { lng: 113.68, lat: 34.75 } },
  reopen: {},
};

/** The close a "not fixed" answers in the default ctx: three days ago, so it reopens (its window ends tomorrow). */
const CLOSED_AT = plusHours(NOW, -72);
const REOPEN_OPEN = { closedAt: CLOSED_AT, endsAt: plusHours(NOW, 24), reopenedBefore: false };

/** What a place at VALID_INPUT.place finds (the default ctx's placement). */
const PLACEMENT = {
  point: { lng: 113.68, lat: 34.75 },
  place: { gridCell: { code: CELL }, street: { code: STREET, name: '' }, community: { code: '410104001001', name: '' }, road: null, distanceM: null },
};
/** A case reported by address only: no street, no cell (the state `place` starts from). */
const UNPLACED: Partial<CaseState> = { streetCode: null, gridCellCode: null, assigneeChiefId: null, deadlineAt: null };
/** The case an action is tried on by default: an unplaced one for `place`. */
const startOf = (action: CaseAction): Partial<CaseState> => (action === 'place' ? UNPLACED : {});

/** The system may dispatch (route) a registered case only; a dispatched case is re-dispatched by hand. */
const isLegal = (action: CaseAction, from: CaseStatus, role: ActorRole) =>
  LEGAL_FROM[action].includes(from) && !(action === 'dispatch' && role === 'system' && from !== 'registered') && !needsSuspensionState(action, role);

/** The suspension state a leader's approval (a request) or a resume (a suspension) starts from. */
function suspensionFor(action: CaseAction, role: ActorRole): Partial<CaseState> {
  if (!needsSuspensionState(action, role)) return {};
  const none = { request: null, suspendedAt: null, until: null, clockType: null, leftMs: null, checkLeftMs: null, overdue: false };
  if (action === 'suspend') return { suspension: { ...none, request: { reason: 'land dispute', until: SUSPEND_UNTIL } } };
  return { suspension: { ...none, suspendedAt: NOW, until: NOW, clockType: 'urgent_hours', leftMs: HOUR, checkLeftMs: HOUR } };
}

/** A leader's approval and a resume start from a request or a suspension: suspension.spec.ts takes them. */
const needsSuspensionState = (action: CaseAction, role: ActorRole) => (action === 'suspend' && role !== 'operator') || action === 'resume';

interface Expected {
  patch: CasePatch;
  type: EventDraft['type'];
  to: CaseStatus;
  evidence?: Record<string, unknown>;
  effects?: unknown[];
  targetEvent?: EventDraft;
}

function expectedFor(action: CaseAction, from: CaseStatus, role: ActorRole): Expected {
  const input = VALID_INPUT[action];
  switch (action) {
    case 'register':
      return {
        patch: { status: 'registered', checkRequested: false, publicNote: input.note },
        type: 'case.registered',
        to: 'registered',
        effects: [{ name: JobName.RouteCase, data: { caseId: 'case-1' } }],
      };
    case 'reject':
      return {
        patch: { status: 'rejected', closedAt: NOW, checkRequested: false, publicNote: input.reason, nextCheckAt: null },
        type: 'case.rejected',
        to: 'rejected',
      };
    case 'verify-request':
      return { patch: { checkRequested: true, checkPassed: null }, type: 'case.check_requested', to: 'reported' };
    case 'dispatch': {
      const routing =
        role === 'system'
          ? ROUTING
          : { en: 'dispatched by hand by operator user → level-2 chief Li Si', zh: 'operator user 手动派遣 → 2级路长 Li Si' };
      return {
        patch: {
          status: 'dispatched',
          assigneeChiefId: CHIEF_8.id,
          assigneeDepartmentCode: null,
          coordinatorChiefId: null,
          dispatchedAt: NOW,
          acceptedAt: null,
          deadlineAt: NEW_DEADLINE,
          overdue: false,
          escalationLevel: 0,
          escalatedTo: [],
          routingReason: routing.en,
          routingReasonZh: routing.zh,
          nextCheckAt: NEW_DEADLINE,
        },
        type: 'case.dispatched',
        to: 'dispatched',
        evidence: { assignee: { id: 8, name: 'Li Si', level: 2 }, routingReason: routing.en },
        effects: [{ name: JobName.CheckDeadline, data: { caseId: 'case-1', dueAt: NEW_DEADLINE.toISOString() }, deliverAfter: NEW_DEADLINE }],
      };
    }
    case 'accept':
      return { patch: { status: 'in_progress', acceptedAt: NOW }, type: 'case.accepted', to: 'in_progress' };
    case 'return':
      return {
        patch: {
          status: 'registered',
          assigneeChiefId: null,
          assigneeDepartmentCode: null,
          coordinatorChiefId: null,
          dispatchedAt: null,
          acceptedAt: null,
          deadlineAt: null,
          overdue: false,
          escalationLevel: 0,
          escalatedTo: [],
          extensionRequestedHours: null,
          nextCheckAt: null,
        },
        type: 'case.returned',
        to: 'registered',
        evidence: { reasonType: 'not_ours', ...(role === 'department' ? { department: 'GAS' } : {}) },
        // routed again at once (the dispatcher passes over the chief who returned it)
        effects: [{ name: JobName.RouteCase, data: { caseId: 'case-1' } }],
      };
    case 'resolve':
      return {
        patch: {
          status: 'resolved',
          resolvedAt: NOW,
          extensionRequestedHours: null,
          publicNote: input.note,
          verifyDeadlineAt: VERIFY_DEADLINE,
          verifyOverdue: false,
          nextCheckAt: VERIFY_DEADLINE,
        },
        type: 'case.resolved',
        to: 'resolved',
        effects: [{ name: JobName.CheckDeadline, data: { caseId: 'case-1', dueAt: VERIFY_DEADLINE.toISOString() }, deliverAfter: VERIFY_DEADLINE }],
      };
    case 'verify':
      return from === 'reported'
        ? { patch: { checkRequested: false, checkPassed: true }, type: 'case.checked', to: 'reported', evidence: { passed: true } }
        : { patch: { status: 'closed', closedAt: NOW, nextCheckAt: null, publicNote: input.note }, type: 'case.closed', to: 'closed', evidence: { passed: true } };
    case 'cancel':
      return { patch: { status: 'cancelled', closedAt: NOW, publicNote: input.reason, nextCheckAt: null }, type: 'case.cancelled', to: 'cancelled' };
    case 'extend': {
      if (role === 'chief' || role === 'department') {
        return { patch: { extensionRequestedHours: 24 }, type: 'case.extension_requested', to: 'in_progress', evidence: { hours: 24 } };
      }
      const moved = plusHours(DEADLINE, 24);
      return {
        patch: { deadlineAt: moved, nextCheckAt: moved, extensionCount: 1, extensionRequestedHours: null, overdue: false },
        type: 'case.extended',
        to: 'in_progress',
        evidence: { hours: 24, deadlineAt: moved.toISOString() },
        effects: [{ name: JobName.CheckDeadline, data: { caseId: 'case-1', dueAt: moved.toISOString() }, deliverAfter: moved }],
      };
    }
    case 'refuse-extension':
      return { patch: { extensionRequestedHours: null }, type: 'case.extension_refused', to: 'in_progress', evidence: { hours: 24 } };
    case 'merge':
      return {
        patch: { status: 'merged', mergedInto: 'case-2', closedAt: NOW, checkRequested: false, publicNote: input.reason, nextCheckAt: null },
        type: 'case.merged',
        to: 'merged',
        evidence: { targetId: 'case-2' },
        targetEvent: {
          type: 'case.duplicate_merged',
          from: 'registered',
          to: 'registered',
          reason: input.reason ?? null,
          note: null,
          evidence: { duplicateId: 'case-1' },
        },
      };
    case 'comment':
      return { patch: {}, type: 'case.commented', to: from };
    case 'suspend':
      return {
        patch: { suspendRequestedUntil: SUSPEND_UNTIL, suspendRequestedReason: input.reason },
        type: 'case.suspend_requested',
        to: from,
        evidence: { until: SUSPEND_UNTIL.toISOString() },
      };
    case 'resume':
      throw new Error('a resume needs a suspended case (suspension.spec.ts)');
    case 'place':
      return { patch: {}, type: 'case.placed', to: from, evidence: { location: PLACEMENT.point, gridCell: CELL, street: STREET, community: '410104001001' } };
    case 'reopen':
      return {
        patch: {
          status: 'in_progress',
          closedAt: null,
          resolvedAt: null,
          deadlineAt: NEW_DEADLINE,
          overdue: false,
          escalationLevel: 0,
          escalatedTo: [],
          reworkCount: 1,
          nextCheckAt: NEW_DEADLINE,
          verifyDeadlineAt: null,
          verifyOverdue: false,
          publicNote: null,
        },
        type: 'case.reopened',
        to: 'in_progress',
        evidence: { closedAt: CLOSED_AT.toISOString(), deadlineAt: NEW_DEADLINE.toISOString() },
        effects: [checkAt(NEW_DEADLINE)],
      };
  }
}

// ---------------------------------------------------------------------------------------------

describe('transition tables', () => {
  const sorted = (table: Record<string, readonly string[]>) => Object.fromEntries(Object.entries(table).map(([k, v]) => [k, [...v].sort()]));

  it('ACTION_FROM is the lifecycle of domain.md section 2', () => {
    expect(sorted(ACTION_FROM)).toEqual(sorted(LEGAL_FROM));
  });

  it('ACTION_ROLES names who may take each action', () => {
    expect(sorted(ACTION_ROLES)).toEqual(sorted(ALLOWED_ROLES));
  });
});

describe('1. the legal path: every allowed (action, from-state, role)', () => {
  const rows = CASE_ACTIONS.flatMap((action) =>
    LEGAL_FROM[action].flatMap((from) =>
      ALLOWED_ROLES[action].filter((role) => isLegal(action, from, role)).map((role) => ({ action, from, role })),
    ),
  );

  it.each(rows)('$role: $action from $from', ({ action, from, role }) => {
    const input = VALID_INPUT[action];
    const result = transition(state({ status: from, ...NEEDS[action], ...startOf(action) }), action, tableActor(role, action), input, ctx());
    const want = expectedFor(action, from, role);
    expect(result).toEqual({
      kind: 'applied',
      patch: want.patch,
      event: { type: want.type, from, to: want.to, reason: input.reason ?? null, note: input.note ?? null, evidence: want.evidence ?? {} },
      effects: want.effects ?? [],
      ...(want.targetEvent ? { targetEvent: want.targetEvent } : {}),
    });
  });

  it('a dispatch without a deadline standard starts no deadline job', () => {
    for (const context of [ctx({ deadlineFrom: () => null }), ctx({ deadlineFrom: undefined })]) {
      const r = applied(transition(state({ status: 'registered' }), 'dispatch', actor('operator'), { assigneeId: 8 }, context));
      expect(r.patch.deadlineAt).toBeNull();
      expect(r.patch.nextCheckAt).toBeNull();
      expect(r.effects).toEqual([]);
    }
  });

  it('a dispatch by hand names its reason in the routing reason', () => {
    const r = applied(transition(state({ status: 'registered' }), 'dispatch', actor('operator'), { assigneeId: 8, reason: 'knows the site' }, ctx()));
    expect(r.patch.routingReason).toBe('dispatched by hand by operator user → level-2 chief Li Si: knows the site');
    expect(r.patch.routingReasonZh).toBe('operator user 手动派遣 → 2级路长 Li Si：knows the site');
  });

  it('the system without a routing decision is described as a dispatch by hand', () => {
    const r = applied(transition(state({ status: 'registered' }), 'dispatch', SYSTEM_ACTOR, { assigneeId: 8 }, ctx({ routingReason: undefined })));
    expect(r.patch.routingReason).toBe('dispatched by hand by system / 系统 → level-2 chief Li Si');
  });

  it('re-dispatching a dispatched case to another chief resets the clock and escalation', () => {
    const s = state({ status: 'dispatched', assigneeChiefId: 7, overdue: true, escalatedTo: [3, 1] });
    const r = applied(transition(s, 'dispatch', actor('operator'), { assigneeId: 8 }, ctx()));
    expect(r.patch).toMatchObject({ assigneeChiefId: 8, deadlineAt: NEW_DEADLINE, nextCheckAt: NEW_DEADLINE, overdue: false, escalationLevel: 0, escalatedTo: [] });
    expect(r.effects).toEqual([checkAt(NEW_DEADLINE)]);
    expect(r.event).toMatchObject({ from: 'dispatched', to: 'dispatched' });
  });

  it('evidence carries the media ids; reason and note are trimmed, blank ones are null', () => {
    const r = applied(
      transition(state({ status: 'in_progress' }), 'resolve', actor('chief'), { note: '  filled  ', reason: '   ', mediaIds: ['m1', 'm2'] }, ctx()),
    );
    expect(r.event).toMatchObject({ reason: null, note: 'filled', evidence: { mediaIds: ['m1', 'm2'] } });
    expect(r.patch.publicNote).toBe('filled');
    const none = applied(transition(state({ status: 'in_progress' }), 'resolve', actor('chief'), { mediaIds: [] }, ctx()));
    expect(none.event.evidence).toEqual({});
    expect(none.patch.publicNote).toBeNull();
  });

  it('a merge copies the note when there is no reason, and tells the target case', () => {
    const target = state({ id: 'case-9', status: 'dispatched' });
    const r = applied(transition(state(), 'merge', actor('operator'), { targetId: 'case-9', note: 'duplicate' }, ctx({ target })));
    expect(r.patch).toMatchObject({ status: 'merged', mergedInto: 'case-9', publicNote: 'duplicate' });
    expect(r.targetEvent).toEqual({
      type: 'case.duplicate_merged',
      from: 'dispatched',
      to: 'dispatched',
      reason: null,
      note: 'duplicate',
      evidence: { duplicateId: 'case-1' },
    });
  });

  it.each(OPEN)('a case may be merged into an open (%s) case', (status) => {
    const r = applied(transition(state(), 'merge', actor('operator'), VALID_INPUT.merge, ctx({ target: state({ id: 'case-2', status }) })));
    expect(r.patch.status).toBe('merged');
  });
});

describe('2. every illegal (action, from-state) pair is refused with the current state', () => {
  const pairs = CASE_ACTIONS.flatMap((action) => CASE_STATUSES.filter((s) => !LEGAL_FROM[action].includes(s)).map((from) => ({ action, from })));

  it('there are 118 illegal pairs (comment is legal everywhere)', () => {
    expect(pairs).toHaveLength(118);
    expect(pairs.some((p) => p.action === 'comment')).toBe(false);
  });

  const rows = pairs.flatMap(({ action, from }) => ALLOWED_ROLES[action].map((role) => ({ action, from, role })));

  it.each(rows)('$role: $action from $from → illegal_transition', ({ action, from, role }) => {
    const err = refused(() => transition(state({ status: from }), action, tableActor(role, action), VALID_INPUT[action], ctx()));
    expect(err).toMatchObject({ code: 'illegal_transition', currentStatus: from });
  });

  it.each([
    {
      name: 'verify-request when a check is already requested',
      s: state({ status: 'reported', checkRequested: true }),
      action: 'verify-request' as const,
      who: actor('operator'),
      input: {},
      context: ctx(),
      currentStatus: 'reported' as const,
      field: undefined,
    },
    {
      name: 'dispatch again to the chief the case is dispatched to',
      s: state({ status: 'dispatched', assigneeChiefId: 7 }),
      action: 'dispatch' as const,
      who: actor('operator'),
      input: { assigneeId: 7 },
      context: ctx({ assignee: CHIEF_7 }),
      currentStatus: 'dispatched' as const,
      field: 'assigneeId',
    },
    {
      name: 'the system routing a case that is already dispatched',
      s: state({ status: 'dispatched', assigneeChiefId: 7 }),
      action: 'dispatch' as const,
      who: SYSTEM_ACTOR,
      input: { assigneeId: 8 },
      context: ctx(),
      currentStatus: 'dispatched' as const,
      field: undefined,
    },
    {
      name: 'a leader extending a case with no deadline',
      s: state({ status: 'in_progress', deadlineAt: null }),
      action: 'extend' as const,
      who: actor('leader'),
      input: VALID_INPUT.extend,
      context: ctx(),
      currentStatus: 'in_progress' as const,
      field: undefined,
    },
    {
      name: 'a leader extending without a business clock',
      s: state({ status: 'in_progress' }),
      action: 'extend' as const,
      who: actor('leader'),
      input: VALID_INPUT.extend,
      context: ctx({ extend: undefined }),
      currentStatus: 'in_progress' as const,
      field: undefined,
    },
  ])('special case: $name', ({ s, action, who, input, context, currentStatus, field }) => {
    const err = refused(() => transition(s, action, who, input, context));
    expect(err).toMatchObject({ code: 'illegal_transition', currentStatus });
    expect(err.field).toBe(field);
  });
});

describe('3. authorization and jurisdiction', () => {
  const rows = ALL_ROLES.flatMap((role) => CASE_ACTIONS.map((action) => ({ role, action, allowed: ALLOWED_ROLES[action].includes(role) })));

  it.each(rows)('$role → $action (allowed: $allowed)', ({ role, action, allowed }) => {
    const run = () => transition(state({ status: LEGAL_FROM[action][0], ...NEEDS[action], ...suspensionFor(action, role), ...startOf(action) }), action, tableActor(role, action), VALID_INPUT[action], ctx());
    if (allowed) expect(run().kind).toBe('applied');
    else expect(refused(run)).toMatchObject({ code: 'forbidden' });
  });

  it('the role is checked before anything else (even a would-be repeat or an illegal state)', () => {
    const citizen = actor('citizen');
    const s = state({ status: 'closed', lastEvent: { type: 'case.commented', actorId: citizen.id, reason: null, note: 'hi' } });
    expect(refused(() => transition(s, 'comment', citizen, { note: 'hi' }, ctx())).code).toBe('forbidden');
    expect(refused(() => transition(s, 'register', actor('leader'), {}, ctx())).code).toBe('forbidden');
  });

  type Outcome = 'applied' | CaseErrorCode;
  const streetOperator = actor('operator', { id: 'u-op-street', streetCode: OTHER_STREET });
  const ownStreetOperator = actor('operator', { id: 'u-op-own', streetCode: STREET });
  const chief8 = actor('chief', { id: 'u-chief-8', chiefId: 8 });
  const chief9 = actor('chief', { id: 'u-chief-9', chiefId: 9 });
  const chiefless = actor('chief', { id: 'u-chief-none', chiefId: null });
  const farWarden = actor('warden', { id: 'u-warden-far', cellCodes: new Set([OTHER_CELL]) });
  const operatorActions = CASE_ACTIONS.filter((a) => ALLOWED_ROLES[a].includes('operator'));
  const chiefActions = CASE_ACTIONS.filter((a) => ALLOWED_ROLES[a].includes('chief'));

  const jurisdictionRows: { name: string; action: CaseAction; who: Actor; s?: Partial<CaseState>; outcome: Outcome }[] = [
    ...operatorActions.map((action) => ({ name: `street operator of another street: ${action}`, action, who: streetOperator, outcome: 'outside_jurisdiction' as const })),
    // A case not yet placed has no street: only district-wide staff place it.
    ...operatorActions.map((action) => ({
      name: `street operator of the case's street: ${action}`,
      action,
      who: ownStreetOperator,
      outcome: action === 'place' ? ('outside_jurisdiction' as const) : ('applied' as const),
    })),
    { name: 'leader of another street: extend', action: 'extend', who: actor('leader', { streetCode: OTHER_STREET }), outcome: 'outside_jurisdiction' },
    { name: 'leader of another street: comment', action: 'comment', who: actor('leader', { streetCode: OTHER_STREET }), outcome: 'outside_jurisdiction' },
    { name: 'leader of the street: extend', action: 'extend', who: actor('leader', { streetCode: STREET }), outcome: 'applied' },
    { name: 'admin of another street: comment', action: 'comment', who: actor('admin', { streetCode: OTHER_STREET }), outcome: 'outside_jurisdiction' },
    ...chiefActions.map((action) => ({ name: `chief not assigned: ${action}`, action, who: chief8, outcome: 'not_assignee' as const })),
    ...chiefActions.map((action) => ({ name: `chief with no chief record: ${action}`, action, who: chiefless, outcome: 'not_assignee' as const })),
    ...chiefActions.map((action) => ({
      name: `chief the case was escalated to: ${action}`,
      action,
      who: chief9,
      s: { escalatedTo: [9] },
      outcome: action === 'resolve' || action === 'comment' ? ('applied' as const) : ('not_assignee' as const),
    })),
    { name: 'warden outside their cells: verify a resolved case', action: 'verify', who: farWarden, s: { status: 'resolved' }, outcome: 'outside_jurisdiction' },
    { name: 'warden outside their cells: check a reported case', action: 'verify', who: farWarden, outcome: 'outside_jurisdiction' },
    { name: 'warden outside their cells: comment', action: 'comment', who: farWarden, outcome: 'outside_jurisdiction' },
    { name: 'warden who reported the case, outside their cells: comment', action: 'comment', who: farWarden, s: { reporterId: 'u-warden-far' }, outcome: 'applied' },
    { name: 'warden who reported the case, outside their cells: verify', action: 'verify', who: farWarden, s: { reporterId: 'u-warden-far' }, outcome: 'outside_jurisdiction' },
    { name: 'system in any street: register', action: 'register', who: SYSTEM_ACTOR, s: { streetCode: OTHER_STREET, gridCellCode: OTHER_CELL }, outcome: 'applied' },
    { name: 'system in any street: dispatch', action: 'dispatch', who: SYSTEM_ACTOR, s: { status: 'registered', streetCode: OTHER_STREET }, outcome: 'applied' },
    // Jurisdiction is judged before the state: an outsider learns nothing of the case's state.
    { name: 'street operator of another street on a closed case', action: 'register', who: streetOperator, s: { status: 'closed' }, outcome: 'outside_jurisdiction' },
    { name: 'chief not assigned on a resolved case', action: 'accept', who: chief8, s: { status: 'resolved' }, outcome: 'not_assignee' },
  ];

  it.each(jurisdictionRows)('$name → $outcome', ({ action, who, s, outcome }) => {
    const run = () => transition(state({ status: LEGAL_FROM[action][0], ...NEEDS[action], ...suspensionFor(action, who.role), ...startOf(action), ...s }), action, who, VALID_INPUT[action], ctx());
    if (outcome === 'applied') expect(run().kind).toBe('applied');
    else expect(refused(run)).toMatchObject({ code: outcome });
  });
});

describe('4. input', () => {
  const inProgress = { status: 'in_progress' as const };
  const rows: {
    name: string;
    action: CaseAction;
    s?: Partial<CaseState>;
    who: Actor;
    input: ActionInput;
    context?: Partial<TransitionContext>;
    code: CaseErrorCode;
    field?: string;
  }[] = [
    { name: 'reject without reason', action: 'reject', who: actor('operator'), input: {}, code: 'bad_input', field: 'reason' },
    { name: 'reject with a blank reason', action: 'reject', who: actor('operator'), input: { reason: '   ' }, code: 'bad_input', field: 'reason' },
    { name: 'reject with a note but no reason', action: 'reject', who: actor('operator'), input: { note: 'n' }, code: 'bad_input', field: 'reason' },
    { name: 'return without reason', action: 'return', s: { status: 'dispatched' }, who: actor('chief'), input: {}, code: 'bad_input', field: 'reason' },
    { name: 'return with a blank reason', action: 'return', s: inProgress, who: actor('chief'), input: { reason: ' \n' }, code: 'bad_input', field: 'reason' },
    { name: 'return of type other without reason', action: 'return', s: inProgress, who: actor('chief'), input: { reasonType: 'other' }, code: 'bad_input', field: 'reason' },
    { name: 'return with an unknown type', action: 'return', s: inProgress, who: actor('chief'), input: { reason: 'r', reasonType: 'wrong_road' }, code: 'bad_return_type', field: 'reasonType' },
    {
      name: 'return with a type that is no string',
      action: 'return',
      s: inProgress,
      who: actor('chief'),
      input: { reason: 'r', reasonType: 3 as unknown as string },
      code: 'bad_return_type',
      field: 'reasonType',
    },
    { name: 'cancel without reason', action: 'cancel', s: inProgress, who: actor('operator'), input: { note: 'n' }, code: 'bad_input', field: 'reason' },
    { name: 'dispatch without assigneeId', action: 'dispatch', s: { status: 'registered' }, who: actor('operator'), input: {}, code: 'bad_input', field: 'assigneeId' },
    { name: 'system dispatch without assigneeId', action: 'dispatch', s: { status: 'registered' }, who: SYSTEM_ACTOR, input: {}, code: 'bad_input', field: 'assigneeId' },
    {
      name: 'dispatch to an unknown chief (null)',
      action: 'dispatch',
      s: { status: 'registered' },
      who: actor('operator'),
      input: { assigneeId: 99 },
      context: { assignee: null },
      code: 'unknown_chief',
      field: 'assigneeId',
    },
    {
      name: 'dispatch to an unknown chief (not looked up)',
      action: 'dispatch',
      s: { status: 'registered' },
      who: actor('operator'),
      input: { assigneeId: 99 },
      context: { assignee: undefined },
      code: 'unknown_chief',
      field: 'assigneeId',
    },
    {
      name: 'dispatch to a chief on leave',
      action: 'dispatch',
      s: { status: 'registered' },
      who: actor('operator'),
      input: { assigneeId: 8 },
      context: { assignee: { ...CHIEF_8, available: false } },
      code: 'chief_unavailable',
      field: 'assigneeId',
    },
    { name: 'verify without passed', action: 'verify', s: { status: 'resolved' }, who: actor('warden'), input: { note: 'n' }, code: 'bad_input', field: 'passed' },
    { name: 'check (reported) without passed', action: 'verify', who: actor('warden'), input: {}, code: 'bad_input', field: 'passed' },
    {
      name: 'verify with passed not a boolean',
      action: 'verify',
      s: { status: 'resolved' },
      who: actor('operator'),
      input: { passed: 'true' as unknown as boolean },
      code: 'bad_input',
      field: 'passed',
    },
    { name: 'failed verify without reason or note', action: 'verify', s: { status: 'resolved' }, who: actor('warden'), input: { passed: false }, code: 'bad_input', field: 'reason' },
    {
      name: 'failed verify with blank reason and note',
      action: 'verify',
      s: { status: 'resolved' },
      who: actor('warden'),
      input: { passed: false, reason: ' ', note: ' ' },
      code: 'bad_input',
      field: 'reason',
    },
    { name: 'chief extend after 2 extensions', action: 'extend', s: { ...inProgress, extensionCount: 2 }, who: actor('chief'), input: VALID_INPUT.extend, code: 'extension_limit', field: 'hours' },
    { name: 'leader extend after 2 extensions', action: 'extend', s: { ...inProgress, extensionCount: 2 }, who: actor('leader'), input: VALID_INPUT.extend, code: 'extension_limit', field: 'hours' },
    { name: 'extend without hours', action: 'extend', s: inProgress, who: actor('chief'), input: { reason: 'r' }, code: 'bad_input', field: 'hours' },
    { name: 'extend by 0 hours', action: 'extend', s: inProgress, who: actor('chief'), input: { reason: 'r', hours: 0 }, code: 'bad_input', field: 'hours' },
    { name: 'extend by negative hours', action: 'extend', s: inProgress, who: actor('leader'), input: { reason: 'r', hours: -5 }, code: 'bad_input', field: 'hours' },
    { name: 'extend by NaN hours', action: 'extend', s: inProgress, who: actor('leader'), input: { reason: 'r', hours: Number.NaN }, code: 'bad_input', field: 'hours' },
    { name: 'extend by more than 720 hours', action: 'extend', s: inProgress, who: actor('leader'), input: { reason: 'r', hours: 721 }, code: 'bad_input', field: 'hours' },
    { name: 'leader extend without hours and no request', action: 'extend', s: inProgress, who: actor('leader'), input: { reason: 'r' }, code: 'bad_input', field: 'hours' },
    {
      name: 'chief extend without hours does not take a pending request',
      action: 'extend',
      s: { ...inProgress, extensionRequestedHours: 24 },
      who: actor('chief'),
      input: { reason: 'r' },
      code: 'bad_input',
      field: 'hours',
    },
    { name: 'chief extend without reason', action: 'extend', s: inProgress, who: actor('chief'), input: { hours: 24 }, code: 'bad_input', field: 'reason' },
    { name: 'merge without targetId', action: 'merge', who: actor('operator'), input: { reason: 'dup' }, code: 'bad_input', field: 'targetId' },
    { name: 'merge with an empty targetId', action: 'merge', who: actor('operator'), input: { targetId: '' }, code: 'bad_input', field: 'targetId' },
    {
      name: 'merge into a missing case',
      action: 'merge',
      who: actor('operator'),
      input: { targetId: 'case-404' },
      context: { target: null },
      code: 'not_found',
      field: 'targetId',
    },
    {
      // Answered as a missing case: a street operator learns nothing of other streets' cases.
      name: "a street operator's merge into another street's case",
      action: 'merge',
      who: actor('operator', { streetCode: STREET }),
      input: { targetId: 'case-2' },
      context: { target: state({ id: 'case-2', status: 'registered', streetCode: OTHER_STREET, gridCellCode: OTHER_CELL }) },
      code: 'not_found',
      field: 'targetId',
    },
    {
      name: 'merge into itself',
      action: 'merge',
      who: actor('operator'),
      input: { targetId: 'case-1' },
      context: { target: state() },
      code: 'bad_merge_target',
      field: 'targetId',
    },
    ...(['closed', 'rejected', 'merged', 'cancelled'] as const).map((status) => ({
      name: `merge into a ${status} case`,
      action: 'merge' as const,
      who: actor('operator'),
      input: { targetId: 'case-2' },
      context: { target: state({ id: 'case-2', status }) },
      code: 'bad_merge_target' as const,
      field: 'targetId',
    })),
    { name: 'comment without note', action: 'comment', s: inProgress, who: actor('chief'), input: {}, code: 'bad_input', field: 'note' },
    { name: 'comment with a blank note', action: 'comment', s: inProgress, who: actor('leader'), input: { note: '  ' }, code: 'bad_input', field: 'note' },
  ];

  it.each(rows)('$name → $code ($field)', ({ action, s, who, input, context, code, field }) => {
    const err = refused(() => transition(state(s), action, who, input, ctx(context)));
    expect(err.code).toBe(code);
    expect(err.field).toBe(field);
  });

  it.each<{ name: string; who: Actor; input: ActionInput; action?: CaseAction; s?: Partial<CaseState> }>([
    { name: 'extend by exactly 720 hours', who: actor('leader'), input: { hours: 720, reason: 'r' } },
    { name: 'extend by a fraction of an hour', who: actor('leader'), input: { hours: 0.5, reason: 'r' } },
    { name: 'extend once more after 1 extension', who: actor('leader'), input: { hours: 1, reason: 'r' }, s: { extensionCount: 1 } },
    { name: 'a failed verify with a note only', who: actor('warden'), input: { passed: false, note: 'still there' }, action: 'verify', s: { status: 'resolved' } },
    { name: 'a comment with a reason only', who: actor('chief'), input: { reason: 'fyi' }, action: 'comment' },
  ])('accepted: $name', ({ who, input, action = 'extend', s = {} }) => {
    expect(transition(state({ status: 'in_progress', ...s }), action, who, input, ctx()).kind).toBe('applied');
  });

  it('a chief extend records a request; a leader extend without hours then uses the requested hours', () => {
    const chief = actor('chief');
    const leader = actor('leader');
    const s0 = state({ status: 'in_progress' });
    const request = applied(transition(s0, 'extend', chief, { hours: 36, reason: 'waiting for parts' }, ctx()));
    expect(request.patch).toEqual({ extensionRequestedHours: 36 });
    expect(request.event).toMatchObject({ type: 'case.extension_requested', evidence: { hours: 36 } });
    expect(request.effects).toEqual([]);

    const s1 = after(s0, request, chief);
    const approval = applied(transition(s1, 'extend', leader, { reason: 'approved' }, ctx()));
    const moved = plusHours(DEADLINE, 36);
    expect(approval.patch).toEqual({ deadlineAt: moved, nextCheckAt: moved, extensionCount: 1, extensionRequestedHours: null, overdue: false });
    expect(approval.event).toMatchObject({ type: 'case.extended', from: 'in_progress', to: 'in_progress', evidence: { hours: 36, deadlineAt: moved.toISOString() } });
    expect(approval.effects).toEqual([{ name: JobName.CheckDeadline, data: { caseId: 'case-1', dueAt: moved.toISOString() }, deliverAfter: moved }]);

    // A second round reaches the limit; a third is refused.
    const s2 = after(s1, approval, leader);
    const s3 = after(s2, transition(s2, 'extend', chief, { hours: 12, reason: 'rain' }, ctx()), chief);
    const s4 = after(s3, transition(s3, 'extend', leader, { reason: 'ok again' }, ctx()), leader);
    expect(s4).toMatchObject({ extensionCount: 2, extensionRequestedHours: null, deadlineAt: plusHours(moved, 12), nextCheckAt: plusHours(moved, 12) });
    expect(refused(() => transition(s4, 'extend', chief, { hours: 12, reason: 'more rain' }, ctx())).code).toBe('extension_limit');
    expect(refused(() => transition(s4, 'extend', leader, { hours: 12, reason: 'more rain' }, ctx())).code).toBe('extension_limit');
  });

  it('a leader refuses a request with a reason: the request is cleared, the deadline and count stay; nothing to refuse is a conflict', () => {
    const leader = actor('leader');
    const s = state({ status: 'in_progress', extensionRequestedHours: 36 });
    const r = applied(transition(s, 'refuse-extension', leader, { reason: 'no, the asphalt is in stock' }, ctx()));
    expect(r.patch).toEqual({ extensionRequestedHours: null });
    expect(r.event).toMatchObject({ type: 'case.extension_refused', to: 'in_progress', evidence: { hours: 36 } });
    expect(r.effects).toEqual([]);
    expect(refused(() => transition(s, 'refuse-extension', leader, {}, ctx()))).toMatchObject({ code: 'bad_input', field: 'reason' });
    expect(refused(() => transition(state({ status: 'in_progress' }), 'refuse-extension', leader, { reason: 'no' }, ctx()))).toMatchObject({
      code: 'illegal_transition',
      currentStatus: 'in_progress',
    });
    expect(refused(() => transition(s, 'refuse-extension', actor('chief'), { reason: 'no' }, ctx())).code).toBe('forbidden');
  });

  it('a leader may give other hours than requested', () => {
    const s = state({ status: 'in_progress', extensionRequestedHours: 36 });
    const r = applied(transition(s, 'extend', actor('leader'), { hours: 12, reason: 'half of it' }, ctx()));
    expect(r.patch.deadlineAt).toEqual(plusHours(DEADLINE, 12));
  });

  it('an extension must move the deadline into the future, and then clears overdue', () => {
    const past = new Date(NOW.getTime() - 48 * HOUR);
    const s = state({ status: 'in_progress', deadlineAt: past, overdue: true });
    expect(refused(() => transition(s, 'extend', actor('leader'), { hours: 24, reason: 'r' }, ctx()))).toMatchObject({ code: 'bad_input', field: 'hours' });
    const long = applied(transition(s, 'extend', actor('leader'), { hours: 72, reason: 'r' }, ctx()));
    expect(long.patch).toMatchObject({ deadlineAt: plusHours(past, 72), nextCheckAt: plusHours(past, 72), overdue: false });
  });
});

describe('5. repeats are harmless', () => {
  type Outcome = 'applied' | { code: CaseErrorCode; currentStatus?: CaseStatus; field?: string };
  const op2 = actor('operator', { id: 'u-operator-2', name: 'operator two' });
  const chief8 = actor('chief', { id: 'u-chief-8', chiefId: 8 });

  const rows: {
    name: string;
    action: CaseAction;
    from: Partial<CaseState>;
    by: Actor;
    input: ActionInput;
    otherActor: Actor;
    otherActorOutcome: Outcome;
    otherWords: ActionInput;
    otherWordsOutcome: Outcome;
  }[] = [
    {
      name: 'accept',
      action: 'accept',
      from: { status: 'dispatched' },
      by: actor('chief'),
      input: {},
      otherActor: chief8,
      otherActorOutcome: { code: 'not_assignee' },
      otherWords: { note: 'on site now' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'in_progress' },
    },
    {
      name: 'return',
      action: 'return',
      from: { status: 'dispatched' },
      by: actor('chief'),
      input: { reason: 'not my road' },
      otherActor: chief8,
      otherActorOutcome: { code: 'not_assignee' },
      otherWords: { reason: 'wrong district' },
      otherWordsOutcome: { code: 'not_assignee' }, // the case no longer has an assignee
    },
    {
      name: 'resolve',
      action: 'resolve',
      from: { status: 'in_progress', escalatedTo: [9] },
      by: actor('chief'),
      input: { note: 'pothole filled' },
      otherActor: actor('chief', { id: 'u-chief-9', chiefId: 9 }),
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'resolved' },
      otherWords: { note: 'pothole filled properly' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'resolved' },
    },
    {
      name: 'verify pass',
      action: 'verify',
      from: { status: 'resolved' },
      by: actor('warden'),
      input: { passed: true, note: 'fixed' },
      otherActor: actor('operator'),
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'closed' },
      otherWords: { passed: true, note: 'fixed well' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'closed' },
    },
    {
      name: 'verify fail (rework)',
      action: 'verify',
      from: { status: 'resolved' },
      by: actor('warden'),
      input: { passed: false, reason: 'still there' },
      otherActor: actor('operator'),
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'in_progress' },
      otherWords: { passed: false, reason: 'half done' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'in_progress' },
    },
    {
      name: 'warden check of a reported case',
      action: 'verify',
      from: { status: 'reported', checkRequested: true },
      by: actor('warden'),
      input: { passed: true },
      otherActor: actor('operator'),
      otherActorOutcome: 'applied',
      otherWords: { passed: true, note: 'seen it' },
      otherWordsOutcome: 'applied',
    },
    {
      name: 'reject',
      action: 'reject',
      from: { status: 'reported' },
      by: actor('operator'),
      input: { reason: 'not municipal' },
      otherActor: op2,
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'rejected' },
      otherWords: { reason: 'private land' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'rejected' },
    },
    {
      name: 'cancel',
      action: 'cancel',
      from: { status: 'in_progress' },
      by: actor('operator'),
      input: { reason: 'filed twice' },
      otherActor: op2,
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'cancelled' },
      otherWords: { reason: 'test case' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'cancelled' },
    },
    {
      name: 'register by an operator',
      action: 'register',
      from: { status: 'reported' },
      by: actor('operator'),
      input: {},
      otherActor: SYSTEM_ACTOR,
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'registered' },
      otherWords: { note: 'welcome' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'registered' },
    },
    {
      name: 'register by the system',
      action: 'register',
      from: { status: 'reported' },
      by: SYSTEM_ACTOR,
      input: {},
      otherActor: actor('operator'),
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'registered' },
      otherWords: { note: 'auto' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'registered' },
    },
    {
      name: 'dispatch to the same assignee by an operator',
      action: 'dispatch',
      from: { status: 'registered', assigneeChiefId: null },
      by: actor('operator'),
      input: { assigneeId: 8 },
      otherActor: op2,
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'dispatched', field: 'assigneeId' },
      otherWords: { assigneeId: 8, reason: 'urgent' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'dispatched', field: 'assigneeId' },
    },
    {
      name: 'dispatch to the same assignee by the system',
      action: 'dispatch',
      from: { status: 'registered', assigneeChiefId: null },
      by: SYSTEM_ACTOR,
      input: { assigneeId: 8 },
      otherActor: actor('operator'),
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'dispatched', field: 'assigneeId' },
      otherWords: { assigneeId: 8, note: 'again' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'dispatched' },
    },
    {
      name: 'comment',
      action: 'comment',
      from: { status: 'in_progress' },
      by: actor('chief'),
      input: { note: 'on my way' },
      otherActor: actor('operator'),
      otherActorOutcome: 'applied',
      otherWords: { note: 'arrived' },
      otherWordsOutcome: 'applied',
    },
    {
      name: 'leader extend',
      action: 'extend',
      from: { status: 'in_progress' },
      by: actor('leader'),
      input: { hours: 24, reason: 'rain' },
      otherActor: actor('leader', { id: 'u-leader-2' }),
      otherActorOutcome: 'applied',
      otherWords: { hours: 24, reason: 'heavy rain' },
      otherWordsOutcome: 'applied',
    },
    {
      name: 'chief extend (request)',
      action: 'extend',
      from: { status: 'in_progress' },
      by: actor('chief'),
      input: { hours: 24, reason: 'parts' },
      otherActor: chief8,
      otherActorOutcome: { code: 'not_assignee' },
      otherWords: { hours: 24, reason: 'parts and rain' },
      otherWordsOutcome: 'applied',
    },
    {
      name: 'verify-request',
      action: 'verify-request',
      from: { status: 'reported' },
      by: actor('operator'),
      input: {},
      otherActor: op2,
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'reported' },
      otherWords: { note: 'please look' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'reported' },
    },
    {
      name: 'merge',
      action: 'merge',
      from: { status: 'reported' },
      by: actor('operator'),
      input: { targetId: 'case-2', reason: 'same pothole' },
      otherActor: op2,
      otherActorOutcome: { code: 'illegal_transition', currentStatus: 'merged' },
      otherWords: { targetId: 'case-2', reason: 'duplicate' },
      otherWordsOutcome: { code: 'illegal_transition', currentStatus: 'merged' },
    },
  ];

  const check = (run: () => TransitionResult, outcome: Outcome) => {
    if (outcome === 'applied') expect(run().kind).toBe('applied');
    else expect(refused(run)).toMatchObject(outcome);
  };

  describe.each(rows)('$name', ({ action, from, by, input, otherActor, otherActorOutcome, otherWords, otherWordsOutcome }) => {
    const s0 = state(from);
    const s1 = after(s0, transition(s0, action, by, input, ctx()), by);

    it('the same actor with the same words → repeat', () => {
      expect(transition(s1, action, by, input, ctx())).toEqual({ kind: 'repeat' });
    });

    it('the same words with surrounding blanks → repeat', () => {
      const padded = { ...input, ...(input.reason ? { reason: ` ${input.reason} ` } : {}), ...(input.note ? { note: `${input.note}\n` } : {}) };
      expect(transition(s1, action, by, padded, ctx())).toEqual({ kind: 'repeat' });
    });

    it('another actor → not a repeat', () => {
      check(() => transition(s1, action, otherActor, input, ctx()), otherActorOutcome);
    });

    it('other words → not a repeat', () => {
      check(() => transition(s1, action, by, otherWords, ctx()), otherWordsOutcome);
    });
  });

  // A repeat still runs the jurisdiction check: who left the jurisdiction hears so, not "done".
  it('a repeat by an operator now of another street is refused, not answered as done', () => {
    const op = actor('operator');
    const s0 = state({ status: 'reported' });
    const s1 = after(s0, transition(s0, 'merge', op, { targetId: 'case-2', reason: 'same pothole' }, ctx()), op);
    const moved = { ...op, streetCode: OTHER_STREET };
    expect(refused(() => transition(s1, 'merge', moved, { targetId: 'case-2', reason: 'same pothole' }, ctx()))).toMatchObject({ code: 'outside_jurisdiction' });
  });

  it('a dispatch by the same operator to another chief is not a repeat: it re-dispatches', () => {
    const op = actor('operator');
    const s0 = state({ status: 'registered', assigneeChiefId: null });
    const s1 = after(s0, transition(s0, 'dispatch', op, { assigneeId: 8 }, ctx()), op);
    const r = applied(transition(s1, 'dispatch', op, { assigneeId: 7 }, ctx({ assignee: CHIEF_7 })));
    expect(r.patch.assigneeChiefId).toBe(7);
  });

  it('an earlier event of the same type is no repeat once the state has moved on', () => {
    const chief = actor('chief');
    // accepted, then returned and dispatched again to the same chief: accepting again is real
    const s = state({ status: 'dispatched', lastEvent: { type: 'case.accepted', actorId: chief.id, reason: null, note: null } });
    expect(applied(transition(s, 'accept', chief, {}, ctx())).patch.status).toBe('in_progress');
  });

  // A repeat must match the verdict too: a warden who corrects their check is heard.
  it('a check with the opposite verdict is not a repeat', () => {
    const warden = actor('warden');
    const s0 = state({ status: 'reported', checkRequested: true });
    const s1 = after(s0, transition(s0, 'verify', warden, { passed: true }, ctx()), warden);
    const r = transition(s1, 'verify', warden, { passed: false }, ctx());
    expect(r.kind).toBe('applied');
  });

  // And the hours: a chief who asks for other hours with the same reason is heard.
  it('an extension request for other hours is not a repeat', () => {
    const chief = actor('chief');
    const s0 = state({ status: 'in_progress' });
    const s1 = after(s0, transition(s0, 'extend', chief, { hours: 24, reason: 'parts' }, ctx()), chief);
    const r = transition(s1, 'extend', chief, { hours: 48, reason: 'parts' }, ctx());
    expect(r.kind).toBe('applied');
  });
});

describe('6. rework', () => {
  it('a reworked case that was already overdue climbs again one limit from now, not at once', () => {
    const s = state({ status: 'resolved', overdue: true, deadlineAt: new Date(NOW.getTime() - 48 * HOUR) });
    const r = applied(transition(s, 'verify', actor('warden'), { passed: false, reason: 'still broken' }, ctx()));
    expect(r.patch.nextCheckAt).toEqual(NEW_DEADLINE);
    expect(r.effects).toEqual([{ name: JobName.CheckDeadline, data: { caseId: 'case-1', dueAt: NEW_DEADLINE.toISOString() }, deliverAfter: NEW_DEADLINE }]);
  });

  it.each([
    { who: actor('warden'), input: { passed: false, reason: 'still broken' }, reason: 'still broken', note: null },
    { who: actor('operator'), input: { passed: false, note: 'see photo', mediaIds: ['m9'] }, reason: null, note: 'see photo' },
  ])('a failed verify by $who.role sends a resolved case back to in_progress', ({ who, input, reason, note }) => {
    const s = state({ status: 'resolved', reworkCount: 1, deadlineAt: null });
    const r = applied(transition(s, 'verify', who, input, ctx()));
    expect(r.patch).toEqual({ status: 'in_progress', resolvedAt: null, reworkCount: 2, nextCheckAt: null, verifyDeadlineAt: null, verifyOverdue: false });
    expect(r.event).toEqual({
      type: 'case.reworked',
      from: 'resolved',
      to: 'in_progress',
      reason,
      note,
      evidence: { ...(input.mediaIds ? { mediaIds: input.mediaIds } : {}), passed: false },
    });
    expect(r.effects).toEqual([]);
  });

  it('rework re-arms the deadline check, so a deadline that passed meanwhile is caught at once', () => {
    const deadlineAt = new Date('2025-03-01T02:00:00Z');
    const s = state({ status: 'resolved', deadlineAt });
    const r = applied(transition(s, 'verify', actor('warden'), { passed: false, reason: 'still broken' }, ctx()));
    expect(r.patch).toEqual({ status: 'in_progress', resolvedAt: null, reworkCount: 1, nextCheckAt: deadlineAt, verifyDeadlineAt: null, verifyOverdue: false });
    expect(r.effects).toEqual([{ name: JobName.CheckDeadline, data: { caseId: 'case-1', dueAt: deadlineAt.toISOString() }, deliverAfter: deadlineAt }]);
  });

  it('a leader approves a pending request without restating a reason', () => {
    const s = state({ status: 'in_progress', extensionRequestedHours: 24, deadlineAt: new Date(NOW.getTime() + HOUR) });
    const r = applied(transition(s, 'extend', actor('leader'), {}, ctx()));
    expect(r.event.type).toBe('case.extended');
    expect(r.event.evidence).toMatchObject({ hours: 24 });
  });

  it('the same assignee resolves the reworked case again', () => {
    const warden = actor('warden');
    const chief = actor('chief');
    const s0 = state({ status: 'resolved' });
    const s1 = after(s0, transition(s0, 'verify', warden, { passed: false, reason: 'still broken' }, ctx()), warden);
    expect(s1).toMatchObject({ status: 'in_progress', assigneeChiefId: 7, reworkCount: 1, nextCheckAt: DEADLINE, verifyDeadlineAt: null, verifyOverdue: false });
    const s2 = after(s1, transition(s1, 'resolve', chief, { note: 'really fixed' }, ctx()), chief);
    expect(s2).toMatchObject({ status: 'resolved', nextCheckAt: VERIFY_DEADLINE, verifyDeadlineAt: VERIFY_DEADLINE, verifyOverdue: false });
    const s3 = after(s2, transition(s2, 'verify', warden, { passed: true }, ctx()), warden);
    expect(s3).toMatchObject({ status: 'closed', reworkCount: 1, nextCheckAt: null });
  });
});

describe('typed returns (回退类型)', () => {
  it('a typed return stores its type; the free reason is optional except for other', () => {
    const result = applied(transition(state({ status: 'dispatched' }), 'return', actor('chief'), { reasonType: 'wrong_category' }, ctx()));
    expect(result.event).toMatchObject({ type: 'case.returned', reason: null, evidence: { reasonType: 'wrong_category' } });
  });
  it('a return without a type is of type other (the reason it needs is the one it always needed)', () => {
    const result = applied(transition(state({ status: 'dispatched' }), 'return', actor('chief'), { reason: 'not here' }, ctx()));
    expect(result.event.evidence).toEqual({ reasonType: 'other' });
  });
});

describe("the dispatcher's clock: resolve and return", () => {
  const resolvedPatch = (verifyDeadlineAt: Date | null): CasePatch => ({
    status: 'resolved',
    resolvedAt: NOW,
    extensionRequestedHours: null,
    publicNote: 'pothole filled',
    verifyDeadlineAt,
    verifyOverdue: false,
    nextCheckAt: verifyDeadlineAt,
  });

  it('a resolve without ctx.verifyDeadlineFrom sets no verification deadline and starts no check', () => {
    const s = state({ status: 'in_progress', extensionRequestedHours: 12 });
    const r = applied(transition(s, 'resolve', actor('chief'), { note: 'pothole filled' }, ctx({ verifyDeadlineFrom: undefined })));
    expect(r.patch).toEqual(resolvedPatch(null));
    expect(r.effects).toEqual([]);
  });

  it('a resolve with ctx.verifyDeadlineFrom sets the verification deadline from now and starts a check at it', () => {
    const starts: Date[] = [];
    const limit = new Date('2025-03-03T06:30:00.000Z');
    const verifyDeadlineFrom = (start: Date) => {
      starts.push(start);
      return limit;
    };
    const s = state({ status: 'in_progress', extensionRequestedHours: 12 });
    const r = applied(transition(s, 'resolve', actor('chief'), { note: 'pothole filled' }, ctx({ verifyDeadlineFrom })));
    expect(starts).toEqual([NOW]);
    expect(r.patch).toEqual(resolvedPatch(limit));
    expect(r.effects).toEqual([checkAt(limit)]);
    expect(r.effects[0]).toEqual({ name: 'check-deadline', data: { caseId: 'case-1', dueAt: '2025-03-03T06:30:00.000Z' }, deliverAfter: limit });
  });

  it('a resolve of an overdue, escalated case starts the verification clock the same way', () => {
    const s = state({ status: 'in_progress', deadlineAt: new Date('2025-03-01T02:00:00Z'), overdue: true, escalatedTo: [3] });
    const r = applied(transition(s, 'resolve', actor('chief'), { note: 'pothole filled' }, ctx()));
    expect(r.patch).toEqual(resolvedPatch(VERIFY_DEADLINE));
    expect(r.effects).toEqual([checkAt(VERIFY_DEADLINE)]);
  });

  it.each(['dispatched', 'in_progress'] as const)('a return from %s stops the clock and routes the case again', (from) => {
    const s = state({ status: from, overdue: true, escalatedTo: [3], extensionRequestedHours: 24, assigneeDepartmentCode: null });
    const r = applied(transition(s, 'return', actor('chief'), { reason: 'not my road' }, ctx()));
    expect(r.patch).toEqual({
      status: 'registered',
      assigneeChiefId: null,
      dispatchedAt: null,
      acceptedAt: null,
      deadlineAt: null,
      overdue: false,
      escalationLevel: 0,
      escalatedTo: [],
      extensionRequestedHours: null,
      nextCheckAt: null,
    });
    expect(r.effects).toEqual([{ name: 'route-case', data: { caseId: 'case-1' } }]);
  });
});

describe('a department’s case (domain.md 9)', () => {
  const GAS = { code: 'GAS', name: '燃气公司' };
  const deptCase = (overrides: Partial<CaseState> = {}) => state({ assigneeChiefId: null, assigneeDepartmentCode: 'GAS', coordinatorChiefId: CHIEF_7.id, ...overrides });

  it('routing with a department dispatches the case to it; the routed chief coordinates', () => {
    const r = applied(transition(state({ status: 'registered', assigneeChiefId: null, assigneeDepartmentCode: null }), 'dispatch', SYSTEM_ACTOR, { assigneeId: 8 }, ctx({ department: GAS })));
    expect(r.patch).toMatchObject({ status: 'dispatched', assigneeChiefId: null, assigneeDepartmentCode: 'GAS', coordinatorChiefId: CHIEF_8.id });
    expect(r.event.evidence).toMatchObject({ assignee: { kind: 'department', code: 'GAS', name: '燃气公司' }, coordinator: { id: 8, name: 'Li Si', level: 2 } });
  });

  it('an operator’s dispatch by hand goes to the chief named, never to a department', () => {
    const r = applied(transition(deptCase({ status: 'dispatched' }), 'dispatch', actor('operator'), { assigneeId: 8 }, ctx({ department: GAS })));
    expect(r.patch).toMatchObject({ assigneeChiefId: 8, assigneeDepartmentCode: null, coordinatorChiefId: null });
  });

  it('a member accepts and resolves; the coordinating chief may comment but not accept or resolve; another department may not touch it', () => {
    expect(applied(transition(deptCase({ status: 'dispatched' }), 'accept', actor('department'), {}, ctx())).patch.status).toBe('in_progress');
    expect(applied(transition(deptCase({ status: 'in_progress' }), 'resolve', actor('department'), { note: 'valve closed' }, ctx())).patch.status).toBe('resolved');
    expect(applied(transition(deptCase({ status: 'in_progress' }), 'comment', actor('chief'), { note: 'road closed off' }, ctx())).event.type).toBe('case.commented');
    for (const action of ['accept', 'resolve'] as const) {
      const from = action === 'accept' ? 'dispatched' : 'in_progress';
      expect(() => transition(deptCase({ status: from }), action, actor('chief'), { note: 'done' }, ctx())).toThrow(expect.objectContaining({ code: 'not_assignee', status: 403 }));
      expect(() => transition(deptCase({ status: from }), action, actor('department', { departmentCode: 'PARKS' }), { note: 'done' }, ctx())).toThrow(
        expect.objectContaining({ code: 'not_assignee', status: 403 }),
      );
    }
  });

  it('a member’s return clears the department and the coordinator and names the department (routing passes it over)', () => {
    const r = applied(transition(deptCase({ status: 'dispatched' }), 'return', actor('department'), { reasonType: 'not_ours', reason: 'not gas' }, ctx()));
    expect(r.patch).toMatchObject({ status: 'registered', assigneeChiefId: null, assigneeDepartmentCode: null, coordinatorChiefId: null });
    expect(r.event.evidence).toEqual({ reasonType: 'not_ours', department: 'GAS' });
  });

  it('an operator dispatches by hand to a department that handles the category: the chief given coordinates; the event is routing’s form', () => {
    const named = { ...GAS, active: true, handlesCategory: true, categoryCode: 'E0403' };
    const r = applied(transition(state({ status: 'registered', assigneeChiefId: null, assigneeDepartmentCode: null }), 'dispatch', actor('operator'), { departmentCode: 'GAS' }, ctx({ departmentNamed: named })));
    expect(r.patch).toMatchObject({ status: 'dispatched', assigneeChiefId: null, assigneeDepartmentCode: 'GAS', coordinatorChiefId: CHIEF_8.id, deadlineAt: NEW_DEADLINE });
    expect(r.event.evidence).toMatchObject({ assignee: { kind: 'department', code: 'GAS', name: '燃气公司' }, coordinator: { id: 8, name: 'Li Si', level: 2 } });
    expect(r.patch.routingReason).toContain('department 燃气公司 (GAS)');
    // A chief's case handed to the department (reassigned), and a repeat of it changes nothing.
    const moved = applied(transition(state({ status: 'dispatched', assigneeDepartmentCode: null }), 'dispatch', actor('operator'), { departmentCode: 'GAS' }, ctx({ departmentNamed: named })));
    expect(moved.patch).toMatchObject({ assigneeChiefId: null, assigneeDepartmentCode: 'GAS' });
    expect(refused(() => transition(deptCase({ status: 'dispatched' }), 'dispatch', actor('operator'), { departmentCode: 'GAS' }, ctx({ departmentNamed: named })))).toMatchObject({
      code: 'illegal_transition',
      field: 'departmentCode',
    });
  });

  it('a department that does not exist, is deactivated or does not handle the category is refused naming departmentCode; no coordinator: assigneeId', () => {
    const s = state({ status: 'registered', assigneeChiefId: null, assigneeDepartmentCode: null });
    const op = actor('operator');
    const named = { ...GAS, active: true, handlesCategory: true, categoryCode: 'E0403' };
    expect(refused(() => transition(s, 'dispatch', op, { departmentCode: 'NOPE' }, ctx({ departmentNamed: null })))).toMatchObject({ code: 'unknown_department', status: 422, field: 'departmentCode' });
    expect(refused(() => transition(s, 'dispatch', op, { departmentCode: 'GAS' }, ctx({ departmentNamed: { ...named, active: false } })))).toMatchObject({ code: 'department_unfit', field: 'departmentCode' });
    expect(refused(() => transition(s, 'dispatch', op, { departmentCode: 'GAS' }, ctx({ departmentNamed: { ...named, handlesCategory: false } })))).toMatchObject({
      code: 'department_unfit',
      field: 'departmentCode',
    });
    expect(refused(() => transition(s, 'dispatch', op, { departmentCode: 'GAS' }, ctx({ departmentNamed: named, assignee: null })))).toMatchObject({ code: 'unknown_chief', field: 'assigneeId' });
    expect(refused(() => transition(s, 'dispatch', op, {}, ctx()))).toMatchObject({ code: 'bad_input', field: 'assigneeId' });
  });

  it('the department’s leader grants a member’s request for more time (the hours asked) or refuses it; a member who does not lead only asks', () => {
    const lead = actor('department', { id: 'u-gas-lead', ledDepartmentCode: 'GAS' });
    const member = actor('department');
    const asked = after(deptCase({ status: 'in_progress' }), transition(deptCase({ status: 'in_progress' }), 'extend', member, { hours: 24, reason: 'parts' }, ctx()), member);
    expect(asked).toMatchObject({ extensionRequestedHours: 24, extensionCount: 0, lastEvent: { type: 'case.extension_requested' } });
    // The member's same request again is a repeat, not a grant.
    expect(transition(asked, 'extend', member, { hours: 24, reason: 'parts' }, ctx())).toEqual({ kind: 'repeat' });
    const granted = applied(transition(asked, 'extend', lead, {}, ctx()));
    expect(granted.event).toMatchObject({ type: 'case.extended', evidence: { hours: 24 } });
    expect(granted.patch).toMatchObject({ extensionCount: 1, extensionRequestedHours: null, deadlineAt: plusHours(DEADLINE, 24) });
    expect(applied(transition(asked, 'refuse-extension', lead, { reason: 'do it today' }, ctx())).event.type).toBe('case.extension_refused');
    expect(refused(() => transition(asked, 'refuse-extension', member, { reason: 'no' }, ctx()))).toMatchObject({ code: 'forbidden', status: 403 });
    // Another department's leader decides nothing here.
    const parksLead = actor('department', { departmentCode: 'PARKS', ledDepartmentCode: 'PARKS' });
    expect(refused(() => transition(asked, 'refuse-extension', parksLead, { reason: 'no' }, ctx())).code).toBe('not_assignee');
    expect(refused(() => transition(asked, 'extend', parksLead, {}, ctx())).code).toBe('not_assignee');
  });
});

describe('7. a warden check of a reported case', () => {
  it.each([true, false])('verify(passed=%s) on reported → case.checked, status stays reported', (passed) => {
    const s = state({ status: 'reported', checkRequested: true });
    const r = applied(transition(s, 'verify', actor('warden'), { passed, note: 'went to look' }, ctx()));
    expect(r.patch).toEqual({ checkRequested: false, checkPassed: passed });
    expect(r.patch.status).toBeUndefined();
    expect(r.event).toEqual({ type: 'case.checked', from: 'reported', to: 'reported', reason: null, note: 'went to look', evidence: { passed } });
    expect(r.effects).toEqual([]);
  });

  it('request → check → register', () => {
    const op = actor('operator');
    const warden = actor('warden');
    const s0 = state({ status: 'reported' });
    const s1 = after(s0, transition(s0, 'verify-request', op, {}, ctx()), op);
    expect(s1).toMatchObject({ status: 'reported', checkRequested: true, checkPassed: null });
    const s2 = after(s1, transition(s1, 'verify', warden, { passed: true }, ctx()), warden);
    expect(s2).toMatchObject({ status: 'reported', checkRequested: false, checkPassed: true });
    const r = applied(transition(s2, 'register', op, {}, ctx()));
    expect(r.patch.status).toBe('registered');
    expect(r.effects).toEqual([{ name: JobName.RouteCase, data: { caseId: 'case-1' } }]);
    // and a further check may be requested after a check
    expect(transition(s2, 'verify-request', op, {}, ctx()).kind).toBe('applied');
  });
});

describe('public note on close', () => {
  it('closing with no note leaves the public note as the resolve set it', () => {
    const s = state({ status: 'resolved', lastEvent: { type: 'case.resolved', actorId: 'u-chief', reason: null, note: 'pothole filled' } });
    expect('publicNote' in applied(transition(s, 'verify', actor('warden'), { passed: true }, ctx())).patch).toBe(false);
  });

  // Comments are internal: a comment after the resolve never becomes the public note.
  it('closing with no note does not publish a later comment', () => {
    const s = state({ status: 'resolved', lastEvent: { type: 'case.commented', actorId: 'u-operator', reason: null, note: 'chief was slow again' } });
    expect(applied(transition(s, 'verify', actor('warden'), { passed: true }, ctx())).patch.publicNote).not.toBe('chief was slow again');
  });
});

describe('6. a case reported by address only', () => {
  const unplaced = (overrides: Partial<CaseState> = {}) => state({ ...UNPLACED, ...overrides });

  it.each(['register', 'verify-request', 'verify'] as const)('%s is refused until the case is placed (409 naming location)', (action) => {
    const err = refused(() => transition(unplaced(), action, actor('operator'), VALID_INPUT[action], ctx()));
    expect(err).toMatchObject({ code: 'illegal_transition', field: 'location', currentStatus: 'reported' });
  });

  it.each(['reject', 'cancel', 'comment'] as const)('%s is allowed before it is placed', (action) => {
    expect(transition(unplaced(), action, actor('operator'), VALID_INPUT[action], ctx()).kind).toBe('applied');
  });

  it('place outside the district: out_of_jurisdiction naming location', () => {
    const err = refused(() => transition(unplaced(), 'place', actor('operator'), VALID_INPUT.place, ctx({ placement: { point: PLACEMENT.point, place: null } })));
    expect(err).toMatchObject({ code: 'out_of_jurisdiction', field: 'location' });
  });

  it('place without a location: bad_input naming location', () => {
    const err = refused(() => transition(unplaced(), 'place', actor('operator'), {}, ctx({ placement: undefined })));
    expect(err).toMatchObject({ code: 'bad_input', field: 'location' });
  });

  it('a placed case is not placed again', () => {
    const err = refused(() => transition(state(), 'place', actor('operator'), VALID_INPUT.place, ctx()));
    expect(err).toMatchObject({ code: 'illegal_transition', field: 'location' });
  });

  it('wardens, chiefs and street staff may not place it; a repeat of the same place is recognised', () => {
    expect(refused(() => transition(unplaced(), 'place', actor('warden'), VALID_INPUT.place, ctx())).code).toBe('forbidden');
    expect(refused(() => transition(unplaced(), 'place', actor('operator', { streetCode: STREET }), VALID_INPUT.place, ctx())).code).toBe('outside_jurisdiction');
    const op = actor('operator');
    const first = transition(unplaced(), 'place', op, VALID_INPUT.place, ctx());
    const placed = { ...after(unplaced(), first, op), streetCode: STREET, gridCellCode: CELL };
    expect(transition(placed, 'place', op, VALID_INPUT.place, ctx()).kind).toBe('repeat');
  });
});

describe('reopen: a reporter’s "not fixed" after close (domain.md 9)', () => {
  const closed = state({ status: 'closed', reworkCount: 1, overdue: true, escalatedTo: [3] });
  const citizen = actor('citizen', { id: null });

  it('goes back to the same assignee as rework, with a new limit from now and no escalation', () => {
    const r = applied(transition(closed, 'reopen', citizen, {}, ctx()));
    expect(r.patch).toMatchObject({ status: 'in_progress', closedAt: null, deadlineAt: NEW_DEADLINE, overdue: false, escalatedTo: [], reworkCount: 2 });
    expect(r.patch.assigneeChiefId).toBeUndefined();
    expect(r.event).toMatchObject({ type: 'case.reopened', from: 'closed', to: 'in_progress' });
    // The public note the reopen gives replaces the close's (Open311's status_notes).
    expect(applied(transition(closed, 'reopen', citizen, { note: 'reopened' }, ctx())).patch.publicNote).toBe('reopened');
  });

  it('on the first instant after the window (day 8), or once reopened before, it is refused (409)', () => {
    expect(refused(() => transition(closed, 'reopen', citizen, {}, ctx({ reopen: { ...REOPEN_OPEN, endsAt: NOW } }))).code).toBe('reopen_window_passed');
    expect(refused(() => transition(closed, 'reopen', citizen, {}, ctx({ reopen: { ...REOPEN_OPEN, reopenedBefore: true } }))).code).toBe('already_reopened');
    expect(refused(() => transition(closed, 'reopen', citizen, {}, ctx({ reopen: undefined }))).code).toBe('illegal_transition');
  });

  it('a citizen without the case’s tracking token, and staff, may not reopen', () => {
    expect(refused(() => transition(closed, 'reopen', actor('citizen', { trackedCaseIds: new Set(['case-2']) }), {}, ctx())).code).toBe('forbidden');
    for (const role of ['operator', 'leader', 'chief', 'warden', 'admin', 'system'] as const) {
      expect(refused(() => transition(closed, 'reopen', actor(role), {}, ctx())).code).toBe('forbidden');
    }
  });

  it('without a time limit (no standard) the reopened case has no deadline and no clock job', () => {
    const r = applied(transition(closed, 'reopen', citizen, {}, ctx({ deadlineFrom: undefined })));
    expect(r.patch.deadlineAt).toBeNull();
    expect(r.effects).toEqual([]);
  });
});
