import {
  caseGrants,
  caseRooms,
  caseVisible,
  DISTRICT_ROOM,
  principalCampaignRooms,
  principalOf,
  principalRooms,
  publicCaseEvent,
  trackingRoom,
  type AuthUser,
  type CasePrincipal,
  type CaseScopeName,
  type CaseShape,
  type CaseView,
} from '@wangge/auth';
import type { CaseEventMessage, CaseEventPayload, FeedScopeKind } from '@wangge/events';

/**
 * Whose case events a connection receives: what the access model (@wangge/auth) lets its user see
 * — district-wide staff the district, street-level staff their street, wardens the cells they
 * patrol and their own reports, chiefs the cases assigned or escalated to them, a signed-in
 * citizen their own reports as the public sees them — and the cases it `track`s with their
 * tracking token. Decided by the server from the token: the client never names a room.
 */
export interface FeedScope {
  /** What the client is told (`feed.ready`). */
  kind: FeedScopeKind;
  principal: CasePrincipal;
}

export { DISTRICT_ROOM };
export const STAFF_ROOM = 'staff';
export const caseRoom = trackingRoom;

/** The label of each staff scope of the access table (the first the user holds names the connection's). */
const KIND_OF: Partial<Record<CaseScopeName, FeedScopeKind>> = {
  district: 'district',
  street: 'street',
  cells: 'cells',
  'own-reports': 'cells',
  assigned: 'chief',
  escalated: 'chief',
};

const ANONYMOUS: CasePrincipal = { id: null, role: 'citizen', streetCode: null, chiefId: null, cellCodes: new Set() };

/** The scope of a connection (anonymous: `tracker`); null when a staff user sees no case (a chief without a chief record). */
export function scopeOf(user: AuthUser | null, wardenCells: ReadonlySet<string> = new Set()): FeedScope | null {
  if (!user) return { kind: 'tracker', principal: ANONYMOUS };
  const principal = principalOf(user, wardenCells);
  const first = caseGrants(principal, 'staff')[0];
  if (first) return { kind: KIND_OF[first.rule.scope] ?? 'tracker', principal };
  return user.role === 'citizen' ? { kind: 'tracker', principal } : null;
}

export function scopeKind(scope: FeedScope): FeedScopeKind {
  return scope.kind;
}

/** The rooms a connection is in while it is live: from its scope (cases and campaigns) and the cases it tracks, nothing else. */
export function roomsFor(scope: FeedScope, tracked: Iterable<string> = []): string[] {
  const { principal } = scope;
  const staffRooms = principalRooms(principal, 'staff');
  return [
    ...(scope.kind !== 'tracker' ? [STAFF_ROOM] : []),
    ...staffRooms,
    ...(scope.kind !== 'tracker' ? principalCampaignRooms(principal).filter((r) => !staffRooms.includes(r)) : []),
    ...principalRooms(principal, 'public'),
    ...[...tracked].map(caseRoom),
  ];
}

/** The case as it stood after the event, and as it stood before it for the chiefs who had it. */
function shapesOf(
  message: Pick<CaseEventMessage, 'caseId' | 'streetCode' | 'gridCode' | 'assignee' | 'escalatedTo' | 'formerChiefs' | 'reporterId' | 'department' | 'coordinator' | 'formerDepartment'>,
): {
  after: CaseShape;
  before: CaseShape;
} {
  const after: CaseShape = {
    id: message.caseId,
    streetCode: message.streetCode,
    gridCellCode: message.gridCode,
    assigneeChiefId: message.assignee?.id ?? null,
    escalatedTo: message.escalatedTo,
    reporterId: message.reporterId ?? null,
    assigneeDepartmentCode: message.department?.code ?? null,
    coordinatorChiefId: message.coordinator?.id ?? null,
  };
  // Before: the chiefs (assignee, coordinator, escalations) and the department that had the case.
  return {
    after,
    before: { ...after, assigneeChiefId: null, escalatedTo: message.formerChiefs ?? [], assigneeDepartmentCode: message.formerDepartment ?? null, coordinatorChiefId: null },
  };
}

/** The staff rooms an event goes to (its full payload): the case's rooms after the event and before it. */
export function roomsOf(message: CaseEventMessage): string[] {
  const { after, before } = shapesOf(message);
  return [...new Set([...caseRooms(after, 'staff'), ...caseRooms(before, 'staff')])];
}

/** The rooms that get the event's public payload (trackers, signed-in reporters) unless they are in a staff room of it. */
export function publicRoomsOf(message: CaseEventMessage): string[] {
  return caseRooms(shapesOf(message).after, 'public');
}

/** How a connection sees an event: the same rule as {@link roomsOf} and {@link publicRoomsOf}, for replays. */
export function eventViewOf(scope: FeedScope, tracked: ReadonlySet<string>, message: CaseEventMessage): CaseView | null {
  const viewer: CasePrincipal = { ...scope.principal, trackedCaseIds: tracked };
  const { after, before } = shapesOf(message);
  if (caseVisible(viewer, after, 'staff') || caseVisible(viewer, before, 'staff')) return 'staff';
  return caseVisible(viewer, after, 'public') ? 'public' : null;
}

/** What staff receive: the message without the feed's routing data. */
export function staffPayload(message: CaseEventMessage): CaseEventPayload {
  const { formerChiefs: _chiefs, reporterId: _reporter, formerDepartment: _department, ...payload } = message;
  return payload;
}

/** What a reporter tracking a case receives: the public view of the event (@wangge/auth), or null for a step the public does not see. */
export function publicPayload(message: CaseEventMessage): CaseEventPayload | null {
  return publicCaseEvent(staffPayload(message));
}

/**
 * The payload one connection gets for an event, or null when it is outside its view: staff see
 * their scope in full, and the cases they track (only as the public sees them).
 */
export function payloadFor(scope: FeedScope, tracked: ReadonlySet<string>, message: CaseEventMessage): CaseEventPayload | null {
  const view = eventViewOf(scope, tracked, message);
  if (view === 'staff') return staffPayload(message);
  return view === 'public' ? publicPayload(message) : null;
}
