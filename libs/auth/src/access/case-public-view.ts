import type { CaseEventType, CaseStatus } from '@wangge/domain';
import type { CaseEventPayload } from '@wangge/events';

/**
 * The public view of a case ({@link CaseView} `public` of the access model): what a reporter with
 * the tracking token, a signed-in citizen, Open311 clients and the feed's trackers see. Built by
 * allow-list — a field, an event or a photo not named here is not shown — and used by every reader
 * of the public view: the REST tracking view, Open311 reads and the live feed.
 *
 * Shown: the case's public states and the steps between them, its public notes (the words an
 * operator or chief gives the public: registration and closing notes, reasons to reject or
 * cancel), the report's and the resolution's photos, and the post that answers for it (a title,
 * never a name). Never: staff names and ids (routing reasons name chiefs and operators), returns'
 * reasons, extensions, appeals, checks, comments and their photos, escalations, the reporter.
 */

/** The steps of a case the public sees: the ones that move it between public states. */
export const PUBLIC_EVENT_TYPES: readonly CaseEventType[] = [
  'case.reported',
  'case.registered',
  'case.rejected',
  'case.dispatched',
  'case.accepted',
  'case.returned',
  'case.resolved',
  'case.reworked',
  'case.closed',
  'case.cancelled',
  'case.merged',
  // Citizens' follow-up (domain.md 9): their feedback and the reopen it brings; an update once approved.
  'case.feedback',
  'case.reopened',
  'case.update_approved',
];

/** The photos the public sees: the report's (attached with no event) and the resolution's. */
export const PUBLIC_PHOTO_EVENTS: readonly CaseEventType[] = ['case.reported', 'case.resolved'];

/** The words of an event that are for the public (they become the case's public note); no entry: none. */
const PUBLIC_WORDS: Partial<Record<CaseEventType, (words: EventWords) => string | null>> = {
  'case.registered': (w) => w.note,
  'case.rejected': (w) => w.reason,
  'case.resolved': (w) => w.note,
  'case.closed': (w) => w.note,
  'case.cancelled': (w) => w.reason,
  'case.merged': (w) => w.reason ?? w.note,
  'case.reopened': (w) => w.note,
};

export interface EventWords {
  reason: string | null;
  note: string | null;
}

export function isPublicEvent(type: CaseEventType): boolean {
  return PUBLIC_EVENT_TYPES.includes(type);
}

/** The public words of an event (the transition makes them the case's public note); null when it has none. */
export function publicWordsOf(type: CaseEventType, words: EventWords): string | null {
  return PUBLIC_WORDS[type]?.(words) ?? null;
}

/** A step of the case as the public sees it. */
export interface PublicTimelineEntry {
  seq: number;
  type: CaseEventType;
  at: string;
  actor: { role: string };
  from: CaseStatus | null;
  to: CaseStatus;
  /** The step's public words (see {@link publicWordsOf}); never an internal reason. */
  note: string | null;
}

/** The case as the public sees it (`GET /cases/:id?trackingToken=`, a citizen's own reports). */
export interface PublicCase {
  id: string;
  code: string;
  status: CaseStatus;
  statusName: { zh: string; en: string };
  category: { code: string; kind: 'component' | 'event'; name: string; nameEn: string };
  description: string;
  /** null (with the cell, street and community) while a case reported by address only waits to be placed. */
  location: { lng: number; lat: number } | null;
  address: string | null;
  /** The address id the reporter gave (Open311 `address_id`), if any. */
  addressId: string | null;
  gridCell: { code: string } | null;
  street: { code: string; name: string } | null;
  community: { code: string; name: string } | null;
  road: { id: number; name: string } | null;
  /** The post that answers for the case (a title: 路段长 / segment chief), never a person. */
  responsible: { level: number; title: string; titleEn: string } | null;
  deadlineAt: string | null;
  overdue: boolean;
  mergedInto: { id: string; code: string; status: CaseStatus } | null;
  publicNote: string | null;
  media: { id: string; url: string; contentType: string }[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  timeline?: PublicTimelineEntry[];
  /** The reporter's updates an operator approved (note and photos), oldest first (the REST view; absent elsewhere). */
  updates?: PublicCaseUpdate[];
  /** The follow-up the reporter may still give (the REST view; absent elsewhere). */
  followUp?: PublicFollowUp;
}

/** A reporter's update, once approved: what the public sees of it. */
export interface PublicCaseUpdate {
  id: string;
  note: string;
  media: { id: string; url: string }[];
  at: string;
}

/** What the tracking page offers: feedback after close (once per close), and whether a "not fixed" would still reopen the case. */
export interface PublicFollowUp {
  /** The feedback on the current close (null: none yet, or the case is not closed). */
  feedback: { satisfied: boolean; at: string; reopened: boolean } | null;
  /** Feedback may be given now: the case is closed and this close has none. */
  canGiveFeedback: boolean;
  /** A "not fixed" given now would reopen the case (within 7 natural days of close, not reopened before). */
  notFixedReopens: boolean;
}

/** What the public view is made from: the staff view of the case (more fields are ignored). */
export type PublicCaseSource = Omit<PublicCase, 'responsible' | 'timeline'> & {
  assignee: { level: number; title: string; titleEn: string } | { kind: 'department'; name: string } | null;
  /** Each step with its words; the photos already limited to public ones ({@link PUBLIC_PHOTO_EVENTS}). */
  timeline?: { seq: number; type: CaseEventType; at: string; actor: { role: string }; from: CaseStatus | null; to: CaseStatus; reason: string | null; note: string | null }[];
};

/** The public view of a case, field by field from the staff view. */
export function publicCaseOf(c: PublicCaseSource): PublicCase {
  const view: PublicCase = {
    id: c.id,
    code: c.code,
    status: c.status,
    statusName: c.statusName,
    category: c.category,
    description: c.description,
    location: c.location && { lng: c.location.lng, lat: c.location.lat },
    address: c.address,
    addressId: c.addressId,
    gridCell: c.gridCell && { code: c.gridCell.code },
    street: c.street && { code: c.street.code, name: c.street.name },
    community: c.community && { code: c.community.code, name: c.community.name },
    road: c.road && { id: c.road.id, name: c.road.name },
    // A department's case: the department answers for it (its name is public; level 0 is no chief level).
    responsible: c.assignee && ('kind' in c.assignee ? { level: 0, title: c.assignee.name, titleEn: c.assignee.name } : { level: c.assignee.level, title: c.assignee.title, titleEn: c.assignee.titleEn }),
    deadlineAt: c.deadlineAt,
    overdue: c.overdue,
    mergedInto: c.mergedInto && { id: c.mergedInto.id, code: c.mergedInto.code, status: c.mergedInto.status },
    publicNote: c.publicNote,
    media: c.media.map((m) => ({ id: m.id, url: m.url, contentType: m.contentType })),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    closedAt: c.closedAt,
  };
  if (c.timeline) {
    view.timeline = c.timeline
      .filter((e) => isPublicEvent(e.type))
      .map((e) => ({ seq: e.seq, type: e.type, at: e.at, actor: { role: e.actor.role }, from: e.from, to: e.to, note: publicWordsOf(e.type, e) }));
  }
  return view;
}

/**
 * A live-feed event as the public sees it (trackers, signed-in reporters), or null when the step
 * is not public: no staff identity, no escalation.
 */
export function publicCaseEvent(e: CaseEventPayload): CaseEventPayload | null {
  if (!isPublicEvent(e.type)) return null;
  return {
    seq: e.seq,
    caseId: e.caseId,
    code: e.code,
    type: e.type,
    status: e.status,
    at: e.at,
    actor: { id: null, role: e.actor.role },
    assignee: null,
    department: null,
    coordinator: null,
    escalationLevel: 0,
    escalatedTo: [],
    deadlineAt: e.deadlineAt,
    overdue: e.overdue,
    // The share of the limit used, as the deadline already shows it.
    light: e.light,
    limitUsed: e.limitUsed,
    location: e.location,
    gridCode: e.gridCode,
    streetCode: e.streetCode,
    categoryCode: e.categoryCode,
  };
}
