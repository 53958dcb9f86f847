/** What a person (or the dispatcher) can do to a case: `POST /cases/:id/<action>`. */
export const CASE_ACTIONS = [
  'register',
  'reject',
  'verify-request',
  'dispatch',
  'accept',
  'return',
  'resolve',
  'verify',
  'cancel',
  'extend',
  /** A leader declines a chief's extension request (with a reason); the deadline stays. */
  'refuse-extension',
  'merge',
  'comment',
  /** 挂账: an operator asks (reason, until), a leader approves (or refuses with passed=false). */
  'suspend',
  /** Ends a 挂账 before its `until` (operator or leader; the dispatcher at `until`). */
  'resume',
  /** An operator sets the point of a case reported by address only (its cell, street and community follow). */
  'place',
  /** A citizen's "not fixed" within 7 natural days of close reopens the case once as rework (the feedback's own step; never an endpoint of its own). */
  'reopen',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export function isCaseAction(value: unknown): value is CaseAction {
  return typeof value === 'string' && (CASE_ACTIONS as readonly string[]).includes(value);
}

/** The actions of `POST /cases/:id/<action>` (staff): every one but `reopen`, which only a reporter's feedback takes. */
export const STAFF_CASE_ACTIONS = CASE_ACTIONS.filter((a): a is Exclude<CaseAction, 'reopen'> => a !== 'reopen');
export type StaffCaseAction = Exclude<CaseAction, 'reopen'>;

export function isStaffCaseAction(value: unknown): value is StaffCaseAction {
  return typeof value === 'string' && (STAFF_CASE_ACTIONS as readonly string[]).includes(value);
}

/** Event types written to `case_event.type` (dot-cased, as the live feed streams them). */
export const CASE_EVENT_TYPES = [
  'case.reported',
  'case.registered',
  'case.rejected',
  'case.check_requested',
  'case.checked',
  'case.dispatched',
  'case.accepted',
  'case.returned',
  'case.resolved',
  'case.closed',
  'case.reworked',
  'case.cancelled',
  'case.extension_requested',
  'case.extended',
  /** A leader declined the chief's extension request (evidence: hours asked); the deadline does not move. */
  'case.extension_refused',
  'case.merged',
  'case.duplicate_merged',
  'case.commented',
  'case.overdue',
  'case.escalated',
  'case.verification_overdue',
  /** A chief appealed the case's overdue mark (evidence: appealId, chiefId); the case's state does not change. */
  'case.appealed',
  /** A leader decided the appeal (evidence: appealId, chiefId, approved). Approved: exempt from the timeliness metrics. */
  'case.appeal_decided',
  /** Re-zoning moved the open case into another live cell (evidence: from and to codes); its status does not change. */
  'case.relocated',
  /** Re-zoning changed the case's responsible chief: the dispatcher handed it to the new one (evidence: assignee, formerAssigneeId). */
  'case.rerouted',
  /** A leader supervised the case (督办; evidence: instruction, dueAt); the case carries the supervision until it closes. */
  'case.supervised',
  /** A leader's written instruction on the case (批示; evidence: instruction); the case's state does not change. */
  'case.instructed',
  /** An operator asked to put the case on the ledger (挂账; evidence: until). */
  'case.suspend_requested',
  /** A leader refused the request to suspend the case. */
  'case.suspend_refused',
  /** A leader approved: the case's clock stops until `until` (evidence: until, leftMs, clockType). */
  'case.suspended',
  /** The clock restarts with the time that was left (evidence: deadlineAt, auto when `until` passed). */
  'case.resumed',
  /** A stage of the command centre missed its limit (evidence: stage, post, dueAt, escalatedTo: the leaders on duty told once); the state does not change. */
  'case.stage_overdue',
  /** A check task (核查/核实) was given (evidence: assignee {id, name, distanceM} or null: the operator's, dueAt). */
  'case.check_assigned',
  /** An operator placed a case reported by address only (evidence: location, gridCell, street, community); its status does not change. */
  'case.placed',
  /** The reporter's feedback after close (evidence: feedbackId, satisfied, reopens); the state does not change. */
  'case.feedback',
  /** "Not fixed" within 7 natural days of close: back to the same assignee with a new limit, as rework (evidence: feedbackId, closedAt, deadlineAt). */
  'case.reopened',
  /** The reporter added an update (note, photos), pending an operator's decision (evidence: updateId). */
  'case.update_added',
  /** An operator approved the reporter's update: the public now sees it (evidence: updateId). */
  'case.update_approved',
  /** An operator rejected the reporter's update (evidence: updateId); it stays hidden from the public. */
  'case.update_rejected',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

/** Who reported: decides the channel's trust (wardens' reports may register themselves). */
/** `leader`: a leader's own case (批示件, `POST /instructions`), registered at once. */
export const REPORT_SOURCES = ['citizen', 'warden', 'hotline', 'open311', 'leader'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

export const COORD_SYSTEMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type CoordSystem = (typeof COORD_SYSTEMS)[number];
