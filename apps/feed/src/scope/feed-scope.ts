import type { AuthUser, Jurisdiction } from '@wangge/auth';
import { jurisdictionOf } from '@wangge/auth';
import type { CaseEventMessage, CaseEventPayload, FeedScopeKind } from '@wangge/events';

/**
 * Whose case events a connection receives, decided by the server from the token: district-wide
 * staff the district, street-level staff their street, wardens the cells they patrol, chiefs the
 * cases assigned or escalated to them; anonymous connections only the cases they `track` with the
 * case's tracking token. The client never names a room.
 */
export type FeedScope = Exclude<Jurisdiction, { kind: 'none' }> | { kind: 'tracker' };

export const STAFF_ROOM = 'staff';
export const DISTRICT_ROOM = 'district';
export const streetRoom = (streetCode: string): string => `street:${streetCode}`;
export const cellRoom = (cellCode: string): string => `cell:${cellCode}`;
export const chiefRoom = (chiefId: number): string => `chief:${chiefId}`;
export const caseRoom = (caseId: string): string => `case:${caseId}`;

/** The scope of a signed-in user (anonymous: `tracker`); null when the role may not use the feed. */
export function scopeOf(user: AuthUser | null, wardenCells: ReadonlySet<string> = new Set()): FeedScope | null {
  if (!user) return { kind: 'tracker' };
  const jurisdiction = jurisdictionOf(user, wardenCells);
  if (jurisdiction.kind !== 'none') return jurisdiction;
  // A signed-in citizen (or a chief without a chief record) sees what an anonymous reporter sees.
  return user.role === 'citizen' ? { kind: 'tracker' } : null;
}

export function scopeKind(scope: FeedScope): FeedScopeKind {
  return scope.kind;
}

/** The rooms a connection is in while it is live: from its scope and the cases it tracks, nothing else. */
export function roomsFor(scope: FeedScope, tracked: Iterable<string> = []): string[] {
  const rooms = [...tracked].map(caseRoom);
  switch (scope.kind) {
    case 'district':
      return [STAFF_ROOM, DISTRICT_ROOM, ...rooms];
    case 'street':
      return [STAFF_ROOM, streetRoom(scope.streetCode), ...rooms];
    case 'cells':
      return [STAFF_ROOM, ...[...scope.cellCodes].map(cellRoom), ...rooms];
    case 'chief':
      return [STAFF_ROOM, chiefRoom(scope.chiefId), ...rooms];
    case 'tracker':
      return rooms;
  }
}

/** The chiefs who see an event: whoever had the case before it, and whoever has it after. */
export function chiefsOfEvent(message: Pick<CaseEventMessage, 'assignee' | 'escalatedTo' | 'formerChiefs'>): number[] {
  const chiefs = new Set<number>(message.escalatedTo);
  if (message.assignee) chiefs.add(message.assignee.id);
  for (const id of message.formerChiefs ?? []) chiefs.add(id);
  return [...chiefs];
}

/** The staff rooms an event goes to (trackers get it through the case's room). */
export function roomsOf(message: CaseEventMessage): string[] {
  return [DISTRICT_ROOM, streetRoom(message.streetCode), cellRoom(message.gridCode), ...chiefsOfEvent(message).map(chiefRoom)];
}

/** Whether a staff scope sees an event: the same rule as {@link roomsOf}, for replays. */
export function scopeSees(scope: FeedScope, message: CaseEventMessage): boolean {
  switch (scope.kind) {
    case 'district':
      return true;
    case 'street':
      return message.streetCode === scope.streetCode;
    case 'cells':
      return scope.cellCodes.has(message.gridCode);
    case 'chief':
      return chiefsOfEvent(message).includes(scope.chiefId);
    case 'tracker':
      return false;
  }
}

/** What staff receive: the message without the feed's routing data. */
export function staffPayload(message: CaseEventMessage): CaseEventPayload {
  const { formerChiefs: _routing, ...payload } = message;
  return payload;
}

/** What a reporter tracking a case receives: no staff identities. */
export function publicPayload(message: CaseEventMessage): CaseEventPayload {
  return { ...staffPayload(message), actor: { id: null, role: message.actor.role }, assignee: null, escalatedTo: [] };
}

/**
 * The payload one connection gets for an event, or null when it is outside its view: staff see
 * their scope in full, and the cases they track (only as the public sees them).
 */
export function payloadFor(scope: FeedScope, tracked: ReadonlySet<string>, message: CaseEventMessage): CaseEventPayload | null {
  if (scopeSees(scope, message)) return staffPayload(message);
  if (tracked.has(message.caseId)) return publicPayload(message);
  return null;
}
