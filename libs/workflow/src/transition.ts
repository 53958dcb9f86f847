import type { CaseAction, CaseEventType, CaseStatus, ChiefLevel, CoordSystem, Role } from '@wangge/domain';
import { caseActionAllowed, publicWordsOf, type CaseShape } from '@wangge/auth';
import { isOpenStatus, isReturnReasonType, RETURN_REASON_TYPES } from '@wangge/domain';
import type { Place } from '@wangge/geo';
import { JobName, type JobRequest } from '@wangge/jobs';
import type { Actor } from './actor';
import { CaseError } from './case-error';
import { reopenRefusal, type ReopenWindow } from './citizens/reopen-window';
import { isSuspended, resumeCase, suspendCase, SUSPENDABLE, SUSPENSION_CLEARED, WHILE_SUSPENDED, type SuspensionClock, type SuspensionPatch, type SuspensionState } from './suspension';

/** What the closed loop needs to know of a case to judge an action. */
export interface CaseState {
  id: string;
  status: CaseStatus;
  /** null (with the cell) for a case reported by address only, until it is placed. */
  streetCode: string | null;
  gridCellCode: string | null;
  reporterId: string | null;
  assigneeChiefId: number | null;
  escalatedTo: readonly number[];
  /** A department's case: the department handling it and the chief coordinating it (absent: none). */
  assigneeDepartmentCode?: string | null;
  coordinatorChiefId?: number | null;
  checkRequested: boolean;
  extensionCount: number;
  extensionRequestedHours: number | null;
  reworkCount: number;
  deadlineAt: Date | null;
  overdue: boolean;
  /** When the clock next looks at the case (absent: not read). */
  nextCheckAt?: Date | null;
  /** 挂账: a pending request and the suspension in force (absent: neither). */
  suspension?: SuspensionState;
  /** An open check task and its warden (absent: none; see CaseShape). */
  checkAssigned?: boolean;
  checkWardenId?: string | null;
  lastEvent: {
    type: CaseEventType;
    actorId: string | null;
    reason: string | null;
    note: string | null;
    evidence?: Record<string, unknown>;
    /** The chiefs the case was assigned or escalated to before that event (a return takes it out of their hands). */
    formerChiefs?: readonly number[];
  } | null;
}

/** The body of `POST /cases/:id/<action>`. */
export interface ActionInput {
  reason?: string;
  note?: string;
  mediaIds?: string[];
  assigneeId?: number;
  /**
   * dispatch by hand to a department (domain.md 9): its code; the chief named by `assigneeId`, else the
   * road chief routing names for the place, coordinates.
   */
  departmentCode?: string;
  passed?: boolean;
  hours?: number;
  targetId?: string;
  conditionNo?: number;
  /** return: why (RETURN_REASON_TYPES); absent: `other`, which needs the free reason. */
  reasonType?: string;
  /** suspend: when the case comes back (ISO 8601 with its zone; at most a year ahead). */
  until?: string;
  /** place: the case's point, in `coordSystem` (default WGS84). */
  location?: { lng: number; lat: number };
  coordSystem?: CoordSystem;
}

/** What the service looked up for the action (the function itself does no I/O). */
export interface TransitionContext {
  now: Date;
  /** dispatch: the chief named by `assigneeId` (by hand to a department without one: the chief routing names there); null when there is no such chief. */
  assignee?: { id: number; name: string; level: ChiefLevel; available: boolean } | null;
  /** dispatch by the dispatcher: the routing decision's reason. */
  routingReason?: { en: string; zh: string };
  /**
   * dispatch by the dispatcher: the department that handles the case's category there (domain.md 9);
   * the case goes to it and the routed chief (`assignee`) coordinates. Absent or null: the chief handles it.
   */
  department?: { code: string; name: string } | null;
  /**
   * dispatch by hand to `departmentCode`: the department as stored (whether it is active and handles
   * the case's category); null when there is no such department.
   */
  departmentNamed?: { code: string; name: string; active: boolean; handlesCategory: boolean; categoryCode: string } | null;
  /** dispatch: the deadline of a dispatch at `start`, on the case's standard (null: no standard). */
  deadlineFrom?: (start: Date) => Date | null;
  /** extend: the deadline moved by `hours` of the case's clock. */
  extend?: (deadline: Date, hours: number) => Date;
  /** resolve: the limit of the verification step from `start` (default 2 work hours). */
  verifyDeadlineFrom?: (start: Date) => Date;
  /** merge: the case to merge into; null when it does not exist. */
  target?: CaseState | null;
  /** suspend (approval) and resume: the case's clock that stops and restarts. */
  suspensionClock?: SuspensionClock;
  /** place: the WGS84 point and what lies there, as a report finds it; `place` null when the point is outside the district. */
  placement?: { point: { lng: number; lat: number }; place: Place | null };
  /** reopen: the window of the close the citizen answers (citizens/reopen-window.ts). */
  reopen?: ReopenWindow;
}

/** Columns a transition changes (camel-cased case_file columns). */
export interface CasePatch extends SuspensionPatch {
  status?: CaseStatus;
  assigneeChiefId?: number | null;
  assigneeDepartmentCode?: string | null;
  coordinatorChiefId?: number | null;
  deadlineAt?: Date | null;
  overdue?: boolean;
  escalationLevel?: number;
  escalatedTo?: number[];
  dispatchedAt?: Date | null;
  acceptedAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  checkRequested?: boolean;
  checkPassed?: boolean | null;
  extensionCount?: number;
  extensionRequestedHours?: number | null;
  reworkCount?: number;
  mergedInto?: string;
  routingReason?: string | null;
  routingReasonZh?: string | null;
  publicNote?: string | null;
  /** When the dispatcher's clock must next look at the case (null: nothing to watch). */
  nextCheckAt?: Date | null;
  verifyDeadlineAt?: Date | null;
  verifyOverdue?: boolean;
}

/** The case event a transition writes (seq, actor and time are added when it is stored). */
export interface EventDraft {
  type: CaseEventType;
  from: CaseStatus;
  to: CaseStatus;
  reason: string | null;
  note: string | null;
  evidence: Record<string, unknown>;
}

export type TransitionResult =
  | { kind: 'repeat' }
  | { kind: 'applied'; patch: CasePatch; event: EventDraft; effects: JobRequest[]; targetEvent?: EventDraft };

const OPEN: readonly CaseStatus[] = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved'];

/** Which states each action may start from. */
export const ACTION_FROM: Record<CaseAction, readonly CaseStatus[]> = {
  register: ['reported'],
  reject: ['reported'],
  'verify-request': ['reported'],
  dispatch: ['registered', 'dispatched'],
  accept: ['dispatched'],
  return: ['dispatched', 'in_progress'],
  resolve: ['in_progress'],
  verify: ['resolved', 'reported'],
  cancel: OPEN,
  extend: ['in_progress'],
  'refuse-extension': ['in_progress'],
  merge: ['reported', 'registered'],
  comment: [...OPEN, 'closed', 'rejected', 'merged', 'cancelled'],
  suspend: SUSPENDABLE,
  resume: SUSPENDABLE,
  place: ['reported'],
  reopen: ['closed'],
};

/** Actions that need the case's place: a case reported by address only is placed first. */
const NEEDS_PLACE: readonly CaseAction[] = ['register', 'verify-request', 'dispatch', 'verify'];

/** Which roles may take each action (jurisdiction is checked besides). */
export const ACTION_ROLES: Record<CaseAction, readonly (Role | 'system')[]> = {
  register: ['operator', 'system'],
  reject: ['operator'],
  'verify-request': ['operator'],
  dispatch: ['operator', 'system'],
  // A department's members handle the cases of their trade as a chief does his (domain.md 9).
  accept: ['chief', 'department'],
  return: ['chief', 'department'],
  resolve: ['chief', 'department'],
  verify: ['warden', 'operator'],
  cancel: ['operator'],
  extend: ['chief', 'department', 'leader'],
  // A leader over the case, or its department's leader (the access model's department-lead scope).
  'refuse-extension': ['leader', 'department'],
  merge: ['operator'],
  comment: ['warden', 'chief', 'operator', 'leader', 'admin', 'department'],
  // 挂账 takes two: the operator asks, a leader approves (suspension.ts).
  suspend: ['operator', 'leader'],
  resume: ['operator', 'leader', 'system'],
  place: ['operator'],
  // The reporter, with the case's tracking token, through their feedback ("not fixed").
  reopen: ['citizen'],
};

const MAX_EXTENSIONS = 2;
const MAX_EXTENSION_HOURS = 720;

/**
 * The rule of the closed loop (domain.md section 2) as one pure function: checks the actor's role
 * and jurisdiction, the state the case is in and the input, and returns the change, the one event
 * it writes and the jobs it starts. A repeat of the action just taken by the same actor with the
 * same words is recognised and changes nothing. Throws {@link CaseError}.
 */
export function transition(state: CaseState, action: CaseAction, actor: Actor, input: ActionInput, ctx: TransitionContext): TransitionResult {
  if (!ACTION_ROLES[action].includes(actor.role)) {
    throw new CaseError('forbidden', `role ${actor.role} may not ${action} a case / 当前角色无权执行此操作`);
  }
  if (isRepeat(state, action, actor, input)) {
    // A repeat is answered only within the actor's jurisdiction: over the case as it is, or as it
    // stood just before their action (a chief's own return took it out of their hands).
    const formerDepartment = state.lastEvent?.evidence?.department;
    checkJurisdiction(state, action, actor, state.lastEvent?.formerChiefs ?? [], typeof formerDepartment === 'string' ? formerDepartment : null);
    return { kind: 'repeat' };
  }
  checkJurisdiction(state, action, actor);
  if (!ACTION_FROM[action].includes(state.status)) {
    throw new CaseError('illegal_transition', `cannot ${action} a case that is ${state.status} / 案卷当前状态不允许此操作`, undefined, state.status);
  }
  if (isSuspended(state) && !WHILE_SUSPENDED.includes(action)) {
    throw new CaseError('illegal_transition', `the case is suspended (挂账); resume it before you ${action} it / 案卷已挂账，请先恢复`, undefined, state.status);
  }
  if (state.streetCode === null && NEEDS_PLACE.includes(action)) {
    throw new CaseError('illegal_transition', `the case has no location yet: place it before you ${action} it / 案卷尚未定位，请先定位`, 'location', state.status);
  }
  const reason = text(input.reason);
  const note = text(input.note);
  const evidence: Record<string, unknown> = input.mediaIds && input.mediaIds.length > 0 ? { mediaIds: input.mediaIds } : {};
  const event = (type: CaseEventType, to: CaseStatus, extra: Record<string, unknown> = {}): EventDraft => ({
    type,
    from: state.status,
    to,
    reason,
    note,
    evidence: { ...evidence, ...extra },
  });
  const now = ctx.now;
  // The words of the step that the public sees (its public note): one rule with the public view's.
  const publicWords = (type: CaseEventType) => publicWordsOf(type, { reason, note });

  switch (action) {
    case 'register':
      return applied({ status: 'registered', checkRequested: false, publicNote: publicWords('case.registered') }, event('case.registered', 'registered'), [
        { name: JobName.RouteCase, data: { caseId: state.id } },
      ]);

    case 'reject':
      need(reason, 'reason', 'a reason is required to reject / 不予立案须说明理由');
      return applied({ status: 'rejected', closedAt: now, checkRequested: false, publicNote: publicWords('case.rejected'), nextCheckAt: null }, event('case.rejected', 'rejected'));

    case 'verify-request':
      if (state.checkRequested) {
        throw new CaseError('illegal_transition', 'a check is already requested / 已派核实', undefined, state.status);
      }
      return applied({ checkRequested: true, checkPassed: null }, event('case.check_requested', 'reported'));

    case 'dispatch': {
      // By hand to a department (domain.md 9): the department named, checked here; the chief coordinates.
      const byHand = actor.role !== 'system' && input.departmentCode !== undefined ? handDispatchDepartment(input.departmentCode, ctx.departmentNamed) : null;
      if (input.assigneeId === undefined && !byHand) {
        throw new CaseError('bad_input', 'assigneeId (a road chief) or departmentCode is required to dispatch / 派遣须指定路长或部门', 'assigneeId');
      }
      if (actor.role === 'system' && state.status !== 'registered') {
        throw new CaseError('illegal_transition', `cannot route a case that is ${state.status} / 案卷当前状态不允许派遣`, undefined, state.status);
      }
      const chief = ctx.assignee;
      if (!chief) {
        throw input.assigneeId !== undefined
          ? new CaseError('unknown_chief', `no road chief ${input.assigneeId} / 路长不存在`, 'assigneeId')
          : new CaseError('unknown_chief', 'no road chief to coordinate at the case’s place: name one with assigneeId / 案卷所在位置无协调路长，请指定', 'assigneeId');
      }
      if (!chief.available) throw new CaseError('chief_unavailable', `road chief ${chief.name} is unavailable (leave) / 该路长不在岗`, 'assigneeId');
      if (byHand ? state.status === 'dispatched' && state.assigneeDepartmentCode === byHand.code : state.status === 'dispatched' && state.assigneeChiefId === chief.id) {
        throw new CaseError(
          'illegal_transition',
          byHand ? 'the case is already dispatched to this department / 已派遣给该部门' : 'the case is already dispatched to this chief / 已派遣给该路长',
          byHand ? 'departmentCode' : 'assigneeId',
          state.status,
        );
      }
      const deadlineAt = ctx.deadlineFrom ? ctx.deadlineFrom(now) : null;
      // The dispatcher's routing hands a case to the department that handles it there; an operator to the department named.
      const department = actor.role === 'system' ? (ctx.department ?? null) : byHand;
      const routing =
        actor.role === 'system' && ctx.routingReason
          ? ctx.routingReason
          : byHand
            ? {
                en: `dispatched by hand by ${actor.name} → department ${byHand.name} (${byHand.code}); coordinator: level-${chief.level} chief ${chief.name}${reason ? `: ${reason}` : ''}`,
                zh: `${actor.name} 手动派遣 → 部门 ${byHand.name}；协调路长：${chief.level}级路长 ${chief.name}${reason ? `：${reason}` : ''}`,
              }
            : {
                en: `dispatched by hand by ${actor.name} → level-${chief.level} chief ${chief.name}${reason ? `: ${reason}` : ''}`,
                zh: `${actor.name} 手动派遣 → ${chief.level}级路长 ${chief.name}${reason ? `：${reason}` : ''}`,
              };
      return applied(
        {
          status: 'dispatched',
          assigneeChiefId: department ? null : chief.id,
          assigneeDepartmentCode: department?.code ?? null,
          coordinatorChiefId: department ? chief.id : null,
          dispatchedAt: now,
          acceptedAt: null,
          deadlineAt,
          overdue: false,
          escalationLevel: 0,
          escalatedTo: [],
          routingReason: routing.en,
          routingReasonZh: routing.zh,
          nextCheckAt: deadlineAt,
        },
        event(
          'case.dispatched',
          'dispatched',
          department
            ? {
                assignee: { kind: 'department', code: department.code, name: department.name },
                coordinator: { id: chief.id, name: chief.name, level: chief.level },
                routingReason: routing.en,
              }
            : { assignee: { id: chief.id, name: chief.name, level: chief.level }, routingReason: routing.en },
        ),
        deadlineAt ? [checkAt(state.id, deadlineAt)] : [],
      );
    }

    case 'accept':
      return applied({ status: 'in_progress', acceptedAt: now }, event('case.accepted', 'in_progress'));

    case 'return': {
      const reasonType = input.reasonType ?? 'other';
      if (!isReturnReasonType(reasonType)) {
        throw new CaseError(
          'bad_return_type',
          `reasonType must be one of ${RETURN_REASON_TYPES.join(', ')} / 回退类型须为 ${RETURN_REASON_TYPES.join('、')} 之一`,
          'reasonType',
        );
      }
      if (reasonType === 'other') need(reason, 'reason', 'a reason is required to return a case of type other / 回退类型为“其他”时须说明理由');
      return applied(
        {
          status: 'registered',
          assigneeChiefId: null,
          ...(state.assigneeDepartmentCode || state.coordinatorChiefId != null ? { assigneeDepartmentCode: null, coordinatorChiefId: null } : {}),
          dispatchedAt: null,
          acceptedAt: null,
          deadlineAt: null,
          overdue: false,
          escalationLevel: 0,
          escalatedTo: [],
          extensionRequestedHours: null,
          nextCheckAt: null,
        },
        // A department's return names it: routing passes over the departments that returned the case.
        event('case.returned', 'registered', { reasonType, ...(actor.role === 'department' && actor.departmentCode ? { department: actor.departmentCode } : {}) }),
        // Routed again at once; the dispatcher passes over every chief (and department) who returned the case.
        [{ name: JobName.RouteCase, data: { caseId: state.id } }],
      );
    }

    case 'resolve': {
      const verifyBy = ctx.verifyDeadlineFrom ? ctx.verifyDeadlineFrom(now) : null;
      return applied(
        { status: 'resolved', resolvedAt: now, extensionRequestedHours: null, publicNote: publicWords('case.resolved'), verifyDeadlineAt: verifyBy, verifyOverdue: false, nextCheckAt: verifyBy },
        event('case.resolved', 'resolved'),
        verifyBy ? [checkAt(state.id, verifyBy)] : [],
      );
    }

    case 'verify': {
      if (typeof input.passed !== 'boolean') throw new CaseError('bad_input', 'passed (true or false) is required / 须给出核查结论', 'passed');
      if (state.status === 'reported') {
        return applied({ checkRequested: false, checkPassed: input.passed }, event('case.checked', 'reported', { passed: input.passed }));
      }
      if (input.passed) {
        return applied(
          { status: 'closed', closedAt: now, nextCheckAt: null, ...(publicWords('case.closed') ? { publicNote: publicWords('case.closed') } : {}) },
          event('case.closed', 'closed', { passed: true }),
        );
      }
      need(reason ?? note, 'reason', 'say why the fix failed verification / 核查不通过须说明原因');
      // The clock keeps running: the deadline if it is still to come (or was missed while resolved:
      // then the check runs at once); a case already overdue climbs again one more limit from now.
      const reworkCheck = state.overdue ? (ctx.deadlineFrom?.(now) ?? null) : state.deadlineAt;
      return applied(
        { status: 'in_progress', resolvedAt: null, reworkCount: state.reworkCount + 1, nextCheckAt: reworkCheck, verifyDeadlineAt: null, verifyOverdue: false },
        event('case.reworked', 'in_progress', { passed: false }),
        reworkCheck ? [checkAt(state.id, reworkCheck)] : [],
      );
    }

    case 'cancel':
      need(reason, 'reason', 'a reason is required to cancel / 作废须说明理由');
      return applied(
        { status: 'cancelled', closedAt: now, publicNote: publicWords('case.cancelled'), nextCheckAt: null, ...(isSuspended(state) ? SUSPENSION_CLEARED : {}) },
        event('case.cancelled', 'cancelled'),
      );

    case 'extend': {
      if (state.extensionCount >= MAX_EXTENSIONS) {
        throw new CaseError('extension_limit', `a case may be extended at most ${MAX_EXTENSIONS} times / 延期最多${MAX_EXTENSIONS}次`, 'hours');
      }
      // Whoever decides extensions on the case (the access model: a leader over it, its department's leader) grants one, by default the hours asked; anyone else asks.
      const grants = grantsExtensions(state, actor);
      const hours = input.hours ?? (grants ? state.extensionRequestedHours ?? undefined : undefined);
      if (hours === undefined || !(hours > 0) || hours > MAX_EXTENSION_HOURS) {
        throw new CaseError('bad_input', `hours (0 < hours <= ${MAX_EXTENSION_HOURS}) is required / 须给出延期小时数`, 'hours');
      }
      if (!grants) {
        need(reason, 'reason', 'a reason is required to ask for more time / 申请延期须说明理由');
        return applied({ extensionRequestedHours: hours }, event('case.extension_requested', 'in_progress', { hours }));
      }
      if (!state.deadlineAt || !ctx.extend) {
        throw new CaseError('illegal_transition', 'the case has no deadline to extend / 案卷没有处置时限', undefined, state.status);
      }
      const deadlineAt = ctx.extend(state.deadlineAt, hours);
      if (deadlineAt <= now) {
        throw new CaseError('bad_input', `${hours} h still leaves the deadline in the past; extend further / 延期后仍已超期，请延长`, 'hours');
      }
      return applied(
        { deadlineAt, nextCheckAt: deadlineAt, extensionCount: state.extensionCount + 1, extensionRequestedHours: null, overdue: false },
        event('case.extended', 'in_progress', { hours, deadlineAt: deadlineAt.toISOString() }),
        [checkAt(state.id, deadlineAt)],
      );
    }

    case 'refuse-extension': {
      need(reason, 'reason', 'a reason is required to refuse an extension / 驳回延期须说明理由');
      if (state.extensionRequestedHours === null) {
        throw new CaseError('illegal_transition', 'no extension was asked for / 该案卷没有待审批的延期申请', undefined, state.status);
      }
      return applied({ extensionRequestedHours: null }, event('case.extension_refused', 'in_progress', { hours: state.extensionRequestedHours }));
    }

    case 'merge': {
      if (!input.targetId) throw new CaseError('bad_input', 'targetId is required to merge / 合并须指定目标案卷', 'targetId');
      const target = ctx.target;
      // A case outside the operator's jurisdiction is answered as one that does not exist (404): its existence is not revealed.
      if (!target || !caseActionAllowed(actor, caseShapeOf(target), 'merge')) {
        throw new CaseError('not_found', `no case ${input.targetId} / 目标案卷不存在`, 'targetId');
      }
      if (target.id === state.id) throw new CaseError('bad_merge_target', 'a case cannot be merged into itself / 不能与自身合并', 'targetId');
      if (!isOpenStatus(target.status)) {
        throw new CaseError('bad_merge_target', `the target case is ${target.status}; merge into an open case / 目标案卷已办结`, 'targetId');
      }
      return {
        kind: 'applied',
        patch: { status: 'merged', mergedInto: target.id, closedAt: now, checkRequested: false, publicNote: publicWords('case.merged'), nextCheckAt: null },
        event: event('case.merged', 'merged', { targetId: target.id }),
        effects: [],
        targetEvent: { type: 'case.duplicate_merged', from: target.status, to: target.status, reason, note, evidence: { duplicateId: state.id } },
      };
    }

    case 'comment':
      need(note ?? reason, 'note', 'a note is required / 请填写内容');
      return applied({}, event('case.commented', state.status));

    case 'suspend':
    case 'resume': {
      // 挂账 (suspension.ts): the state stays; the change and its event are the suspension's.
      const step = action === 'suspend' ? suspendCase(state, actor, input, ctx, reason) : resumeCase(state, actor, ctx);
      return applied(step.patch, event(step.event.type, state.status, step.event.evidence), step.effects);
    }
    case 'place': {
      // The body first (400, as for every action), then the case (409 when it has its place already).
      const placement = ctx.placement;
      if (!input.location) throw new CaseError('bad_input', 'location {lng, lat} is required to place a case / 定位须给出经纬度', 'location');
      if (state.streetCode !== null) {
        throw new CaseError('illegal_transition', 'the case already has its location / 案卷已定位', 'location', state.status);
      }
      if (!placement) throw new CaseError('bad_input', 'location {lng, lat} is required to place a case / 定位须给出经纬度', 'location');
      const { point, place } = placement;
      if (!place) {
        throw new CaseError('out_of_jurisdiction', `(${input.location.lng}, ${input.location.lat}) is outside the district / 该位置不在本区范围内`, 'location');
      }
      // The place columns are written by the service (PostGIS point); the event records them.
      return applied({}, event('case.placed', state.status, { location: point, gridCell: place.gridCell.code, street: place.street.code, community: place.community.code }));
    }
    case 'reopen': {
      // "Not fixed" (不满意，未解决): rework as after a failed verification, to the same assignee, with a new limit from now.
      if (!ctx.reopen) throw new CaseError('illegal_transition', 'a case reopens only through its reporter’s feedback / 仅可由市民评价重新办理', undefined, state.status);
      const refusal = reopenRefusal(ctx.reopen, now);
      if (refusal) throw refusal;
      const deadlineAt = ctx.deadlineFrom ? ctx.deadlineFrom(now) : null;
      return applied(
        {
          status: 'in_progress',
          closedAt: null,
          resolvedAt: null,
          deadlineAt,
          overdue: false,
          escalationLevel: 0,
          escalatedTo: [],
          reworkCount: state.reworkCount + 1,
          nextCheckAt: deadlineAt,
          verifyDeadlineAt: null,
          verifyOverdue: false,
          publicNote: publicWords('case.reopened'),
        },
        event('case.reopened', 'in_progress', { closedAt: ctx.reopen.closedAt.toISOString(), deadlineAt: deadlineAt?.toISOString() ?? null }),
        deadlineAt ? [checkAt(state.id, deadlineAt)] : [],
      );
    }
  }
}

/** Whether the actor's `extend` grants more time rather than asking for it (the access model's `decide-extension`). */
function grantsExtensions(state: CaseState, actor: Actor): boolean {
  return caseActionAllowed(actor, caseShapeOf(state), 'decide-extension');
}

/** The department an operator dispatches a case to by hand: it must exist, be active and handle the case's category (422 naming departmentCode). */
function handDispatchDepartment(code: string, found: TransitionContext['departmentNamed']): { code: string; name: string } {
  if (!found) throw new CaseError('unknown_department', `no department ${code} / 部门不存在`, 'departmentCode');
  if (!found.active) throw new CaseError('department_unfit', `department ${found.name} (${code}) is deactivated / 该部门已停用`, 'departmentCode');
  if (!found.handlesCategory) {
    throw new CaseError('department_unfit', `department ${found.name} (${code}) does not handle category ${found.categoryCode} / 该部门不处置此类案件`, 'departmentCode');
  }
  return { code: found.code, name: found.name };
}

/** The clock check due at `at` (the job carries the time, so a moved deadline makes it a no-op). */
function checkAt(caseId: string, at: Date): JobRequest {
  return { name: JobName.CheckDeadline, data: { caseId, dueAt: at.toISOString() }, deliverAfter: at };
}

function applied(patch: CasePatch, event: EventDraft, effects: JobRequest[] = []): TransitionResult {
  return { kind: 'applied', patch, event, effects };
}

function text(value: string | undefined): string | null {
  const t = value?.trim();
  return t ? t : null;
}

function need(value: string | null, field: string, message: string): asserts value is string {
  if (!value) throw new CaseError('bad_input', message, field);
}

/** The event an action writes, for recognising a repeat. */
function expectedOutcome(state: CaseState, action: CaseAction, actor: Actor, input: ActionInput): { type: CaseEventType; to: CaseStatus }[] {
  switch (action) {
    case 'register':
      return [{ type: 'case.registered', to: 'registered' }];
    case 'reject':
      return [{ type: 'case.rejected', to: 'rejected' }];
    case 'verify-request':
      return [{ type: 'case.check_requested', to: 'reported' }];
    case 'dispatch':
      if (input.departmentCode !== undefined && actor.role !== 'system') {
        return state.assigneeDepartmentCode === input.departmentCode ? [{ type: 'case.dispatched', to: 'dispatched' }] : [];
      }
      return state.assigneeChiefId !== null && state.assigneeChiefId === input.assigneeId ? [{ type: 'case.dispatched', to: 'dispatched' }] : [];
    case 'accept':
      return [{ type: 'case.accepted', to: 'in_progress' }];
    case 'return':
      return [{ type: 'case.returned', to: 'registered' }];
    case 'resolve':
      return [{ type: 'case.resolved', to: 'resolved' }];
    case 'verify':
      return [
        { type: 'case.checked', to: 'reported' },
        input.passed ? { type: 'case.closed', to: 'closed' } : { type: 'case.reworked', to: 'in_progress' },
      ];
    case 'cancel':
      return [{ type: 'case.cancelled', to: 'cancelled' }];
    case 'extend':
      return [grantsExtensions(state, actor) ? { type: 'case.extended', to: 'in_progress' } : { type: 'case.extension_requested', to: 'in_progress' }];
    case 'refuse-extension':
      return [{ type: 'case.extension_refused', to: 'in_progress' }];
    case 'merge':
      return [{ type: 'case.merged', to: 'merged' }];
    case 'comment':
      return [{ type: 'case.commented', to: state.status }];
    case 'suspend':
      if (actor.role === 'operator') return [{ type: 'case.suspend_requested', to: state.status }];
      return [input.passed === false ? { type: 'case.suspend_refused', to: state.status } : { type: 'case.suspended', to: state.status }];
    case 'resume':
      return [{ type: 'case.resumed', to: state.status }];
    case 'place':
      return [{ type: 'case.placed', to: state.status }];
    case 'reopen':
      return [{ type: 'case.reopened', to: 'in_progress' }];
  }
}

function isRepeat(state: CaseState, action: CaseAction, actor: Actor, input: ActionInput): boolean {
  const last = state.lastEvent;
  if (!last || last.actorId !== actor.id) return false;
  if (last.reason !== text(input.reason) || last.note !== text(input.note)) return false;
  // The words of the action that the event keeps must match too (a verdict, hours, a target).
  const evidence = last.evidence ?? {};
  const same = (key: 'passed' | 'hours' | 'targetId' | 'reasonType' | 'until', value: unknown) => value === undefined || !(key in evidence) || evidence[key] === value;
  if (!same('passed', input.passed) || !same('hours', input.hours) || !same('targetId', input.targetId) || !same('reasonType', input.reasonType)) return false;
  if (input.until !== undefined && !same('until', isoOrRaw(input.until))) return false;
  const photos = (ids: unknown) => (Array.isArray(ids) ? [...ids].map(String).sort().join(',') : '');
  if (photos(evidence.mediaIds) !== photos(input.mediaIds)) return false;
  return expectedOutcome(state, action, actor, input).some((o) => o.type === last.type && o.to === state.status);
}

/** The fields of the case the access model judges by. */
export function caseShapeOf(
  state: Pick<
    CaseState,
    'id' | 'streetCode' | 'gridCellCode' | 'assigneeChiefId' | 'escalatedTo' | 'reporterId' | 'checkAssigned' | 'checkWardenId' | 'assigneeDepartmentCode' | 'coordinatorChiefId'
  >,
): CaseShape {
  return {
    assigneeDepartmentCode: state.assigneeDepartmentCode ?? null,
    coordinatorChiefId: state.coordinatorChiefId ?? null,
    checkAssigned: state.checkAssigned ?? false,
    checkWardenId: state.checkWardenId ?? null,
    id: state.id,
    streetCode: state.streetCode,
    gridCellCode: state.gridCellCode,
    assigneeChiefId: state.assigneeChiefId,
    escalatedTo: state.escalatedTo,
    reporterId: state.reporterId,
  };
}

/**
 * The access model's answer for the action, refused with the error of the actor's role; with
 * `formerChiefs`, also on the case as it stood when one of them held it.
 */
function checkJurisdiction(state: CaseState, action: CaseAction, actor: Actor, formerChiefs: readonly number[] = [], formerDepartment: string | null = null): void {
  const shape = caseShapeOf(state);
  if (caseActionAllowed(actor, shape, action)) return;
  if (formerChiefs.some((id) => caseActionAllowed(actor, { ...shape, assigneeChiefId: id }, action))) return;
  if (formerDepartment !== null && caseActionAllowed(actor, { ...shape, assigneeDepartmentCode: formerDepartment }, action)) return;
  switch (actor.role) {
    case 'chief':
      throw new CaseError('not_assignee', 'the case is not assigned to you / 该案卷未派遣给您');
    case 'department':
      if (actor.departmentCode && shape.assigneeDepartmentCode === actor.departmentCode) {
        throw new CaseError('forbidden', "only the department's leader decides this / 仅部门负责人可审批");
      }
      throw new CaseError('not_assignee', 'the case is not dispatched to your department / 该案卷未派遣给您的部门');
    case 'warden':
      if (action === 'verify' && shape.checkAssigned && shape.gridCellCode !== null && actor.cellCodes.has(shape.gridCellCode)) {
        throw new CaseError('not_assignee', 'the check task is given to another warden or to the operator / 核查任务已派给其他人员');
      }
      throw new CaseError('outside_jurisdiction', 'the case is not in your grid cells / 案卷不在您负责的网格', undefined);
    case 'citizen':
      throw new CaseError('forbidden', 'citizens follow their case with its tracking token / 市民请凭查询码查看');
    default:
      throw new CaseError('outside_jurisdiction', 'the case is outside your street / 案卷不在您的辖区', undefined);
  }
}

/** An instant's ISO form, for comparing with the one an event keeps (the raw text when not a date). */
function isoOrRaw(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}
